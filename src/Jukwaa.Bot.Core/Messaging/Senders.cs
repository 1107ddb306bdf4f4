using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Messaging;

/// <summary>
/// A message ready for a provider's API, in clear, only in memory. <paramref name="To"/> is a phone
/// number, a Telegram chat id, or (for <see cref="OutboxKind.CallbackAnswer"/>) the callback query's id.
/// </summary>
public sealed record OutboundMessage(long OutboxId, OutboxKind Kind, string To, string Body, IReadOnlyList<ReplyOption> Buttons);

/// <summary>What a provider said about one send.</summary>
public abstract record SendResult
{
    private SendResult() { }

    /// <summary>
    /// Accepted; <paramref name="ProviderMessageId"/> ties later delivery reports to it. <paramref name="Note"/>
    /// says what is uncertain (an acceptance whose answer could not be read).
    /// </summary>
    public sealed record Sent(string? ProviderMessageId, string? Note = null) : SendResult;

    /// <summary>Not now (connection error, 5xx, 429): try again, after <paramref name="After"/> when the provider said.</summary>
    public sealed record Retry(string Reason, TimeSpan? After = null) : SendResult;

    /// <summary>Never (4xx): the provider's reason; <paramref name="OptedOut"/> when the person has blocked messages.</summary>
    public sealed record Failed(string Reason, bool OptedOut = false) : SendResult;
}

/// <summary>One provider's sending API.</summary>
public interface IMessageSender
{
    /// <summary><c>twilio</c>, <c>africastalking</c>, <c>telegram</c> or <c>local</c>: the value of <see cref="Domain.OutboxMessage.Provider"/>.</summary>
    string Provider { get; }

    /// <summary>False when its credentials are not configured: its messages wait (or, in Development, go to the local sender).</summary>
    bool IsConfigured { get; }

    /// <summary>Where its credentials are set (<c>Channels:Twilio</c>), for the error of a message waiting for them.</summary>
    string ConfigurationSection { get; }

    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>How long one provider call may take; the outbox lease must outlast it.</summary>
public static class SendTimeout
{
    public static readonly TimeSpan PerCall = TimeSpan.FromSeconds(35);
}
