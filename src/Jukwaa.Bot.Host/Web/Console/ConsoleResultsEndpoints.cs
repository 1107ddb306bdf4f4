using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Questionnaires;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jukwaa.Bot.Host.Web.Console;

/// <summary>
/// Questionnaire results under <c>/console/results</c>: the versions, one version's figures (counted in the database),
/// a free-text question's answers (M&amp;E staff and administrators only), and the downloads. An officer sees the
/// responses of their counties only (<see cref="ReportAccess.ResultCounties"/>); a county outside them is 404.
/// </summary>
public static partial class ConsoleEndpoints
{
    public const int FreeTextPageSize = 25;

    public static string ResultsPath(string questionnaireId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{Root}/results/{Uri.EscapeDataString(questionnaireId)}/{version}");

    public static string FreeTextPath(string questionnaireId, int version, string questionId) =>
        $"{ResultsPath(questionnaireId, version)}/text/{Uri.EscapeDataString(questionId)}";

    public static string DownloadPath(string questionnaireId, string format) => $"{Root}/results/{Uri.EscapeDataString(questionnaireId)}/responses.{format}";

    private static void MapResults(RouteGroupBuilder console, string[] read)
    {
        console.MapMethods("/results", read, ResultsListAsync);
        console.MapMethods("/results/{id}/{version:int}", read, ResultsAsync);
        console.MapMethods("/results/{id}/{version:int}/text/{question}", read, FreeTextAsync);
        console.MapMethods("/results/{id}/responses.csv", read, (HttpContext context, string id, CancellationToken ct) => DownloadAsync(context, id, "csv", ct));
        console.MapMethods("/results/{id}/responses.xlsx", read, (HttpContext context, string id, CancellationToken ct) => DownloadAsync(context, id, "xlsx", ct));
    }

    private static async Task<IResult> ResultsListAsync(HttpContext context, IOfficerStore officers, IResultsQueries results, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        var counts = (await results.VersionsAsync(ReportAccess.ResultCounties(officer), cancellationToken))
            .ToDictionary(c => (c.QuestionnaireId, c.Version), c => c.Responses);
        var versions = catalog.Questionnaires.OrderBy(q => q.Id, StringComparer.Ordinal).ThenByDescending(q => q.Version)
            .Select(q => (q, counts.GetValueOrDefault((q.Id, q.Version)))).ToList();
        return Page<ConsoleResultsList>(new() { [nameof(ConsoleResultsList.Frame)] = frame, [nameof(ConsoleResultsList.Versions)] = versions });
    }

    private static async Task<IResult> ResultsAsync(
        HttpContext context, string id, int version, IOfficerStore officers, IResultsQueries results, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        if (catalog.Questionnaire(id, version) is not { } definition) return NotFound(frame);
        var (filter, county, refused) = ResultsFilterOf(context, officer, frame, id, version, catalog);
        if (refused is not null) return refused;
        var overview = await results.OverviewAsync(filter!, cancellationToken);
        var counted = definition.Questions.Select(q => q.Id).ToList();
        var counts = await results.AnswerCountsAsync(filter!, counted, cancellationToken);
        return Page<ConsoleResults>(new()
        {
            [nameof(ConsoleResults.Frame)] = frame, [nameof(ConsoleResults.Definition)] = definition, [nameof(ConsoleResults.Filter)] = filter,
            [nameof(ConsoleResults.County)] = county, [nameof(ConsoleResults.Counties)] = CountiesOf(officer, catalog),
            [nameof(ConsoleResults.Overview)] = overview, [nameof(ConsoleResults.Questions)] = QuestionFigures.Of(definition, counts, catalog, frame.Text.Language),
            [nameof(ConsoleResults.FreeText)] = ReportAccess.CanReadFreeText(officer), [nameof(ConsoleResults.Query)] = context.Request.Query,
        });
    }

    private static async Task<IResult> FreeTextAsync(
        HttpContext context, string id, int version, string question, int? page, IOfficerStore officers, IResultsQueries results, DialogCatalog catalog,
        PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.OfficerAsync(context, officers, cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        // Free text is for M&E staff and administrators: to anyone else the page does not exist.
        if (!ReportAccess.CanReadFreeText(officer) || catalog.Questionnaire(id, version) is not { } definition
            || definition.Find(question) is not { Type: QuestionType.Text } asked)
        {
            return NotFound(frame);
        }
        var (filter, _, refused) = ResultsFilterOf(context, officer, frame, id, version, catalog);
        if (refused is not null) return refused;
        if (page is < 1 or > 100_000) return Refuse("page", ["a page number from 1"]);
        var shown = page ?? 1;
        var (total, sealedTexts) = await results.FreeTextAsync(filter!, question, (shown - 1) * FreeTextPageSize, FreeTextPageSize, cancellationToken);
        return Page<ConsoleFreeText>(new()
        {
            [nameof(ConsoleFreeText.Frame)] = frame, [nameof(ConsoleFreeText.Definition)] = definition, [nameof(ConsoleFreeText.Question)] = asked,
            [nameof(ConsoleFreeText.Total)] = total, [nameof(ConsoleFreeText.Page)] = shown,
            [nameof(ConsoleFreeText.Texts)] = sealedTexts.Select(protector.Unseal).ToList(), [nameof(ConsoleFreeText.Query)] = context.Request.Query,
        });
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, string id, string format, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        if (await ConsoleSession.OfficerAsync(context, services.GetRequiredService<IOfficerStore>(), cancellationToken) is not { } officer) return SeeOther(Root);
        if (Frame(context, officer) is not { } frame) return BadLanguage();
        var catalog = services.GetRequiredService<DialogCatalog>();
        int? version = null;
        if (context.Request.Query.TryGetValue("version", out var typed) && typed.ToString().Length > 0)
        {
            if (!int.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return Refuse("version", ["a version number"]);
            version = parsed;
        }
        if (catalog.Questionnaire(id, version) is null) return NotFound(frame);
        var (filter, _, refused) = ResultsFilterOf(context, officer, frame, id, version, catalog);
        if (refused is not null) return refused;
        var results = services.GetRequiredService<QuestionnaireResults>();
        var freeText = ReportAccess.CanReadFreeText(officer);
        var name = version is { } v ? string.Create(CultureInfo.InvariantCulture, $"{id}-v{v}-responses.{format}") : $"{id}-responses.{format}";
        if (format == "csv")
        {
            return new StreamedDownload("text/csv; charset=utf-8", name, async (body, ct) =>
            {
                // A byte-order mark: without it Excel reads UTF-8 as the local code page and garbles what people typed.
                await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
                await results.ExportAsync(filter!, freeText, new CsvResultsSheet(writer), ct);
            });
        }
        return new StreamedDownload("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name, async (body, ct) =>
        {
            // OpenXmlWriter writes synchronously, which a response body refuses: the workbook is written to a temporary file
            // (memory stays flat; the file is deleted when closed) and then sent.
            var path = Path.GetTempFileName();
            await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            using (var sheet = new XlsxResultsSheet(file, id))
            {
                await results.ExportAsync(filter!, freeText, sheet, ct);
            }
            file.Position = 0;
            await file.CopyToAsync(body, ct);
        });
    }

    /// <summary>The filter of a results page or download from its query, within the officer's counties; or the answer that refuses it.</summary>
    private static (ResultsFilter? Filter, string? County, IResult? Refused) ResultsFilterOf(
        HttpContext context, Officer officer, ConsoleFrame frame, string id, int? version, DialogCatalog catalog)
    {
        var query = context.Request.Query;
        var counties = ReportAccess.ResultCounties(officer);
        string? county = null;
        if (query["county"].ToString() is { Length: > 0 } typedCounty)
        {
            if (catalog.County(typedCounty) is not { } found) return (null, null, Refuse("county", ["a county code, 001 to 047"]));
            if (counties is not null && !counties.Contains(found.Code, StringComparer.Ordinal)) return (null, null, NotFound(frame));
            county = found.Code;
            counties = [found.Code];
        }
        Channel? channel = null;
        if (query["channel"].ToString() is { Length: > 0 } typedChannel)
        {
            if (!Enum.TryParse<Channel>(typedChannel, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(typedChannel, CultureInfo.InvariantCulture, out _))
            {
                return (null, null, Refuse("channel", ["ussd", "sms", "telegram"]));
            }
            channel = parsed;
        }
        if (!Day(query["from"].ToString(), out var from)) return (null, null, Refuse("from", ["a date, yyyy-mm-dd"]));
        if (!Day(query["to"].ToString(), out var to)) return (null, null, Refuse("to", ["a date, yyyy-mm-dd"]));
        return (new ResultsFilter(id, version, counties, channel, from, to), county, null);
    }

    private static List<County> CountiesOf(Officer officer, DialogCatalog catalog) =>
        [.. catalog.Counties.Where(c => ReportAccess.ResultCounties(officer) is not { } mine || mine.Contains(c.Code, StringComparer.Ordinal))];

    /// <summary>A file written straight into the response as it is produced (with its name, for the browser's download).</summary>
    private sealed class StreamedDownload(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = contentType;
            httpContext.Response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
            httpContext.Response.Headers.CacheControl = "no-store";
            if (HttpMethods.IsHead(httpContext.Request.Method)) return;
            await write(httpContext.Response.Body, httpContext.RequestAborted);
        }
    }
}
