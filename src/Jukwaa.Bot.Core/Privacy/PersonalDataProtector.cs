using System.Security.Cryptography;
using System.Text;

namespace Jukwaa.Bot.Core.Privacy;

/// <summary>
/// Keyed hashing for look-ups and authenticated encryption for storage of personal data
/// (phone numbers, narratives, conversation text). Two independent 256-bit keys.
/// </summary>
public sealed class PersonalDataProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _hashKey;
    private readonly byte[] _encryptionKey;

    public PersonalDataProtector(byte[] hashKey, byte[] encryptionKey)
    {
        if (hashKey.Length < 32) throw new ArgumentException("The hash key must be at least 32 bytes.", nameof(hashKey));
        if (encryptionKey.Length != 32) throw new ArgumentException("The encryption key must be exactly 32 bytes.", nameof(encryptionKey));
        _hashKey = hashKey;
        _encryptionKey = encryptionKey;
    }

    /// <summary>Stable, keyed, one-way: the same address gives the same value, which reveals nothing without the key.</summary>
    public string Hash(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(value)));

    public string Seal(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    /// <summary>Opens a sealed value. The empty string stands for erased (retention, right to erasure) and opens as empty.</summary>
    public string Unseal(string sealedText)
    {
        if (sealedText.Length == 0) return "";
        var input = Convert.FromBase64String(sealedText);
        if (input.Length < NonceSize + TagSize) throw new CryptographicException("Sealed value is too short.");
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);
}
