using System.Text.Json;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// The <c>Protection</c> section: two base64 keys of 32 bytes. <c>HashKey</c> makes the look-up hash of
/// phone numbers; <c>EncryptionKey</c> encrypts numbers, narratives and conversation text. Every host
/// sharing a database must have the same keys, and losing them loses the data they protect.
/// </summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";
    public const string DevelopmentKeyFile = "data/protection-keys.json";

    public string? HashKey { get; set; }
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// The configured keys; in Development, when none are configured, keys kept in
    /// <see cref="DevelopmentKeyFile"/> under the content root (made on first run) so that <c>dotnet run</c> needs no set-up.
    /// </summary>
    public static PersonalDataProtector CreateProtector(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(Section).Get<ProtectionOptions>() ?? new ProtectionOptions();
        if (string.IsNullOrWhiteSpace(options.HashKey) || string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Protection:HashKey and Protection:EncryptionKey must be set outside Development (base64, 32 bytes each; e.g. `openssl rand -base64 32`).");
            }
            options = DevelopmentKeys(Path.Combine(environment.ContentRootPath, DevelopmentKeyFile));
        }
        return new PersonalDataProtector(Decode(options.HashKey!, "HashKey"), Decode(options.EncryptionKey!, "EncryptionKey"));
    }

    private static ProtectionOptions DevelopmentKeys(string path)
    {
        if (File.Exists(path)) return JsonSerializer.Deserialize<ProtectionOptions>(File.ReadAllText(path))!;
        var keys = new ProtectionOptions
        {
            HashKey = Convert.ToBase64String(PersonalDataProtector.NewKey()),
            EncryptionKey = Convert.ToBase64String(PersonalDataProtector.NewKey()),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(keys));
        return keys;
    }

    private static byte[] Decode(string value, string name)
    {
        try
        {
            var bytes = Convert.FromBase64String(value);
            return bytes.Length == 32 ? bytes : throw new InvalidOperationException($"Protection:{name} must decode to 32 bytes, not {bytes.Length}.");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Protection:{name} is not valid base64.");
        }
    }
}
