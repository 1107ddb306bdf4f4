using System.Globalization;
using System.Text;
using System.Text.Json;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Reports;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>
/// The officer console on Telegram: reads the commands (<c>/status &lt;county&gt;</c>, <c>/reports [county] [status]</c>,
/// <c>/report &lt;ref&gt;</c>, <c>/reject &lt;ref&gt; &lt;reason&gt;</c>, <c>/console</c>, <c>/alerts …</c>, <c>/help</c>) and the triage
/// buttons, and writes the answers as Telegram messages with inline keyboards. What an officer may see and do, the
/// figures and the lifecycle are Core's (<see cref="ReportAccess"/>, <see cref="ReportFigures"/>, <see cref="Triage"/>,
/// <see cref="ReportSheet"/>), shared with the web console. Replies leave through the outbox like any other.
/// </summary>
public sealed class OfficerCommands(
    IConversationStore store, IOfficerStore officers, IQuestionnaireStore questionnaires, PersonDirectory people, DialogCatalog catalog,
    PersonalDataProtector protector, TimeProvider clock, OutboxSignal outbox, ReportAccess access, ReportFigures figures, Triage triage,
    ReportSheet sheet, IReportQueries queries, SignInLinks signIn, IOptions<ConsoleOptions> console, IHostEnvironment environment, IHttpContextAccessor http) : ITelegramCommandHandler
{
    public const int PageSize = 5;
    private const string ButtonPrefix = "op:";
    private const int MaxAttempts = 3;
    private static readonly string[] s_commands = ["status", "reports", "report", "reject", "console", "alerts", "help"];
    // A citizen's /status <ref> is the citizen STATUS keyword and /help the citizen help; the rest is officers' only.
    private static readonly string[] s_officerOnly = ["reports", "report", "reject", "console", "alerts"];

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
        var isCommand = message.Text.StartsWith('/') && s_commands.Contains(command);
        if (!isButton && !isCommand) return false;

        var officer = await officers.FindOfficerByTelegramAsync(people.TelegramHash(message.Address), cancellationToken);
        if (officer is { Disabled: true }) officer = null;
        if (officer is null && !s_officerOnly.Contains(command) && !isButton) return false;
        if (message.ProviderMessageId is { } id && await store.InboundSeenAsync(id, cancellationToken)) return true;

        var now = clock.GetUtcNow().UtcDateTime;
        var person = await people.FindOrAddByTelegramAsync(message.Address, now, cancellationToken);
        var language = Languages.OrDefault(person.Language);
        var turn = new Turn(person, language, now, attempt, message);
        if (message.CallbackQueryId is { } callback) Queue(turn, OutboxKind.CallbackAnswer, callback, "", null);

        if (officer is null)
        {
            Reply(turn, Text("officer.only", language));
        }
        else if (isButton)
        {
            await ButtonAsync(turn, officer, message.Text[ButtonPrefix.Length..], cancellationToken);
        }
        else
        {
            await (command switch
            {
                "status" => StatusAsync(turn, officer, argument, cancellationToken),
                "reports" => ReportsAsync(turn, officer, argument, 1, cancellationToken),
                "report" => ReportAsync(turn, officer, argument, cancellationToken),
                "console" => ConsoleLinkAsync(turn, officer),
                "alerts" => Alerts(turn, officer, argument),
                "help" => Help(turn),
                _ => RejectAsync(turn, officer, argument, cancellationToken),
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

    private sealed record Turn(Person Person, string Language, DateTime Now, Attempt Attempt, InboundMessage Message);

    /// <summary>What survives a retry of the same update: the version of the report the first try acted on.</summary>
    private sealed class Attempt
    {
        public int? ActedOn { get; set; }
    }

    private async Task StatusAsync(Turn turn, Officer officer, string argument, CancellationToken cancellationToken)
    {
        if (County(turn, officer, argument) is not { } county) return;
        var scope = access.ScopeOf(officer).Only(county.Code);
        var now = await figures.ScopeAsync(scope, turn.Now, cancellationToken);
        var language = turn.Language;
        var text = new StringBuilder()
            .AppendLine(Text("officer.status_title", language, ("county", county.Name), ("code", county.Code), ("date", Date(turn.Now))))
            .AppendLine(Text("officer.status_open", language, ("count", Number(now.OpenTotal))));
        foreach (var group in now.Open.GroupBy(o => o.Category).Select(g => (Category: g.Key, Count: g.Sum(o => o.Count)))
                     .OrderByDescending(g => g.Count).ThenBy(g => g.Category, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {CategoryLabel(group.Category, language)}: {group.Count}");
        }
        text.AppendLine(Text("officer.status_new", language,
            ("now", Number(ScopeFigures.Total(now.LastSevenDays))), ("before", Number(ScopeFigures.Total(now.SevenDaysBefore)))));
        var median = now.MedianDaysToFirstAction is { } days
            ? Text("officer.days", language, ("value", days.ToString("0.0", CultureInfo.InvariantCulture)))
            : Text("officer.none", language);
        text.AppendLine(Text("officer.status_median", language, ("value", median)));
        if (now.OldestOpen is { } oldest)
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
        Reply(turn, text.ToString().TrimEnd());
    }

    private async Task ReportsAsync(Turn turn, Officer officer, string argument, int page, CancellationToken cancellationToken)
    {
        var words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        ReportStatus? filter = null;
        if (words.Count > 0 && ParseStatus(words[^1]) is { } status)
        {
            filter = status;
            words.RemoveAt(words.Count - 1);
        }
        if (County(turn, officer, string.Join(' ', words)) is not { } county) return;
        var language = turn.Language;
        var scope = access.ScopeOf(officer);
        var shown = await queries.QueueAsync(scope, new QueueFilter(county.Code, filter), Math.Max(1, page), PageSize, cancellationToken);
        // A page that has emptied since the button was sent (reports closed meanwhile): show the first.
        if (shown.Rows.Count == 0 && page > 1) shown = await queries.QueueAsync(scope, new QueueFilter(county.Code, filter), 1, PageSize, cancellationToken);
        if (shown.Rows.Count == 0)
        {
            Reply(turn, Text("officer.reports_none", language));
            return;
        }
        var filterLabel = filter is { } s2 ? StatusLabel(s2, language) : Text("officer.filter_open", language);
        var text = new StringBuilder().AppendLine(Text("officer.reports_title", language,
            ("county", county.Name), ("filter", filterLabel), ("page", Number(shown.Page))));
        foreach (var report in shown.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{ReferenceNumber.Format(report.Reference)} | {CategoryLabel(report.Category, language)} | {StatusLabel(report.Status, language)} | {Date(report.CreatedAt)}");
        }
        var buttons = shown.Rows.Select(r => new ReplyOption($"{ButtonPrefix}r:{r.Reference}", Text("officer.open_report", language, ("ref", ReferenceNumber.Format(r.Reference))))).ToList();
        if (shown.HasNext)
        {
            buttons.Add(new ReplyOption($"{ButtonPrefix}l:{county.Code}:{(filter is { } f2 ? (int)f2 : 0)}:{shown.Page + 1}", Text("officer.next_page", language)));
        }
        Reply(turn, text.ToString().TrimEnd(), buttons);
    }

    private async Task ReportAsync(Turn turn, Officer officer, string argument, CancellationToken cancellationToken)
    {
        var view = await sheet.ReadAsync(officer, argument, turn.Now, cancellationToken);
        if (view is null)
        {
            NotFound(turn, argument);
            return;
        }
        var report = view.Report;
        var language = turn.Language;
        var county = catalog.County(report.CountyCode);
        var reporter = view.Reporter is null ? Text("officer.reporter_hidden", language) : view.Reporter;
        var text = new StringBuilder().AppendLine(Text("officer.report_header", language,
            ("ref", ReferenceNumber.Format(report.Reference)), ("category", CategoryLabel(report.Category, language)),
            ("county", county is null ? report.CountyCode : $"{county.Name} ({county.Code})"), ("status", StatusLabel(report.Status, language)),
            ("changed", Date(report.StatusChangedAt)), ("created", Date(report.CreatedAt)),
            ("place", view.Place), ("details", view.Narrative), ("reporter", reporter)));
        if (view.History.Count > 0)
        {
            text.AppendLine(Text("officer.history", language));
            foreach (var e in view.History)
            {
                var at = e.At.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
                text.AppendLine(e.Kind == ReportEventKind.NarrativeRead
                    ? Text("officer.history_read", language, ("at", at), ("who", e.Who))
                    : $"{at} {StatusLabel(e.From, language)} -> {StatusLabel(e.To, language)} ({e.Who}){(e.Note is null ? "" : ": " + e.Note)}");
            }
        }
        // The reporter's words go to the officer: the copy is marked as theirs, so that erasing them erases it.
        Reply(turn, text.ToString().TrimEnd(), ActionButtons(report, view.Allowed, language), about: report.ReporterId);
    }

    /// <summary>A button per change the officer may make now; each carries the report's version, so a press acts only on what was shown.</summary>
    private List<ReplyOption> ActionButtons(Report report, IReadOnlyList<ReportAction> allowed, string language) =>
    [
        .. allowed.Select(a => new ReplyOption(
            $"{ButtonPrefix}a:{report.Reference}:{a}:{report.Version.ToString(CultureInfo.InvariantCulture)}",
            Text("officer.action." + a.ToString().ToLowerInvariant(), language))),
    ];

    private async Task RejectAsync(Turn turn, Officer officer, string argument, CancellationToken cancellationToken)
    {
        // A reference may be typed with spaces ("123 456 786"): the reason is whatever follows its nine digits.
        var digits = 0;
        var cut = 0;
        while (cut < argument.Length && digits < ReferenceNumber.Length)
        {
            if (char.IsAsciiDigit(argument[cut])) digits++;
            cut++;
        }
        await ChangeAsync(turn, officer, argument[..cut].Trim(), ReportAction.Reject, argument[cut..].Trim(), null, cancellationToken);
    }

    private async Task ButtonAsync(Turn turn, Officer officer, string data, CancellationToken cancellationToken)
    {
        switch (data.Split(':'))
        {
            case ["r", var reference]:
                await ReportAsync(turn, officer, reference, cancellationToken);
                break;
            case ["l", var code, var status, var page] when int.TryParse(page, CultureInfo.InvariantCulture, out var n):
                var filter = int.TryParse(status, CultureInfo.InvariantCulture, out var s) && s > 0 ? " " + ((ReportStatus)s).ToString() : "";
                await ReportsAsync(turn, officer, code + filter, n, cancellationToken);
                break;
            // Buttons sent before reports had versions carry none: they act on the report as it is.
            case ["a", var reference, var action, .. var rest] when rest.Length <= 1 && Enum.TryParse<ReportAction>(action, out var a):
                int? seen = rest is [var version] && int.TryParse(version, CultureInfo.InvariantCulture, out var v) ? v : null;
                await ChangeAsync(turn, officer, reference, a, null, seen, cancellationToken);
                break;
            default:
                Reply(turn, Text("officer.only", turn.Language));
                break;
        }
    }

    private async Task ChangeAsync(Turn turn, Officer officer, string reference, ReportAction action, string? note, int? seen, CancellationToken cancellationToken)
    {
        // On a retry after losing the race, the version the first try acted on is what the officer saw.
        var result = await triage.ChangeAsync(officer, reference, action, note, seen ?? turn.Attempt.ActedOn, turn.Now, cancellationToken);
        var language = turn.Language;
        var report = result.Report;
        var reporterLanguage = Text("language." + result.ReporterLanguage, language);
        switch (result.Outcome)
        {
            case TriageOutcome.NotFound:
                NotFound(turn, reference);
                break;
            case TriageOutcome.ReasonNeeded:
                // How to reject, and a warning: the reporter reads the reason as typed, inside a sentence in their language.
                Reply(turn, Text("officer.reject_how", language, ("ref", ReferenceNumber.Format(report!.Reference)), ("language", reporterLanguage)));
                break;
            case TriageOutcome.NotAllowed:
                Reply(turn, Text("officer.not_allowed", language, ("ref", ReferenceNumber.Format(report!.Reference))));
                break;
            case TriageOutcome.ChangedMeanwhile:
                // Nothing is done; they see who moved it, to what, and what they may do now.
                Reply(turn, Text("officer.changed_meanwhile", language,
                    ("ref", ReferenceNumber.Format(report!.Reference)), ("who", result.LastChangeBy ?? "-"),
                    ("at", (result.LastChange?.At ?? report.StatusChangedAt).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)),
                    ("status", StatusLabel(report.Status, language))),
                    ActionButtons(report, access.CanChange(officer, report) ? new ReportLifecycle(report, officer).Allowed : [], language));
                break;
            default:
                turn.Attempt.ActedOn = report!.Version - 1;
                // A rejection shows the officer the quote exactly as the reporter reads it (made GSM-7, cut to fit one SMS).
                var reason = note is { Length: > 0 } ? note : null;
                Reply(turn, Text(reason is null ? "officer.changed" : "officer.rejected", language,
                    ("ref", ReferenceNumber.Format(report.Reference)), ("from", StatusLabel(result.From, language)), ("to", StatusLabel(report.Status, language)),
                    ("language", reporterLanguage), ("reason", reason ?? "")));
                break;
        }
    }

    /// <summary><c>/console</c>: a single-use link to the web console, valid for ten minutes.</summary>
    private Task ConsoleLinkAsync(Turn turn, Officer officer)
    {
        var request = http.HttpContext?.Request;
        var requestBase = request is null ? null : $"{request.Scheme}://{request.Host}";
        if (console.Value.BaseUrl(environment.IsDevelopment(), requestBase) is not { } baseUrl)
        {
            Reply(turn, Text("officer.console_unset", turn.Language));
            return Task.CompletedTask;
        }
        var token = signIn.Issue(officer, turn.Now);
        Reply(turn, Text("officer.console_link", turn.Language,
            ("link", SignInLinks.Link(baseUrl, token)), ("minutes", Number((int)SignInLinks.Lifetime.TotalMinutes))));
        return Task.CompletedTask;
    }

    /// <summary><c>/alerts now</c>, <c>/alerts digest 07:00</c>, <c>/alerts off</c>; without an argument, what is set now.</summary>
    private Task Alerts(Turn turn, Officer officer, string argument)
    {
        var words = argument.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["now"]:
                officer.Alerts = AlertMode.Now;
                break;
            case ["off"]:
                officer.Alerts = AlertMode.Off;
                break;
            case ["digest"]:
                officer.Alerts = AlertMode.Digest;
                break;
            case ["digest", var time] when TimeOnly.TryParseExact(time, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at):
                officer.Alerts = AlertMode.Digest;
                officer.DigestMinute = (at.Hour * 60) + at.Minute;
                break;
            case []:
                break;
            default:
                Reply(turn, Text("officer.alerts_how", turn.Language));
                return Task.CompletedTask;
        }
        Reply(turn, AlertsNow(officer, turn.Language));
        return Task.CompletedTask;
    }

    private string AlertsNow(Officer officer, string language) => officer.Alerts switch
    {
        AlertMode.Now => Text("officer.alerts_now", language),
        AlertMode.Off => Text("officer.alerts_off", language),
        _ => Text("officer.alerts_digest", language,
            ("time", new TimeOnly(officer.DigestMinute / 60, officer.DigestMinute % 60).ToString("HH:mm", CultureInfo.InvariantCulture))),
    };

    private Task Help(Turn turn)
    {
        Reply(turn, Text("officer.help", turn.Language));
        return Task.CompletedTask;
    }

    private void NotFound(Turn turn, string typed) => Reply(turn, Text("officer.report_not_found", turn.Language, ("ref", typed.Trim())));

    private County? County(Turn turn, Officer officer, string typed)
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
            Reply(turn, Text("officer.county_needed", turn.Language));
            return null;
        }
        if (!officer.Covers(county.Code))
        {
            Reply(turn, Text("officer.county_outside", turn.Language, ("county", county.Name)));
            return null;
        }
        return county;
    }

    private void Reply(Turn turn, string text, IReadOnlyList<ReplyOption>? buttons = null, Guid? about = null) =>
        Queue(turn, OutboxKind.Message, turn.Message.Address, text, buttons, about);

    private void Queue(Turn turn, OutboxKind kind, string to, string body, IReadOnlyList<ReplyOption>? buttons, Guid? about = null)
    {
        var queued = OutboxMessage.Pending(
            turn.Person.Id, Channel.Telegram, TelegramSender.Name, protector.Seal(to), protector.Seal(body), kind == OutboxKind.CallbackAnswer ? 0 : 1, turn.Now,
            kind, buttons is { Count: > 0 } ? JsonSerializer.Serialize(buttons) : null);
        queued.AboutPersonId = about;
        store.AddOutbox(queued);
    }

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

    private static string Date(DateTime at) => at.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
