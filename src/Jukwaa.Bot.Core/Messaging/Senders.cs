namespace Jukwaa.Bot.Core.Messaging;

/// <summary>A message ready for a provider's API: the number and text in clear, only in memory.</summary>
public sealed record OutboundSms(long OutboxId, string To, string Body);

/// <summary>What a provider said about one send.</summary>
public abstract record SendResult
{
    private SendResult() { }

    /// <summary>Accepted; <paramref name="ProviderMessageId"/> ties later delivery reports to it.</summary>
    public sealed record Sent(string? ProviderMessageId) : SendResult;

    /// <summary>Not now (connection error, 5xx, 429): try again, after <paramref name="After"/> when the provider said.</summary>
    public sealed record Retry(string Reason, TimeSpan? After = null) : SendResult;

    /// <summary>Never (4xx): the provider's reason; <paramref name="OptedOut"/> when the person has blocked messages.</summary>
    public sealed record Failed(string Reason, bool OptedOut = false) : SendResult;
}

/// <summary>One provider's sending API.</summary>
public interface ISmsSender
{
    /// <summary><c>twilio</c>, <c>africastalking</c> or <c>local</c>: the value of <see cref="Domain.OutboxMessage.Provider"/>.</summary>
    string Provider { get; }

    /// <summary>False when its credentials are not configured: replies then go to the local sender.</summary>
    bool IsConfigured { get; }

    Task<SendResult> SendAsync(OutboundSms message, CancellationToken cancellationToken);
}
