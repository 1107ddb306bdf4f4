using System.Globalization;
using System.Text;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Scorecards;

namespace Jukwaa.Bot.Core.People;

/// <summary>Everything held about one person, for the right of access and the right to erasure.</summary>
public sealed record PersonalRecord(
    Person Person, IReadOnlyList<Conversation> Conversations, IReadOnlyList<MessageRecord> Messages, IReadOnlyList<Report> Reports,
    IReadOnlyList<(QuestionnaireResponse Response, IReadOnlyList<QuestionnaireAnswer> Answers)> Responses,
    ScorecardSubscription? Subscription, IReadOnlyList<Officers.ReportEvent> ReportEvents, IReadOnlyList<OutboxMessage> Sent);

public interface IPersonalDataStore
{
    /// <summary>All rows of the person, tracked, so that erasing them is saved with <see cref="SaveAsync"/>.</summary>
    Task<PersonalRecord?> LoadAsync(string phoneHash, CancellationToken cancellationToken);

    void Remove(ScorecardSubscription subscription);

    /// <summary>
    /// Blanks the address and text of every outbound message to the person and cancels those not yet sent, and blanks
    /// the text of messages to others that carry the person's words (not tracked: the dispatcher may hold them).
    /// </summary>
    Task EraseOutboxAsync(Guid personId, DateTime now, CancellationToken cancellationToken);

    void Reset();

    /// <summary>
    /// Blanks message bodies and finished conversations' text older than <paramref name="cutoff"/>; returns how
    /// many messages. An outbound message still unsent by then (its provider was never configured) is failed
    /// ("expired unsent") and blanked too: nothing is kept past the retention period for want of a sender.
    /// </summary>
    Task<int> PurgeBodiesAsync(DateTime cutoff, DateTime now, CancellationToken cancellationToken);

    Task SaveAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The Kenya Data Protection Act's rights of access (<c>people export</c>) and erasure
/// (<c>people forget</c>). Erasure removes who the person is and everything they typed, and keeps
/// what counts anonymously: reports' category, county and status, questionnaire choices, message counts.
/// </summary>
public sealed class PersonalDataService(IPersonalDataStore store, PersonalDataProtector protector, DialogCatalog catalog)
{
    public const string Erased = "";

    public async Task<string?> ExportAsync(string e164, CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(protector.Hash("tel:" + e164), cancellationToken) is not { } record) return null;
        string Open(string? sealedText) => string.IsNullOrEmpty(sealedText) ? "" : protector.Unseal(sealedText);
        var text = new StringBuilder();
        var person = record.Person;
        text.AppendLine(CultureInfo.InvariantCulture, $"Person: phone {e164}, language {person.Language ?? "not chosen"}, first seen {person.CreatedAt:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"Telegram linked: {(person.TelegramHash is null ? "no" : "yes")}; SMS stopped: {(person.SmsStoppedAt is null ? "no" : "yes")}; Telegram stopped: {(person.TelegramStoppedAt is null ? "no" : "yes")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Scorecard subscription: {(record.Subscription is { } s ? catalog.County(s.CountyCode)?.Name ?? s.CountyCode : "none")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Reports ({record.Reports.Count}):");
        foreach (var report in record.Reports)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {ReferenceNumber.Format(report.Reference)} {report.CreatedAt:yyyy-MM-dd} {report.Category} {catalog.County(report.CountyCode)?.Name} {report.Status}{(report.Anonymous ? " (identity hidden)" : "")}: {Open(report.PlaceSealed)} / {Open(report.DetailsSealed)}");
            foreach (var change in record.ReportEvents.Where(e => e.ReportId == report.Id))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"    {change.At:yyyy-MM-dd HH:mm} {change.From} -> {change.To}{(change.NoteSealed is null ? "" : ": " + Open(change.NoteSealed))}");
            }
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Questionnaire responses ({record.Responses.Count}):");
        foreach (var (response, answers) in record.Responses)
        {
            var given = string.Join("; ", answers.Select(a => $"{a.QuestionId}={(a.Skipped ? "skipped" : a.TextSealed is { } t ? Open(t) : a.Value)}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {response.QuestionnaireId} v{response.Version} {(response.CompletedAt is null ? "unfinished" : "complete")}: {given}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Messages ({record.Messages.Count}):");
        foreach (var message in record.Messages)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {message.At:yyyy-MM-dd HH:mm:ss} {message.Channel.ToString().ToLowerInvariant()} {(message.Direction == Direction.Inbound ? "in " : "out")} {Open(message.BodySealed).Replace("\n", " / ", StringComparison.Ordinal)}");
        }
        // What left for them, whatever produced it: replies, status notifications, scorecards.
        text.AppendLine(CultureInfo.InvariantCulture, $"Sent to the person ({record.Sent.Count}):");
        foreach (var message in record.Sent)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {message.CreatedAt:yyyy-MM-dd HH:mm:ss} {message.Channel.ToString().ToLowerInvariant(),-5} {message.Status.ToString().ToLowerInvariant(),-11} {Open(message.BodySealed).Replace("\n", " / ", StringComparison.Ordinal)}");
        }
        return text.ToString();
    }

    /// <returns>False when no one has that number.</returns>
    public async Task<bool> ForgetAsync(string e164, DateTime now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ForgetOnceAsync(e164, now, cancellationToken);
            }
            catch (Conversations.ConcurrentStepException) when (attempt < 3)
            {
                // The person was mid-conversation: reload and erase what is there now.
                store.Reset();
            }
        }
    }

    private async Task<bool> ForgetOnceAsync(string e164, DateTime now, CancellationToken cancellationToken)
    {
        if (await store.LoadAsync(protector.Hash("tel:" + e164), cancellationToken) is not { } record) return false;
        var person = record.Person;
        // Unlinkable from now on: the hash no longer matches the number, and nothing can reach them.
        person.AddressHash = "forgotten:" + Guid.NewGuid().ToString("N");
        person.AddressSealed = Erased;
        person.TelegramHash = null;
        person.TelegramChatSealed = null;
        person.Language = null;
        foreach (var conversation in record.Conversations)
        {
            conversation.DataSealed = protector.Seal("{}");
            conversation.LastInputSealed = protector.Seal("");
            conversation.LastReplySealed = protector.Seal("E");
            conversation.Ended = true;
        }
        foreach (var message in record.Messages) message.BodySealed = Erased;
        foreach (var report in record.Reports)
        {
            report.PlaceSealed = Erased;
            report.DetailsSealed = Erased;
        }
        foreach (var answer in record.Responses.SelectMany(r => r.Answers).Where(a => a.TextSealed is not null)) answer.TextSealed = Erased;
        if (record.Subscription is { } subscription) store.Remove(subscription);
        await store.SaveAsync(cancellationToken);
        await store.EraseOutboxAsync(person.Id, now, cancellationToken);
        return true;
    }
}
