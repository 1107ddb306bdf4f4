namespace Jukwaa.Bot.Core.Officers;

/// <summary>The <c>Console</c> configuration section: where the web console is reached from outside.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>
    /// The console's public address, e.g. <c>https://jukwaa.example.go.ke</c>: sign-in links are built from it.
    /// In Development, when it is not set, the address the request came to is used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The base for sign-in links, or null when there is none (not configured, outside Development).</summary>
    public string? BaseUrl(bool development, string? requestBase) =>
        !string.IsNullOrWhiteSpace(PublicBaseUrl) ? PublicBaseUrl.TrimEnd('/') : development ? requestBase?.TrimEnd('/') : null;

    /// <summary>What is wrong with the section, one sentence per key.</summary>
    public IEnumerable<string> Problems(bool development)
    {
        if (string.IsNullOrWhiteSpace(PublicBaseUrl)) yield break;
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            yield return $"{Section}:PublicBaseUrl is not an absolute http(s) address without query: the console's sign-in links are built from it (e.g. https://jukwaa.example.go.ke).";
        }
        else if (!development && uri.Scheme != "https")
        {
            yield return $"{Section}:PublicBaseUrl must be https outside Development: sign-in links and the console's cookie need TLS.";
        }
    }
}
