using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Core.Scorecards;
using Jukwaa.Bot.Host.Web.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jukwaa.Bot.Host.Web;

/// <summary>
/// The public scorecards: <c>GET /scorecards</c> (all counties, sortable) and <c>GET /scorecards/{county}</c>
/// (targets against achievements as a server-drawn SVG chart with a table beside it, the trend over
/// published quarters, citizen feedback). Razor components rendered on the server (every value encoded by
/// the framework), no JavaScript, readable on a phone, English or Kiswahili (<c>?lang=sw</c>). Only
/// published scorecards are shown. A <c>sort</c> or <c>lang</c> that is not one we offer is answered 400.
/// </summary>
public static class ScorecardPages
{
    public static readonly IReadOnlyList<string> SortKeys = ["name", "grade", "reports", "trust"];

    public static IEndpointRouteBuilder MapScorecardPages(this IEndpointRouteBuilder endpoints)
    {
        // HEAD too: uptime checkers ask with it, and the server sends the headers without the body.
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/scorecards", read, IndexAsync);
        endpoints.MapMethods("/scorecards/{county}", read, CountyAsync);
        endpoints.MapMethods("/scorecards/{county}/scorecard.pdf", read, PdfAsync);
        endpoints.MapMethods(PageStyles.Path, read, PageStyles.Serve);
        return endpoints;
    }

    public static string IndexPath(string sort, string language) => $"/scorecards?lang={language}&sort={sort}";

    public static string CountyPath(string code, string language) => $"/scorecards/{code}?lang={language}";

    public static string PdfPath(string code, string language) => $"/scorecards/{code}/scorecard.pdf?lang={language}";

    private static async Task<IResult> IndexAsync(string? lang, string? sort, IPublicationStore store, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        if (Language(lang) is not { } language) return Refuse("lang", Languages.All);
        sort ??= "name";
        if (!SortKeys.Contains(sort, StringComparer.Ordinal)) return Refuse("sort", SortKeys);
        var latest = (await store.LatestOfEachCountyAsync(cancellationToken)).ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        var rows = catalog.Counties.Select(c => new ScorecardIndexRow(c, latest.GetValueOrDefault(c.Code))).ToList();
        rows = sort switch
        {
            "grade" => [.. rows.OrderByDescending(r => r.Card?.Overall ?? Grade.NoData).ThenBy(r => r.County.Name, StringComparer.Ordinal)],
            "reports" => [.. rows.OrderByDescending(r => r.Card?.Snapshot.Received ?? -1).ThenBy(r => r.County.Name, StringComparer.Ordinal)],
            "trust" => [.. rows.OrderByDescending(r => r.Card?.Snapshot.MeanTrust ?? -1).ThenBy(r => r.County.Name, StringComparer.Ordinal)],
            _ => [.. rows.OrderBy(r => r.County.Code, StringComparer.Ordinal)],
        };
        return new RazorComponentResult<ScorecardIndex>(new Dictionary<string, object?>
        {
            [nameof(ScorecardIndex.Text)] = new PageText(catalog, language), [nameof(ScorecardIndex.Sort)] = sort, [nameof(ScorecardIndex.Rows)] = rows,
        });
    }

    private static async Task<IResult> CountyAsync(
        string county, string? lang, HttpContext context, IPublicationStore store, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        if (Language(lang) is not { } language) return Refuse("lang", Languages.All);
        if (CountySearchAction.Search(catalog, county) is not [var found]) return Results.NotFound();
        var history = await store.CountyHistoryAsync(found.Code, cancellationToken);
        return new RazorComponentResult<ScorecardCounty>(new Dictionary<string, object?>
        {
            [nameof(ScorecardCounty.Text)] = new PageText(catalog, language), [nameof(ScorecardCounty.County)] = found, [nameof(ScorecardCounty.History)] = history,
            [nameof(ScorecardCounty.Channels)] = ReportingChannels.From(context.RequestServices),
        });
    }

    /// <summary>The latest published scorecard as an A4 PDF, shown in the browser (inline); 404 with a sentence when there is none.</summary>
    private static async Task<IResult> PdfAsync(
        string county, string? lang, HttpContext context, IPublicationStore store, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        if (Language(lang) is not { } language) return Refuse("lang", Languages.All);
        if (CountySearchAction.Search(catalog, county) is not [var found]) return Results.NotFound();
        var text = new PageText(catalog, language);
        var history = await store.CountyHistoryAsync(found.Code, cancellationToken);
        if (history.LastOrDefault(h => h.WithdrawnAt is null) is not { } card)
        {
            // Only withdrawn quarters: say so, with the reason the county page shows.
            var none = history.Count > 0 && history[^1] is { WithdrawnAt: { } at } withdrawn
                ? text.Format("pdf.none_withdrawn", ("county", found.Name), ("withdrawn", text.Format("web.withdrawn",
                    ("quarter", withdrawn.Quarter), ("date", PageFormat.Date(at)), ("reason", withdrawn.WithdrawnReason ?? ""))))
                : text.Format("pdf.none", ("county", found.Name));
            return Results.Text(none, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }
        var pdf = ScorecardPdf.Render(found, history, card, text, ReportingChannels.From(context.RequestServices));
        var name = $"jukwaa-scorecard-{found.Name.ToLowerInvariant().Replace(' ', '-').Replace('\'', '-')}-{card.Quarter}-{language}.pdf";
        context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { Inline = true, FileName = name }.ToString();
        return Results.Bytes(pdf, "application/pdf");
    }

    private static string? Language(string? lang) => lang is null ? Languages.English : Languages.All.Contains(lang, StringComparer.Ordinal) ? lang : null;

    // Plain text, never echoing the value: the refusal names the parameter and what it accepts (the console's pages use it too).
    internal static IResult Refuse(string parameter, IEnumerable<string> allowed) =>
        Results.Text($"{parameter} must be one of: {string.Join(", ", allowed)}", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
}

public sealed record ScorecardIndexRow(County County, PublishedScorecard? Card);

/// <summary>The page's words in its language, from <c>dialogs/strings.yaml</c>.</summary>
public sealed record PageText(DialogCatalog Catalog, string Language)
{
    public string this[string key] => Catalog.Text(key, Language);

    public string Other => Language == Languages.Kiswahili ? Languages.English : Languages.Kiswahili;

    public string Format(string key, params (string Name, string Value)[] values) =>
        Catalog.Text(key, Language, values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));
}

/// <summary>Dates on the pages; figures are formatted by <see cref="ScorecardText"/>, as on every other surface.</summary>
public static class PageFormat
{
    public static string Date(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
