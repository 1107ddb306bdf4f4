using System.Globalization;
using System.Text;
using System.Text.Json;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>A report an officer may be told of: what the alert shows, and nothing about who reported it or what they wrote.</summary>
public sealed record AlertReport(Guid Id, string Reference, string CountyCode, string Category, DateTime CreatedAt);

/// <summary>
/// The reports of <paramref name="Scope"/> received in [<paramref name="From"/>, <paramref name="Until"/>] that were not yet
/// alerted to the officer: of the categories in <paramref name="Only"/> (null: any) and not in <paramref name="Except"/>,
/// oldest first, at most <paramref name="Max"/> (null: all).
/// </summary>
public sealed record AlertQuery(
    Guid OfficerId, ReportScope Scope, DateTime From, DateTime Until, IReadOnlyList<string>? Only, IReadOnlyList<string> Except, int? Max = null);

/// <summary>What the alerts read and write, in the same unit of work as <see cref="IConversationStore"/>.</summary>
public interface IAlertStore
{
    /// <summary>Officers who may be alerted: active, with a Telegram account, alerts not off (not tracked).</summary>
    Task<IReadOnlyList<Officer>> OfficersToAlertAsync(CancellationToken cancellationToken);

    /// <summary>Filtered in the database by time, scope and category, then anti-joined with the officer's alerts.</summary>
    Task<IReadOnlyList<AlertReport>> UnalertedAsync(AlertQuery query, CancellationToken cancellationToken);

    /// <summary>Added to the current unit of work; its unique (officer, report) index makes a second one fail the save.</summary>
    void Add(OfficerAlert alert);

    /// <summary>Records, in the current unit of work, that the officer's digest was made at <paramref name="at"/>.</summary>
    void DigestMade(Officer officer, DateTime at);
}

/// <summary>What one pass did: counts only.</summary>
public sealed record AlertRun(int AtOnce, int Digests, int InDigests, int Raced)
{
    public static readonly AlertRun None = new(0, 0, 0, 0);

    /// <summary>Messages queued.</summary>
    public int Messages => AtOnce + Digests;

    public static AlertRun operator +(AlertRun a, AlertRun b) =>
        new(a.AtOnce + b.AtOnce, a.Digests + b.Digests, a.InDigests + b.InDigests, a.Raced + b.Raced);
}

/// <summary>
/// Tells officers on Telegram of new reports in their scope (<see cref="ReportAccess.ScopeOf"/>: their counties, sensitive
/// categories only with the flag). Reports of urgent categories (<c>urgent: true</c> in <c>categories.yaml</c>), or of any
/// category for an officer on <c>/alerts now</c>, go at once, one message each; for an officer on <c>/alerts digest HH:MM</c>
/// the rest go in one message a day at that time, Kenya time. Each alert names the reference, category, county and time of
/// receipt, never the reporter nor what they wrote, in the officer's language, through the outbox.
/// <para>
/// Once per officer and report: every report told of gets an <see cref="OfficerAlert"/> row in the same save as the message,
/// and the unique (officer, report) index turns a second host doing the same work into a failed save
/// (<see cref="ConcurrentStepException"/>), taken as done by the other.
/// </para>
/// </summary>
public sealed class OfficerAlerts(
    IAlertStore alerts, IConversationStore store, PersonDirectory people, DialogCatalog catalog, ReportAccess access, PersonalDataProtector protector)
{
    /// <summary>The outbox provider of Telegram (<c>TelegramSender.Name</c>).</summary>
    public const string TelegramProvider = "telegram";

    /// <summary>Reports older than this are not alerted at once (a host down for a day does not flood officers when back).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(24);

    /// <summary>The longest a digest looks back, whatever the time since the last one (alerts were off, the host was down).</summary>
    public static readonly TimeSpan LongestDigest = TimeSpan.FromDays(7);

    /// <summary>
    /// A digest also looks this far before the last one: a report whose turn committed just after that digest was made,
    /// with an earlier time, is not lost. The anti-join keeps those already told of out.
    /// </summary>
    public static readonly TimeSpan DigestOverlap = TimeSpan.FromMinutes(10);

    /// <summary>Kenya time (EAT) is UTC+3 all year.</summary>
    public static readonly TimeSpan Kenya = TimeSpan.FromHours(3);

    /// <summary>The instant (UTC) a Kenya day starts: 21:00 UTC the day before.</summary>
    public static DateTime StartOfKenyaDay(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Kenya;

    /// <summary>Messages at once per officer per pass: the rest follow in the next passes, oldest first.</summary>
    public const int MaxAtOnce = 20;

    public const int DigestListed = 10;

    public const int DigestButtons = 5;

    private const string OpenButton = "op:r:";

    public async Task<AlertRun> RunOnceAsync(DateTime now, CancellationToken cancellationToken)
    {
        var run = AlertRun.None;
        var urgent = catalog.Categories.Where(c => c.Urgent).Select(c => c.Id).ToList();
        foreach (var officer in await alerts.OfficersToAlertAsync(cancellationToken))
        {
            run += await SavedOrRacedAsync(() => AtOnceAsync(officer, urgent, now, cancellationToken), cancellationToken);
            if (officer.Alerts == AlertMode.Digest && DigestDue(officer, now))
            {
                run += await SavedOrRacedAsync(() => DigestAsync(officer, urgent, now, cancellationToken), cancellationToken);
            }
        }
        return run;
    }

    /// <summary>
    /// Whether today's digest (Kenya time) is due: its time has passed and none was made since (nor since the officer was
    /// registered, for the first).
    /// </summary>
    public static bool DigestDue(Officer officer, DateTime now)
    {
        var today = (now + Kenya).Date.AddMinutes(officer.DigestMinute) - Kenya;
        return today <= now && (officer.LastDigestAt ?? officer.CreatedAt) < today;
    }

    private async Task<AlertRun> SavedOrRacedAsync(Func<Task<AlertRun>> queue, CancellationToken cancellationToken)
    {
        try
        {
            var run = await queue();
            await store.SaveAsync(cancellationToken);
            return run;
        }
        catch (ConcurrentStepException)
        {
            // Another host (or tick) told this officer first: what it sent stands, and nothing here is sent again.
            store.Reset();
            return AlertRun.None with { Raced = 1 };
        }
    }

    private async Task<AlertRun> AtOnceAsync(Officer officer, IReadOnlyList<string> urgent, DateTime now, CancellationToken cancellationToken)
    {
        var from = officer.CreatedAt > now - Lookback ? officer.CreatedAt : now - Lookback;
        var only = officer.Alerts == AlertMode.Now ? null : urgent;
        var due = await alerts.UnalertedAsync(new AlertQuery(officer.Id, access.ScopeOf(officer), from, now, only, [], MaxAtOnce), cancellationToken);
        if (due.Count == 0 || await RecipientAsync(officer, now, cancellationToken) is not { } to) return AlertRun.None;
        foreach (var report in due)
        {
            var key = urgent.Contains(report.Category) ? "officer.alert_urgent" : "officer.alert_new";
            var text = Text(key, to.Language,
                ("ref", ReferenceNumber.Format(report.Reference)), ("category", CategoryLabel(report.Category, to.Language)),
                ("county", CountyName(report.CountyCode)), ("received", KenyaTime(report.CreatedAt)));
            Queue(to, text, [OpenReport(report, to.Language)], now);
            alerts.Add(new OfficerAlert { OfficerId = officer.Id, ReportId = report.Id, At = now });
        }
        return AlertRun.None with { AtOnce = due.Count };
    }

    private async Task<AlertRun> DigestAsync(Officer officer, IReadOnlyList<string> urgent, DateTime now, CancellationToken cancellationToken)
    {
        var since = officer.LastDigestAt ?? now - Lookback;
        if (since < now - LongestDigest) since = now - LongestDigest;
        var listed = await alerts.UnalertedAsync(
            new AlertQuery(officer.Id, access.ScopeOf(officer), since - DigestOverlap, now, null, urgent), cancellationToken);
        if (listed.Count > 0)
        {
            // An officer who blocked the bot is not told (nor marked as told): the digest waits for them, up to a week.
            if (await RecipientAsync(officer, now, cancellationToken) is not { } to) return AlertRun.None;
            Queue(to, Digest(listed, since, to.Language), [.. listed.Take(DigestButtons).Select(r => OpenReport(r, to.Language))], now);
            foreach (var report in listed) alerts.Add(new OfficerAlert { OfficerId = officer.Id, ReportId = report.Id, At = now, InDigest = true });
        }
        // An empty digest is not sent, but it was made: the next covers what arrives from now on.
        alerts.DigestMade(officer, now);
        return listed.Count == 0 ? AlertRun.None : AlertRun.None with { Digests = 1, InDigests = listed.Count };
    }

    /// <summary>Counts by county and category, then the oldest references, and how to see them all.</summary>
    private string Digest(IReadOnlyList<AlertReport> reports, DateTime since, string language)
    {
        var text = new StringBuilder().AppendLine(Text("officer.digest_title", language, ("since", KenyaTime(since)), ("count", Number(reports.Count))));
        foreach (var county in reports.GroupBy(r => r.CountyCode).OrderByDescending(g => g.Count()).ThenBy(g => CountyName(g.Key), StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{CountyName(county.Key)}: {county.Count()}");
            foreach (var category in county.GroupBy(r => r.Category).Select(g => (Label: CategoryLabel(g.Key, language), Count: g.Count()))
                         .OrderByDescending(g => g.Count).ThenBy(g => g.Label, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {category.Label}: {category.Count}");
            }
        }
        text.AppendLine(Text("officer.digest_oldest", language));
        foreach (var report in reports.Take(DigestListed))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{ReferenceNumber.Format(report.Reference)} | {CategoryLabel(report.Category, language)} | {CountyName(report.CountyCode)} | {KenyaTime(report.CreatedAt)}");
        }
        if (reports.Count > DigestListed) text.AppendLine(Text("officer.digest_more", language, ("count", Number(reports.Count - DigestListed))));
        text.Append(Text("officer.digest_all", language));
        return text.ToString();
    }

    private sealed record Recipient(Person Person, string ChatSealed, string Language);

    /// <summary>
    /// Where the officer is reached: their Telegram user id (in a private chat the chat id), as the person who uses that
    /// account, whose language they read. An officer who never wrote to the bot becomes that person now (the outbox
    /// belongs to a person). Null when the account cannot be reached or blocked the bot.
    /// </summary>
    private async Task<Recipient?> RecipientAsync(Officer officer, DateTime now, CancellationToken cancellationToken)
    {
        var person = await store.FindTelegramPersonAsync(officer.TelegramHash!, cancellationToken);
        if (person is null && officer.TelegramSealed is not null)
        {
            person = await people.FindOrAddByTelegramAsync(protector.Unseal(officer.TelegramSealed), now, cancellationToken);
        }
        if (person is null || person.IsStopped(Channel.Telegram)) return null;
        var chat = officer.TelegramSealed ?? person.TelegramChatSealed;
        return chat is null ? null : new Recipient(person, chat, Languages.OrDefault(person.Language));
    }

    private void Queue(Recipient to, string text, IReadOnlyList<ReplyOption> buttons, DateTime now) =>
        store.AddOutbox(OutboxMessage.Pending(
            to.Person.Id, Channel.Telegram, TelegramProvider, to.ChatSealed, protector.Seal(text), 1, now,
            OutboxKind.Message, buttons.Count > 0 ? JsonSerializer.Serialize(buttons) : null));

    private ReplyOption OpenReport(AlertReport report, string language) =>
        new(OpenButton + report.Reference, Text("officer.open_report", language, ("ref", ReferenceNumber.Format(report.Reference))));

    private string CountyName(string code) => catalog.County(code) is { } county ? $"{county.Name} ({county.Code})" : code;

    private string CategoryLabel(string id, string language) => catalog.Category(id)?.Label.Get(language) ?? id;

    private string Text(string key, string language, params (string Name, string Value)[] args) =>
        catalog.Text(key, language, args.ToDictionary(a => a.Name, a => a.Value));

    /// <summary>A UTC time as Kenya reads it.</summary>
    public static string KenyaTime(DateTime utc) => (utc + Kenya).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Wakes the alert worker when a turn has stored a report, so urgent alerts leave within a second rather than at the next
/// poll. A waiter takes <see cref="Next"/> before it looks for work, so a notification while it looks is not lost.
/// </summary>
public sealed class AlertSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next notification.</summary>
    public Task Next => Volatile.Read(ref _next).Task;
}
