using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Jukwaa.Bot.Core.Officers;

public interface ISignInTokenStore
{
    void Add(SignInToken token);

    Task<SignInToken?> FindAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Marks the token used if it is unused and unexpired, in one conditional update; the officer's id when this call used it.</summary>
    Task<Guid?> RedeemAsync(string tokenHash, DateTime now, CancellationToken cancellationToken);
}

public enum SignInTokenState { Valid, Used, Expired, Unknown }

/// <summary>
/// Single-use sign-in links for the web console, valid for <see cref="Lifetime"/>. The token is 256 random bits
/// sent once; only its SHA-256 is stored. A token is used by one conditional update, so two clicks (or two hosts)
/// cannot both sign in with it.
/// </summary>
public sealed class SignInLinks(ISignInTokenStore tokens)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public const string Path = "/console/signin";

    /// <summary>A new token for the officer (added to the unit of work: save it before handing the link out).</summary>
    public string Issue(Officer officer, DateTime now)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        tokens.Add(new SignInToken { OfficerId = officer.Id, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime });
        return token;
    }

    public static string Link(string publicBaseUrl, string token) => $"{publicBaseUrl.TrimEnd('/')}{Path}?token={Uri.EscapeDataString(token)}";

    public async Task<(SignInTokenState State, Guid? OfficerId)> CheckAsync(string? token, DateTime now, CancellationToken cancellationToken)
    {
        if (!LooksLikeAToken(token)) return (SignInTokenState.Unknown, null);
        var found = await tokens.FindAsync(Hash(token!), cancellationToken);
        if (found is null) return (SignInTokenState.Unknown, null);
        if (found.UsedAt is not null) return (SignInTokenState.Used, found.OfficerId);
        return found.ExpiresAt <= now ? (SignInTokenState.Expired, found.OfficerId) : (SignInTokenState.Valid, found.OfficerId);
    }

    public Task<Guid?> RedeemAsync(string? token, DateTime now, CancellationToken cancellationToken) =>
        LooksLikeAToken(token) ? tokens.RedeemAsync(Hash(token!), now, cancellationToken) : Task.FromResult<Guid?>(null);

    private static bool LooksLikeAToken(string? token) => token is { Length: > 0 and <= 64 };

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
