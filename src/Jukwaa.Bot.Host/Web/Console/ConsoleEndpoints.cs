using System.Globalization;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Jukwaa.Bot.Host.Web.Console;

/// <summary>
/// The programme console under <c>/console</c>: sign-in by single-use link, the overview of an officer's scope with
/// the county map, the reports queue, a report with its triage buttons, and a county's weekly chart. Razor
/// components rendered on the server; no script. What an officer may see and do is Core's (<see cref="ReportAccess"/>,
/// <see cref="Triage"/>, <see cref="ReportSheet"/>, <see cref="ReportFigures"/>), the same as on Telegram; a report or
/// county outside their reach is answered 404. Every form carries an anti-forgery token; a POST without a valid one
/// changes nothing (400).
/// </summary>
public static partial class ConsoleEndpoints
{
    public const string Root = "/console";
    public const int QueuePageSize = 25;
    public const int Weeks = 26;

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        // Console forms are a few short fields: anything larger is refused before it is read into memory.
        var console = endpoints.MapGroup(Root).WithFormOptions(valueCountLimit: 20, valueLengthLimit: 8 * 1024, multipartBodyLengthLimit: 64 * 1024);
        console.MapMethods("", read, OverviewAsync);
        console.MapMethods("/signin", read, SignInPageAsync);
        console.MapPost("/signin", SignInAsync);
        console.MapPost("/signout", SignOutAsync);
        console.MapMethods("/reports", read, QueueAsync);
        console.MapMethods("/reports/{reference}", read, ReportAsync);
        console.MapPost("/reports/{reference}", ActAsync);
        console.MapMethods("/counties/{code}", read, CountyAsync);
        MapResults(console, read);
        return endpoints;
    }

    public static string ReportPath(string reference) => $"{Root}/reports/{reference}";

    public static string CountyPath(string code) => $"{Root}/counties/{code}";

    // ---- signing in and out ----

    private static async Task<IResult> SignInPageAsync(HttpContext context, string? token, SignInLinks links, IOfficerStore officers, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Frame(context, null) is not { } frame) return BadLanguage();
        var (state, officerId) = await links.CheckAsync(token, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var officer = officerId is { } id ? await officers.FindOfficerAsync(id, cancellationToken) : null;
        if (state == SignInTokenState.Valid && officer is { Disabled: false })
        {
            // Opening the link only asks; the POST signs in. Link previews (Telegram fetches links it is sent) cannot use it up,
            // and the cookie, SameSite=Strict, is set by a request from our own page.
            return Page<ConsoleSignIn>(new() { [nameof(ConsoleSignIn.Frame)] = frame, [nameof(ConsoleSignIn.Token)] = token, [nameof(ConsoleSignIn.Officer)] = officer });
        }
        return SignInRefused(frame, officer is { Disabled: true } ? SignInTokenState.Unknown : state);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, SignInLinks links, IOfficerStore officers, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FormAsync(context, cancellationToken) is not { } form) return Forbidden();
        if (Frame(context, null) is not { } frame) return BadLanguage();
        var token = form["token"].ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        var officerId = await links.RedeemAsync(token, now, cancellationToken);
        var officer = officerId is { } id ? await officers.FindOfficerAsync(id, cancellationToken) : null;
        if (officer is not { Disabled: false })
        {
            var (state, _) = await links.CheckAsync(token, now, cancellationToken);
            return SignInRefused(frame, officer is { Disabled: true } ? SignInTokenState.Unknown : state);
        }
        await ConsoleSession.SignInAsync(context, officer);
        return SeeOther(Root);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (await FormAsync(context, cancellationToken) is null) return Forbidden();
        await ConsoleSession.SignOutAsync(context);
        return SeeOther(Root);
    }

    private static RazorComponentResult<ConsoleMessage> SignInRefused(ConsoleFrame frame, SignInTokenState state)
    {
        var key = state switch
        {
            SignInTokenState.Used => "console.signin_used",
            SignInTokenState.Expired => "console.signin_expired",
            _ => "console.signin_unknown",
        };
        return Page<ConsoleMessage>(new()
        {
            [nameof(ConsoleMessage.Frame)] = frame, [nameof(ConsoleMessage.Title)] = frame.Text["console.signin_title"],
            [nameof(ConsoleMessage.Lines)] = new[] { frame.Text[key], frame.Text["console.how_to_sign_in"] },
        }, state == SignInTokenState.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone);
    }

    // ---- pages ----

    private static async Task<IResult> OverviewAsync(
        HttpContext context, string? shade, IOfficerStore officers, ReportAccess access, ReportFigures figures, IPublicationStore publications,
        DialogCatalog catalog, TimeProvider clock, CancellationToken cancellationToken)
    {
        var officer = await ConsoleSession.OfficerAsync(context, officers, cancellationToken);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        if (officer is null)
        {
            return Page<ConsoleMessage>(new()
            {
                [nameof(ConsoleMessage.Frame)] = frame, [nameof(ConsoleMessage.Title)] = frame.Text["console.title"],
                [nameof(ConsoleMessage.Lines)] = new[] { frame.Text["console.signed_out"], frame.Text["console.how_to_sign_in"] },
            });
        }
        shade ??= "open";
        if (shade is not ("open" or "grade")) return Refuse("shade", ["open", "grade"]);
        var scope = access.ScopeOf(officer);
        var now = await figures.ScopeAsync(scope, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var grades = shade == "grade"
            ? (await publications.LatestOfEachCountyAsync(cancellationToken)).ToDictionary(p => p.CountyCode, p => p.Overall, StringComparer.Ordinal)
            : null;
        return Page<ConsoleOverview>(new()
        {
            [nameof(ConsoleOverview.Frame)] = frame, [nameof(ConsoleOverview.Figures)] = now, [nameof(ConsoleOverview.Scope)] = scope,
            [nameof(ConsoleOverview.Grades)] = grades, [nameof(ConsoleOverview.Counties)] = catalog.Counties,
        });
    }

    private static async Task<IResult> QueueAsync(
        HttpContext context, string? county, string? status, string? category, string? from, string? to, int? page,
        IOfficerStore officers, ReportAccess access, IReportQueries queries, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        var scope = access.ScopeOf(officer);
        County? countyFilter = null;
        if (!string.IsNullOrEmpty(county))
        {
            countyFilter = catalog.County(county);
            if (countyFilter is null) return Refuse("county", ["a county code, 001 to 047"]);
            if (!scope.Covers(countyFilter.Code)) return NotFound(frame);
        }
        ReportStatus? statusFilter = null;
        var anyStatus = status == "all";
        if (!string.IsNullOrEmpty(status) && status is not ("open" or "all"))
        {
            if (!Enum.TryParse<ReportStatus>(status, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, CultureInfo.InvariantCulture, out _))
            {
                return Refuse("status", ["open", "all", .. Enum.GetNames<ReportStatus>()]);
            }
            statusFilter = parsed;
        }
        if (!string.IsNullOrEmpty(category) && (catalog.Category(category) is null || scope.HiddenCategories.Contains(category)))
        {
            return Refuse("category", [.. catalog.Categories.Select(c => c.Id).Where(c => !scope.HiddenCategories.Contains(c))]);
        }
        if (!Day(from, out var fromDay)) return Refuse("from", ["a date, yyyy-mm-dd"]);
        if (!Day(to, out var toDay)) return Refuse("to", ["a date, yyyy-mm-dd"]);
        if (page is < 1 or > 100_000) return Refuse("page", ["a page number from 1"]);
        var filter = new QueueFilter(countyFilter?.Code, statusFilter, string.IsNullOrEmpty(category) ? null : category, fromDay, toDay, anyStatus);
        var shown = await queries.QueueAsync(scope, filter, page ?? 1, QueuePageSize, cancellationToken);
        return Page<ConsoleReports>(new()
        {
            [nameof(ConsoleReports.Frame)] = frame, [nameof(ConsoleReports.Filter)] = filter,             [nameof(ConsoleReports.Shown)] = shown, [nameof(ConsoleReports.Scope)] = scope, [nameof(ConsoleReports.Query)] = context.Request.Query,
        });
    }

    private static async Task<IResult> ReportAsync(
        HttpContext context, string reference, string? notice, IOfficerStore officers, ReportSheet sheet, IConversationStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        if (notice is not (null or "changed")) return Refuse("notice", ["changed"]);
        var view = await sheet.ReadAsync(officer, reference, clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (view is null) return NotFound(frame);
        await store.SaveAsync(cancellationToken);     // the audit of a sensitive read
        return ReportPage(frame, view, notice == "changed" ? Changed(frame, view) : null);
    }

    private static async Task<IResult> ActAsync(
        HttpContext context, string reference, IOfficerStore officers, Triage triage, ReportSheet sheet, IConversationStore store, Core.Messaging.OutboxSignal outbox,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FormAsync(context, cancellationToken) is not { } form) return Forbidden();
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        if (!Enum.TryParse<ReportAction>(form["action"].ToString(), out var action) || !Enum.IsDefined(action) || int.TryParse(form["action"].ToString(), out _))
        {
            return Refuse("action", Enum.GetNames<ReportAction>());
        }
        if (!int.TryParse(form["version"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return Refuse("version", ["the report's version, a number"]);
        var note = form["note"].ToString();
        if (note.Length > MaxNote) return Refuse("note", [$"at most {MaxNote} characters"]);
        var now = clock.GetUtcNow().UtcDateTime;
        TriageResult result;
        try
        {
            result = await triage.ChangeAsync(officer, reference, action, note, version, now, cancellationToken);
            if (result.Outcome == TriageOutcome.Changed) await store.SaveAsync(cancellationToken);
        }
        catch (ConcurrentStepException)
        {
            // Another officer saved first: nothing of ours was saved; show the report as it is now.
            store.Reset();
            result = await triage.ChangeAsync(officer, reference, action, note, version, now, cancellationToken);
        }
        if (result.Outcome == TriageOutcome.NotFound) return NotFound(frame);
        if (result.Outcome == TriageOutcome.Changed)
        {
            outbox.Notify();
            return SeeOther(ReportPath(result.Report!.Reference) + "?notice=changed");
        }
        store.Reset();
        var view = await sheet.ReadAsync(officer, reference, now, cancellationToken);
        if (view is null) return NotFound(frame);
        await store.SaveAsync(cancellationToken);
        var text = frame.Text;
        var status = (ReportStatus s) => text["report_status." + ReportStatusAction.StatusKey(s)];
        var message = result.Outcome switch
        {
            TriageOutcome.ChangedMeanwhile => text.Format("officer.changed_meanwhile",
                ("ref", ReferenceNumber.Format(view.Report.Reference)), ("who", result.LastChangeBy ?? "-"),
                ("at", (result.LastChange?.At ?? view.Report.StatusChangedAt).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)),
                ("status", status(view.Report.Status))),
            TriageOutcome.ReasonNeeded => text["console.reason_needed"],
            _ => text.Format("officer.not_allowed", ("ref", ReferenceNumber.Format(view.Report.Reference))),
        };
        return ReportPage(frame, view, message, StatusCodes.Status409Conflict);
    }

    /// <summary>The longest note an officer may add to a move (a rejection's reason reaches the reporter cut to 90 characters).</summary>
    public const int MaxNote = 500;

    private static string Changed(ConsoleFrame frame, ReportView view)
    {
        var last = view.History.LastOrDefault(h => h.Kind == ReportEventKind.StatusChange);
        var status = (ReportStatus s) => frame.Text["report_status." + ReportStatusAction.StatusKey(s)];
        return last is null ? "" : frame.Text.Format("console.changed",
            ("from", status(last.From)), ("to", status(last.To)), ("language", frame.Text["language." + view.ReporterLanguage]));
    }

    private static RazorComponentResult<ConsoleReport> ReportPage(ConsoleFrame frame, ReportView view, string? notice, int status = StatusCodes.Status200OK) =>
        Page<ConsoleReport>(new()
        {
            [nameof(ConsoleReport.Frame)] = frame, [nameof(ConsoleReport.View)] = view, [nameof(ConsoleReport.Notice)] = notice,
        }, status);

    private static async Task<IResult> CountyAsync(
        HttpContext context, string code, IOfficerStore officers, ReportAccess access, ReportFigures figures, IQuestionnaireStore questionnaires,
        DialogCatalog catalog, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        var scope = access.ScopeOf(officer);
        if (catalog.County(code) is not { } county || !scope.Covers(county.Code)) return NotFound(frame);
        var now = clock.GetUtcNow().UtcDateTime;
        var countyScope = scope.Only(county.Code);
        var weekly = await figures.WeeklyAsync(countyScope, now, Weeks, cancellationToken);
        var summary = await figures.ScopeAsync(countyScope, now, cancellationToken);
        var responses = await questionnaires.CountyCountsAsync(county.Code, cancellationToken);
        return Page<ConsoleCounty>(new()
        {
            [nameof(ConsoleCounty.Frame)] = frame, [nameof(ConsoleCounty.County)] = county, [nameof(ConsoleCounty.Weekly)] = weekly,
            [nameof(ConsoleCounty.Figures)] = summary, [nameof(ConsoleCounty.Responses)] = responses,
        });
    }

    // ---- helpers ----

    /// <summary>The frame every console page shares; null when <c>?lang=</c> names a language we do not offer.</summary>
    private static ConsoleFrame? Frame(HttpContext context, Officer? officer)
    {
        if (ConsoleSession.Language(context) is not { } language) return null;
        var text = new PageText(context.RequestServices.GetRequiredService<DialogCatalog>(), language);
        var query = context.Request.Query.Where(q => q.Key is not ("lang" or "notice")).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query["lang"] = text.Other;
        var other = QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, query);
        return new ConsoleFrame(text, officer, ConsoleSession.Token(context), other);
    }

    /// <summary>The posted form when its anti-forgery token is valid; null otherwise (the caller answers 400 and changes nothing).</summary>
    private static async Task<IFormCollection?> FormAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType) return null;
        // The anti-forgery check reads the form (within the group's form limits); the handler then reads the same, buffered, form.
        if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)) return null;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        return form.Any(field => field.Value.Count > 1) ? null : form;
    }

    private static IResult Forbidden() =>
        Results.Text("This form has expired or did not come from the console (anti-forgery check failed). Go back, reload the page and try again.",
            "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    private static RazorComponentResult<ConsoleMessage> NotFound(ConsoleFrame frame) => Page<ConsoleMessage>(new()
    {
        [nameof(ConsoleMessage.Frame)] = frame, [nameof(ConsoleMessage.Title)] = frame.Text["console.not_found_title"],
        [nameof(ConsoleMessage.Lines)] = new[] { frame.Text["console.not_found"] },
    }, StatusCodes.Status404NotFound);

    private static RazorComponentResult<T> Page<T>(Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK) where T : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status };

    private static SeeOtherResult SeeOther(string location) => new(location);

    private static IResult BadLanguage() => Refuse("lang", Languages.All);

    private static IResult Refuse(string parameter, IEnumerable<string> allowed) => ScorecardPages.Refuse(parameter, allowed);

    private static bool Day(string? typed, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrEmpty(typed)) return true;
        if (!DateOnly.TryParseExact(typed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        day = parsed;
        return true;
    }

    /// <summary>303 See Other: after a POST, the browser GETs the page (so a reload does not post again).</summary>
    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

/// <summary>What every console page shares: its words, the signed-in officer (null when signed out), the forms' token, and this page in the other language.</summary>
public sealed record ConsoleFrame(PageText Text, Officer? Officer, FormToken Token, string OtherLanguageHref);
