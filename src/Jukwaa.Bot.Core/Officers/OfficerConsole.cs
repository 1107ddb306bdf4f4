using System.Globalization;
using System.Text;
using System.Text.Json;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>
/// Officers' commands on Telegram: <c>/status &lt;county&gt;</c>, <c>/reports [county] [status]</c>,
/// <c>/report &lt;ref&gt;</c>, <c>/reject &lt;ref&gt; &lt;reason&gt;</c>, and the triage buttons. Everything is limited to
/// the officer's role and counties; officers see phone numbers masked, never an anonymous reporter, and
/// sensitive categories only with the flag. Every change is recorded and the reporter is told on the
/// channel they used, in their language. Replies leave through the outbox like any other.
/// </summary>
public sealed class OfficerConsole(
    IConversationStore store, IOfficerStore officers, Questionnaires.IQuestionnaireStore questionnaires, PersonDirectory people,
    DialogCatalog catalog, PersonalDataProtector protector, TimeProvider clock, OutboxSignal outbox)
{
    public const int PageSize = 5;
    private const string ButtonPrefix = "op:";
    private const int MaxAttempts = 3;
    private static readonly string[] s_officerOnly = ["reports", "report", "reject"];

    /// <summary>Handles the message when it is an officer's command or button. False: it is for the citizen dialogs.</summary>
    public async Task<bool> TryHandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var attempt = new Attempt();
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await TryHandleOnceAsync(message, attempt, cancellationToken);
            }
            catch (ConcurrentStepException) when (tries < MaxAttempts)
            {
                // Another officer moved the report first (or the same update arrived twice): answer from what is there now.
                store.Reset();
            }
        }
    }

    private async Task<bool> TryHandleOnceAsync(InboundMessage message, Attempt attempt, CancellationToken cancellationToken)
    {
        if (message.Channel != Channel.Telegram || message.SharedPhone is not null) return false;
        var (command, argument) = Split(message.Text);
        var isButton = message.Text.StartsWith(ButtonPrefix, StringComparison.Ordinal);
        var isCommand = message.Text.StartsWith('/') && command is "status" or "reports" or "report" or "reject";
        if (!isButton && !isCommand) return false;

        var officer = await officers.FindOfficerByTelegramAsync(people.TelegramHash(message.Address), cancellationToken);
        if (officer is { Disabled: true }) officer = null;
        // A citizen's /status <ref> is the citizen STATUS keyword; the rest is officers' only.
        if (officer is null && !s_officerOnly.Contains(command) && !isButton) return false;
        if (message.ProviderMessageId is { } id && await store.InboundSeenAsync(id, cancellationToken)) return true;

        var now = clock.GetUtcNow().UtcDateTime;
        var person = await people.FindOrAddByTelegramAsync(message.Address, now, cancellationToken);
        var language = Languages.OrDefault(person.Language);
        var turn = new Turn(person, language, now, attempt);
        if (message.CallbackQueryId is { } callback) Queue(turn, OutboxKind.CallbackAnswer, callback, "", null);

        if (officer is null)
        {
            Reply(turn, message, Text("officer.only", language));
        }
        else if (isButton)
        {
            await ButtonAsync(turn, officer, message, message.Text[ButtonPrefix.Length..], cancellationToken);
        }
        else
        {
            await (command switch
            {
                "status" => StatusAsync(turn, officer, message, argument, cancellationToken),
                "reports" => ReportsAsync(turn, officer, message, argument, 1, cancellationToken),
                "report" => ReportAsync(turn, officer, message, argument, cancellationToken),
                _ => RejectAsync(turn, officer, message, argument, cancellationToken),
            });
        }
        store.AddMessage(new MessageRecord
        {
            PersonId = person.Id, Channel = Channel.Telegram, Direction = Direction.Inbound, At = now,
            ProviderMessageId = message.ProviderMessageId, BodySealed = protector.Seal(message.Text),
        });
        await store.SaveAsync(cancellationToken);
        outbox.Notify();
        return true;
    }

    private sealed record Turn(Person Person, string Language, DateTime Now, Attempt Attempt);

    /// <summary>What survives a retry of the same update: the version of the report the first try acted on.</summary>
    private sealed class Attempt
    {
        public int? ActedOn { get; set; }
    }

    private async Task StatusAsync(Turn turn, Officer officer, InboundMessage message, string argument, CancellationToken cancellationToken)
    {
        if (await CountyAsync(turn, officer, message, argument) is not { } county) return;
        var visible = (await officers.CountyReportsAsync(county.Code, cancellationToken)).Where(r => officer.CanRead(r, IsSensitive(r))).ToList();
        var open = visible.Where(r => ReportLifecycle.IsOpen(r.Status)).ToList();
        var language = turn.Language;
        var text = new StringBuilder()
            .AppendLine(Text("officer.status_title", language, ("county", county.Name), ("code", county.Code), ("date", Date(turn.Now))))
            .AppendLine(Text("officer.status_open", language, ("count", Number(open.Count))));
        foreach (var group in open.GroupBy(r => r.Category).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {CategoryLabel(group.Key, language)}: {group.Count()}");
        }
        var thisWeek = visible.Count(r => r.CreatedAt > turn.Now.AddDays(-7));
        var lastWeek = visible.Count(r => r.CreatedAt <= turn.Now.AddDays(-7) && r.CreatedAt > turn.Now.AddDays(-14));
        text.AppendLine(Text("officer.status_new", language, ("now", Number(thisWeek)), ("before", Number(lastWeek))));
        var firstActions = visible.Where(r => r.FirstActionAt is not null).Select(r => (r.FirstActionAt!.Value - r.CreatedAt).TotalDays).Order().ToList();
        var median = firstActions.Count == 0 ? Text("officer.none", language)
            : Text("officer.days", language, ("value", Median(firstActions).ToString("0.0", CultureInfo.InvariantCulture)));
        text.AppendLine(Text("officer.status_median", language, ("value", median)));
        if (open.OrderBy(r => r.CreatedAt).FirstOrDefault() is { } oldest)
        {
            text.AppendLine(Text("officer.status_oldest", language,
                ("ref", ReferenceNumber.Format(oldest.Reference)), ("days", Number((int)(turn.Now - oldest.CreatedAt).TotalDays)), ("status", StatusLabel(oldest.Status, language))));
        }
        var responses = await questionnaires.CountyCountsAsync(county.Code, cancellationToken);
        if (responses.Count == 0) text.AppendLine(Text("officer.status_questionnaires", language));
        foreach (var (questionnaireId, complete, incomplete) in responses)
        {
            var title = catalog.Questionnaire(questionnaireId)?.Title.Get(language) ?? questionnaireId;
            text.AppendLine(Text("officer.status_responses", language, ("title", title), ("complete", Number(complete)), ("incomplete", Number(incomplete))));
        }
        if (!officer.SeesSensitive) text.AppendLine(Text("officer.status_hidden", language));
        Reply(turn, message, text.ToString().TrimEnd());
    }

    private async Task ReportsAsync(Turn turn, Officer officer, InboundMessage message, string argument, int page, CancellationToken cancellationToken)
    {
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        ReportStatus? filter = null;
        if (words.Count > 0 && ParseStatus(words[^1]) is { } status)
        {
            filter = status;
            words.RemoveAt(words.Count - 1);
        }
        if (await CountyAsync(turn, officer, message, string.Join(' ', words)) is not { } county) return;
        var matching = (await officers.CountyReportsAsync(county.Code, cancellationToken))
            .Where(r => officer.CanRead(r, IsSensitive(r)))
            .Where(r => filter is { } f ? r.Status == f : ReportLifecycle.IsOpen(r.Status))
            .OrderBy(r => r.CreatedAt)
            .ToList();
        var language = turn.Language;
        if (matching.Count == 0)
        {
            Reply(turn, message, Text("officer.reports_none", language));
            return;
        }
        var pages = (matching.Count + PageSize - 1) / PageSize;
        page = Math.Clamp(page, 1, pages);
        var shown = matching.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var filterLabel = filter is { } s2 ? StatusLabel(s2, language) : Text("officer.filter_open", language);
        var text = new StringBuilder().AppendLine(Text("officer.reports_title", language,
            ("county", county.Name), ("filter", filterLabel), ("page", Number(page)), ("pages", Number(pages))));
        foreach (var report in shown)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{ReferenceNumber.Format(report.Reference)} | {CategoryLabel(report.Category, language)} | {StatusLabel(report.Status, language)} | {Date(report.CreatedAt)}");
        }
        var buttons = shown.Select(r => new ReplyOption($"{ButtonPrefix}r:{r.Reference}", Text("officer.open_report", language, ("ref", ReferenceNumber.Format(r.Reference))))).ToList();
        if (page < pages)
        {
            buttons.Add(new ReplyOption($"{ButtonPrefix}l:{county.Code}:{(filter is { } f2 ? (int)f2 : 0)}:{page + 1}", Text("officer.next_page", language)));
        }
        Reply(turn, message, text.ToString().TrimEnd(), buttons);
    }

    private async Task ReportAsync(Turn turn, Officer officer, InboundMessage message, string argument, CancellationToken cancellationToken)
    {
        if (await ReadableReportAsync(turn, officer, message, argument, cancellationToken) is not { } report) return;
        var language = turn.Language;
        var county = catalog.County(report.CountyCode);
        var reporter = report.Anonymous ? Text("officer.reporter_hidden", language) : await ReporterAsync(report, cancellationToken);
        var text = new StringBuilder().AppendLine(Text("officer.report_header", language,
            ("ref", ReferenceNumber.Format(report.Reference)), ("category", CategoryLabel(report.Category, language)),
            ("county", county is null ? report.CountyCode : $"{county.Name} ({county.Code})"), ("status", StatusLabel(report.Status, language)),
            ("changed", Date(report.StatusChangedAt)), ("created", Date(report.CreatedAt)),
            ("place", protector.Unseal(report.PlaceSealed)), ("details", protector.Unseal(report.DetailsSealed)), ("reporter", reporter)));
        var events = await officers.EventsAsync(report.Id, cancellationToken);
        if (events.Count > 0)
        {
            var names = await officers.OfficerNamesAsync([.. events.Select(e => e.OfficerId).OfType<Guid>()], cancellationToken);
            text.AppendLine(Text("officer.history", language));
            foreach (var e in events)
            {
                var who = e.OfficerId is { } oid && names.TryGetValue(oid, out var name) ? name : "-";
                var note = e.NoteSealed is null ? "" : ": " + protector.Unseal(e.NoteSealed);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{e.At:dd/MM/yyyy HH:mm} {StatusLabel(e.From, language)} -> {StatusLabel(e.To, language)} ({who}){note}");
            }
        }
        // The reporter's words go to the officer: the copy is marked as theirs, so that erasing them erases it.
        Reply(turn, message, text.ToString().TrimEnd(), ActionButtons(report, officer, language), about: report.ReporterId);
    }

    /// <summary>A button per change the officer may make now; each carries the report's version, so a press acts only on what was shown.</summary>
    private List<ReplyOption> ActionButtons(Report report, Officer officer, string language) =>
    [
        .. new ReportLifecycle(report, officer).Allowed.Select(a => new ReplyOption(
            $"{ButtonPrefix}a:{report.Reference}:{a}:{report.Version.ToString(CultureInfo.InvariantCulture)}",
            Text("officer.action." + a.ToString().ToLowerInvariant(), language))),
    ];

    private async Task RejectAsync(Turn turn, Officer officer, InboundMessage message, string argument, CancellationToken cancellationToken)
    {
        // A reference may be typed with spaces ("123 456 786"): the reason is whatever follows its nine digits.
        var digits = 0;
        var cut = 0;
        while (cut < argument.Length && digits < ReferenceNumber.Length)
        {
            if (char.IsAsciiDigit(argument[cut])) digits++;
            cut++;
        }
        var reference = argument[..cut].Trim();
        var reason = argument[cut..].Trim();
        if (reason.Length == 0)
        {
            await RejectHowAsync(turn, officer, message, reference, cancellationToken);
            return;
        }
        await ChangeAsync(turn, officer, message, reference, ReportAction.Reject, reason, null, cancellationToken);
    }

    /// <summary>How to reject, and a warning: the reporter reads the reason as typed, inside a sentence in their language.</summary>
    private async Task RejectHowAsync(Turn turn, Officer officer, InboundMessage message, string typed, CancellationToken cancellationToken)
    {
        if (await ReadableReportAsync(turn, officer, message, typed, cancellationToken) is not { } report) return;
        var reporter = await officers.FindPersonByIdAsync(report.ReporterId, cancellationToken);
        Reply(turn, message, Text("officer.reject_how", turn.Language,
            ("ref", ReferenceNumber.Format(report.Reference)), ("language", LanguageName(ReporterLanguage(report, reporter), turn.Language))));
    }

    private async Task ButtonAsync(Turn turn, Officer officer, InboundMessage message, string data, CancellationToken cancellationToken)
    {
        var parts = data.Split(':');
        switch (parts)
        {
            case ["r", var reference]:
                await ReportAsync(turn, officer, message, reference, cancellationToken);
                break;
            case ["l", var code, var status, var page] when int.TryParse(page, CultureInfo.InvariantCulture, out var n):
                var filter = int.TryParse(status, CultureInfo.InvariantCulture, out var s) && s > 0 ? " " + ((ReportStatus)s).ToString() : "";
                await ReportsAsync(turn, officer, message, code + filter, n, cancellationToken);
                break;
            // Buttons sent before reports had versions carry none: they act on the report as it is.
            case ["a", var reference, var action, .. var rest] when rest.Length <= 1 && Enum.TryParse<ReportAction>(action, out var a):
                int? seen = rest is [var version] && int.TryParse(version, CultureInfo.InvariantCulture, out var v) ? v : null;
                if (a == ReportAction.Reject) await RejectHowAsync(turn, officer, message, reference, cancellationToken);
                else await ChangeAsync(turn, officer, message, reference, a, null, seen, cancellationToken);
                break;
            default:
                Reply(turn, message, Text("officer.only", turn.Language));
                break;
        }
    }

    /// <summary>
    /// Moves a report if it is still the version the officer saw (<paramref name="seen"/>) and the lifecycle allows it
    /// for this officer, records who/when/from/to/why, and tells the reporter.
    /// </summary>
    private async Task ChangeAsync(
        Turn turn, Officer officer, InboundMessage message, string typed, ReportAction action, string? note, int? seen, CancellationToken cancellationToken)
    {
        if (await ReadableReportAsync(turn, officer, message, typed, cancellationToken) is not { } report) return;
        // On a retry after losing the race, the version the first try acted on is what the officer saw.
        seen ??= turn.Attempt.ActedOn;
        if (seen is { } version && version != report.Version)
        {
            await ChangedMeanwhileAsync(turn, officer, message, report, cancellationToken);
            return;
        }
        turn.Attempt.ActedOn = report.Version;
        var from = report.Status;
        var lifecycle = new ReportLifecycle(report, officer);
        if (!lifecycle.Apply(action))
        {
            Reply(turn, message, Text("officer.not_allowed", turn.Language, ("ref", ReferenceNumber.Format(report.Reference))));
            return;
        }
        report.StatusChangedAt = turn.Now;
        report.FirstActionAt ??= turn.Now;
        report.Version++;
        officers.AddEvent(new ReportEvent
        {
            ReportId = report.Id, OfficerId = officer.Id, At = turn.Now, From = from, To = report.Status,
            NoteSealed = note is null ? null : protector.Seal(note),
        });
        var reporter = await officers.FindPersonByIdAsync(report.ReporterId, cancellationToken);
        NotifyReporter(report, reporter, note, turn.Now);
        // A rejection shows the officer the quote exactly as the reporter reads it (made GSM-7, cut to fit one SMS).
        Reply(turn, message, Text(note is null ? "officer.changed" : "officer.rejected", turn.Language,
            ("ref", ReferenceNumber.Format(report.Reference)), ("from", StatusLabel(from, turn.Language)), ("to", StatusLabel(report.Status, turn.Language)),
            ("language", LanguageName(ReporterLanguage(report, reporter), turn.Language)), ("reason", note ?? "")));
    }

    /// <summary>The officer acted on a report someone else has moved since: nothing is done; they see who moved it, to what, and what they may do now.</summary>
    private async Task ChangedMeanwhileAsync(Turn turn, Officer officer, InboundMessage message, Report report, CancellationToken cancellationToken)
    {
        var events = await officers.EventsAsync(report.Id, cancellationToken);
        var last = events.Count == 0 ? null : events[^1];
        var names = last?.OfficerId is { } id ? await officers.OfficerNamesAsync([id], cancellationToken) : new Dictionary<Guid, string>();
        Reply(turn, message, Text("officer.changed_meanwhile", turn.Language,
            ("ref", ReferenceNumber.Format(report.Reference)), ("who", last?.OfficerId is { } oid && names.TryGetValue(oid, out var name) ? name : "-"),
            ("at", (last?.At ?? report.StatusChangedAt).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)), ("status", StatusLabel(report.Status, turn.Language))),
            ActionButtons(report, officer, turn.Language));
    }

    /// <summary>The reporter hears of every change, anonymous or not, on the channel they used and in their language.</summary>
    /// <remarks>The officer's reason is never the whole message: it is quoted inside a fixed sentence in the reporter's language.</remarks>
    private void NotifyReporter(Report report, Person? reporter, string? reason, DateTime now)
    {
        if (reporter is null) return;
        var channel = report.Channel == Channel.Telegram ? Channel.Telegram : Channel.Sms;
        if (reporter.IsStopped(channel)) return;
        var language = ReporterLanguage(report, reporter);
        var reference = ReferenceNumber.Format(report.Reference);
        var text = report.Status == ReportStatus.Rejected
            ? Text("reporter.rejected", language, ("ref", reference), ("reason", reason ?? ""))
            : Text("reporter.changed", language, ("ref", reference), ("status", StatusLabel(report.Status, language)));
        var to = channel == Channel.Telegram ? reporter.TelegramChatSealed : reporter.AddressSealed;
        if (to is null) return;
        store.AddOutbox(OutboxMessage.Pending(reporter.Id, channel, report.ReplyProvider, to, protector.Seal(text), Jukwaa.Bot.Core.Text.Gsm7.SmsParts(text), now));
    }

    private static string ReporterLanguage(Report report, Person? reporter) => Languages.OrDefault(reporter?.Language ?? report.Language);

    private string LanguageName(string language, string inLanguage) => Text("language." + language, inLanguage);

    private async Task<Report?> ReadableReportAsync(Turn turn, Officer officer, InboundMessage message, string typed, CancellationToken cancellationToken)
    {
        var check = ReferenceNumber.Check(typed);
        var report = check.Validity == ReferenceValidity.Valid ? await officers.FindReportAsync(check.Digits, cancellationToken) : null;
        if (report is null || !officer.CanRead(report, IsSensitive(report)))
        {
            // The same answer whether it does not exist or is outside the officer's reach.
            Reply(turn, message, Text("officer.report_not_found", turn.Language, ("ref", typed.Trim())));
            return null;
        }
        return report;
    }

    private Task<County?> CountyAsync(Turn turn, Officer officer, InboundMessage message, string typed)
    {
        County? county = null;
        if (typed.Trim().Length == 0)
        {
            if (!officer.CoversAllCounties && officer.CountyCodes.Count == 1) county = catalog.County(officer.CountyCodes[0]);
        }
        else if (CountySearchAction.Search(catalog, typed) is [var only])
        {
            county = only;
        }
        if (county is null)
        {
            Reply(turn, message, Text("officer.county_needed", turn.Language));
            return Task.FromResult<County?>(null);
        }
        if (!officer.Covers(county.Code))
        {
            Reply(turn, message, Text("officer.county_outside", turn.Language, ("county", county.Name)));
            return Task.FromResult<County?>(null);
        }
        return Task.FromResult<County?>(county);
    }

    private async Task<string> ReporterAsync(Report report, CancellationToken cancellationToken)
    {
        var person = await officers.FindPersonByIdAsync(report.ReporterId, cancellationToken);
        if (person is null) return "-";
        var address = protector.Unseal(person.AddressSealed);
        return address.StartsWith("tg:", StringComparison.Ordinal) ? "Telegram" : PhoneNumber.Mask(address);
    }

    private void Reply(Turn turn, InboundMessage message, string text, IReadOnlyList<ReplyOption>? buttons = null, Guid? about = null) =>
        Queue(turn, OutboxKind.Message, message.Address, text, buttons, about);

    private void Queue(Turn turn, OutboxKind kind, string to, string body, IReadOnlyList<ReplyOption>? buttons, Guid? about = null)
    {
        var queued = OutboxMessage.Pending(
            turn.Person.Id, Channel.Telegram, "telegram", protector.Seal(to), protector.Seal(body), kind == OutboxKind.CallbackAnswer ? 0 : 1, turn.Now,
            kind, buttons is { Count: > 0 } ? JsonSerializer.Serialize(buttons) : null);
        queued.AboutPersonId = about;
        store.AddOutbox(queued);
    }

    private bool IsSensitive(Report report) => catalog.Category(report.Category)?.Sensitive ?? false;

    private string CategoryLabel(string id, string language) => catalog.Category(id)?.Label.Get(language) ?? id;

    private string StatusLabel(ReportStatus status, string language) => Text("report_status." + ReportStatusAction.StatusKey(status), language);

    private string Text(string key, string language, params (string Name, string Value)[] args) =>
        catalog.Text(key, language, args.ToDictionary(a => a.Name, a => a.Value));

    private static ReportStatus? ParseStatus(string word) =>
        Enum.TryParse<ReportStatus>(word.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : null;

    private static (string Command, string Argument) Split(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('/')) return ("", trimmed);
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var command = (space < 0 ? trimmed[1..] : trimmed[1..space]).Split('@')[0].ToLowerInvariant();
        return (command, space < 0 ? "" : trimmed[(space + 1)..].Trim());
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Date(DateTime at) => at.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
