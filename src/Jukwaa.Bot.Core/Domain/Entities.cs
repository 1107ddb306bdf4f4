namespace Jukwaa.Bot.Core.Domain;

public enum Channel { Ussd = 1, Sms = 2, Telegram = 3 }

public enum Direction { Inbound = 1, Outbound = 2 }

/// <summary>
/// One human, whatever channel they use. Found by a keyed hash of their normalised address and
/// reached through an encrypted copy; the number itself is never stored in clear.
/// </summary>
public sealed class Person
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string AddressHash { get; set; }
    public required string AddressSealed { get; set; }
    /// <summary>"en" or "sw"; null until the person has chosen.</summary>
    public string? Language { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Set when the person sent STOP (or the provider says they opted out): nothing is sent by SMS until START.</summary>
    public DateTime? SmsStoppedAt { get; set; }
    /// <summary>Keyed hash of the Telegram user id, once the person has used Telegram.</summary>
    public string? TelegramHash { get; set; }
    /// <summary>The Telegram chat to reply to (encrypted).</summary>
    public string? TelegramChatSealed { get; set; }
    /// <summary>Set when Telegram says the person blocked the bot (or they sent STOP there).</summary>
    public DateTime? TelegramStoppedAt { get; set; }

    /// <summary>Whether nothing may be sent to the person on this channel.</summary>
    public bool IsStopped(Channel channel) => channel switch
    {
        Channel.Sms => SmsStoppedAt is not null,
        Channel.Telegram => TelegramStoppedAt is not null,
        _ => false,
    };

    public void Stop(Channel channel, DateTime now)
    {
        if (channel == Channel.Sms) SmsStoppedAt ??= now;
        if (channel == Channel.Telegram) TelegramStoppedAt ??= now;
    }

    public void Start(Channel channel)
    {
        if (channel == Channel.Sms) SmsStoppedAt = null;
        if (channel == Channel.Telegram) TelegramStoppedAt = null;
    }
}

/// <summary>A dialog session: where one person is in one dialog on one channel.</summary>
public sealed class Conversation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PersonId { get; set; }
    public Channel Channel { get; set; }
    /// <summary>The provider's session id (Africa's Talking <c>sessionId</c>), when the channel has one.</summary>
    public string? ProviderSessionId { get; set; }
    public string DialogId { get; set; } = "";
    public int DialogVersion { get; set; }
    public string State { get; set; } = "";
    /// <summary>Answers gathered so far (JSON, encrypted: it holds what the person typed).</summary>
    public string DataSealed { get; set; } = "";
    /// <summary>Everything the gateway said the person typed, as of the last step (encrypted).</summary>
    public string LastInputSealed { get; set; } = "";
    /// <summary>The last screen sent, replayed to a duplicate delivery of the same step (encrypted).</summary>
    public string LastReplySealed { get; set; } = "";
    public int Page { get; set; }
    public int Steps { get; set; }
    public bool Ended { get; set; }
    /// <summary>Set when the person chose to continue this conversation in a later session.</summary>
    public Guid? ResumedById { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Concurrency token: two deliveries of the same step cannot both apply.</summary>
    public int Version { get; set; }
}

public enum ReportStatus { Received = 1, UnderReview = 2, Verified = 3, ActionTaken = 4, Closed = 5, Rejected = 6, Escalated = 7 }

public sealed class Report
{
    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>Nine digits with a Damm check digit (<see cref="ReferenceNumber"/>).</summary>
    public required string Reference { get; set; }
    public required string Category { get; set; }
    public required string CountyCode { get; set; }
    public required string PlaceSealed { get; set; }
    public required string DetailsSealed { get; set; }
    /// <summary>The reporter asked to keep their identity hidden from officers.</summary>
    public bool Anonymous { get; set; }
    public Guid ReporterId { get; set; }
    public Channel Channel { get; set; }
    public string Language { get; set; } = "en";
    public ReportStatus Status { get; set; } = ReportStatus.Received;
    public DateTime CreatedAt { get; set; }
    public DateTime StatusChangedAt { get; set; }
    /// <summary>When an officer first moved it: the county's "time to first action".</summary>
    public DateTime? FirstActionAt { get; set; }
    /// <summary>Minutes from receipt to first action, kept beside <see cref="FirstActionAt"/> so medians are counted in the database.</summary>
    public int? FirstActionMinutes { get; set; }
    /// <summary>The provider that tells the reporter of changes (USSD reporters hear back by SMS).</summary>
    public string ReplyProvider { get; set; } = "local";
    /// <summary>Concurrency token, raised by every change of status: two officers cannot both move the same report.</summary>
    public int Version { get; set; }
}

/// <summary>Every message in and out, kept for aggregation; the body is encrypted.</summary>
public sealed class MessageRecord
{
    public long Id { get; set; }
    public Guid ConversationId { get; set; }
    public Guid PersonId { get; set; }
    public Channel Channel { get; set; }
    public Direction Direction { get; set; }
    public DateTime At { get; set; }
    public string? ProviderMessageId { get; set; }
    public string BodySealed { get; set; } = "";
}

/// <summary>What the provider is asked to do: send a message, answer a pressed button, or ask for the phone number.</summary>
public enum OutboxKind { Message = 0, CallbackAnswer = 1, ContactRequest = 2 }

/// <summary>Where an outbound message is in its life. Delivery reports only move it forward (<see cref="OutboxStatuses.Rank"/>).</summary>
public enum OutboxStatus { Pending = 0, Sending = 1, Sent = 2, Delivered = 3, Undelivered = 4, Failed = 5, Read = 6 }

public static class OutboxStatuses
{
    /// <summary>Pending and sending 0–1, accepted by the provider 2, a final outcome 3, read 4.</summary>
    public static int Rank(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => 0,
        OutboxStatus.Sending => 1,
        OutboxStatus.Sent => 2,
        OutboxStatus.Read => 4,
        _ => 3,
    };
}

/// <summary>
/// A message waiting to leave, written in the same transaction as the step that produced it and sent
/// by the dispatcher, so nothing is lost when the process dies or a provider is down.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid PersonId { get; set; }
    /// <summary>Whose words the body carries when they are not the recipient's (a report shown to an officer): erased with that person.</summary>
    public Guid? AboutPersonId { get; set; }
    public Guid? ConversationId { get; set; }
    public Channel Channel { get; set; }
    public OutboxKind Kind { get; set; }
    /// <summary>Buttons to show with it (Telegram), as JSON: option keys and labels, no personal data.</summary>
    public string? ButtonsJson { get; set; }
    /// <summary>The provider that carries it: <c>twilio</c>, <c>africastalking</c>, <c>telegram</c>, <c>local</c>.</summary>
    public string Provider { get; set; } = "";
    public string ToSealed { get; set; } = "";
    public string BodySealed { get; set; } = "";
    public int Parts { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>While <see cref="OutboxStatus.Sending"/>: after this, a dispatcher that died is assumed and the message is tried again.</summary>
    public DateTime? LockedUntil { get; set; }
    public string? ProviderMessageId { get; set; }
    /// <summary>The provider's reason for the last failure (no personal data).</summary>
    public string? Error { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? StatusAt { get; set; }
    public int Version { get; set; }

    /// <summary>A message due now, with its address and body already sealed.</summary>
    public static OutboxMessage Pending(
        Guid personId, Channel channel, string provider, string toSealed, string bodySealed, int parts, DateTime now,
        OutboxKind kind = OutboxKind.Message, string? buttonsJson = null, Guid? conversationId = null) => new()
    {
        PersonId = personId,
        ConversationId = conversationId,
        Channel = channel,
        Kind = kind,
        ButtonsJson = buttonsJson,
        Provider = provider,
        ToSealed = toSealed,
        BodySealed = bodySealed,
        Parts = parts,
        Status = OutboxStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };
}
