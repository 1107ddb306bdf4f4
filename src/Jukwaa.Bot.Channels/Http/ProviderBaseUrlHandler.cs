using System.Net;
using System.Runtime.CompilerServices;

namespace Jukwaa.Bot.Channels.Http;

/// <summary>
/// Sends a provider SDK's requests to the configured API base URL (a sandbox, or a stand-in in tests)
/// instead of the host the SDK has built in, and keeps the provider's Retry-After for the caller.
/// </summary>
public sealed class ProviderBaseUrlHandler(Func<Uri> baseUrl) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = baseUrl();
        if (request.RequestUri is { } uri)
        {
            var builder = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port };
            var prefix = target.AbsolutePath.TrimEnd('/');
            if (prefix.Length > 0) builder.Path = prefix + uri.AbsolutePath;
            request.RequestUri = builder.Uri;
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            RetryAfter.Capture(response);
        }
        return response;
    }
}

/// <summary>
/// Carries a provider's Retry-After from deep inside an SDK call back to the sender that made it:
/// the sender opens a slot before the call, the handler fills it.
/// </summary>
public static class RetryAfter
{
    private static readonly AsyncLocal<StrongBox<TimeSpan?>?> s_slot = new();

    public static StrongBox<TimeSpan?> Open() => s_slot.Value = new StrongBox<TimeSpan?>();

    public static void Capture(HttpResponseMessage response)
    {
        if (s_slot.Value is not { } slot) return;
        slot.Value = From(response);
    }

    /// <summary>The Retry-After of a response, as a delay (seconds or a date), if it has one.</summary>
    public static TimeSpan? From(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
