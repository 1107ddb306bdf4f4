using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Core.Scorecards;

namespace Jukwaa.Bot.Host.Web;

/// <summary>
/// The public scorecards: <c>GET /scorecards</c> (all counties, sortable) and <c>GET /scorecards/{county}</c>
/// (targets against achievements as a server-drawn SVG chart with a table beside it, the trend over
/// published quarters, citizen feedback). Plain HTML: no JavaScript, readable on a phone, English or
/// Kiswahili (<c>?lang=sw</c>). Only published scorecards are shown.
/// </summary>
public static class ScorecardPages
{
    private static readonly HtmlEncoder s_html = HtmlEncoder.Default;

    public static IEndpointRouteBuilder MapScorecardPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/scorecards", IndexAsync);
        endpoints.MapGet("/scorecards/{county}", CountyAsync);
        return endpoints;
    }

    private static async Task<IResult> IndexAsync(string? lang, string? sort, IPublicationStore store, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        var language = Languages.OrDefault(lang);
        string T(string key) => catalog.Text(key, language);
        var latest = (await store.LatestOfEachCountyAsync(cancellationToken)).ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        var rows = catalog.Counties.Select(c => (County: c, Card: latest.GetValueOrDefault(c.Code), Data: latest.GetValueOrDefault(c.Code)?.Snapshot)).ToList();
        rows = sort switch
        {
            "grade" => [.. rows.OrderByDescending(r => r.Card?.Overall ?? Grade.NoData).ThenBy(r => r.County.Name, StringComparer.Ordinal)],
            "reports" => [.. rows.OrderByDescending(r => r.Data?.Received ?? -1).ThenBy(r => r.County.Name, StringComparer.Ordinal)],
            "trust" => [.. rows.OrderByDescending(r => r.Data?.MeanTrust ?? -1).ThenBy(r => r.County.Name, StringComparer.Ordinal)],
            _ => [.. rows.OrderBy(r => r.County.Code, StringComparer.Ordinal)],
        };
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(T("web.title"))}</h1><p>{E(T("web.intro"))}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>{E(T("web.sort"))}: ");
        foreach (var (key, label) in new[] { ("name", T("web.county")), ("grade", T("web.grade")), ("reports", T("web.reports")), ("trust", T("web.trust")) })
        {
            body.Append(CultureInfo.InvariantCulture, $"<a href=\"/scorecards?lang={language}&amp;sort={key}\"{(sort == key || (sort is null && key == "name") ? " aria-current=\"true\"" : "")}>{E(label)}</a> ");
        }
        body.Append("</p><table><caption class=\"visually-hidden\">").Append(E(T("web.title"))).Append("</caption><thead><tr>");
        foreach (var header in new[] { "web.county", "web.quarter", "web.grade", "web.reports", "web.actioned", "web.trust", "web.targets" })
        {
            body.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(T(header))}</th>");
        }
        body.Append("</tr></thead><tbody>");
        foreach (var (county, card, data) in rows)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><a href=\"/scorecards/{county.Code}?lang={language}\">{E(county.Name)}</a></th>");
            if (card is null || data is null)
            {
                body.Append(CultureInfo.InvariantCulture, $"<td colspan=\"6\">{E(T("web.not_published"))}</td></tr>");
                continue;
            }
            body.Append(CultureInfo.InvariantCulture, $"<td>{card.Quarter}</td><td>{GradeBadge(card.Overall, catalog, language)}</td><td>{data.Received}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{Percent(data.Actioned, data.Received)}</td><td>{Number(data.MeanTrust)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{data.Indicators.Count(i => i.Grade == Grade.Surpassed)} / {data.Indicators.Count(i => i.Grade == Grade.Behind)}</td></tr>");
        }
        body.Append("</tbody></table>");
        return Page(T("web.title"), language, "/scorecards" + (sort is null ? "" : "?sort=" + sort), body.ToString(), catalog);
    }

    private static async Task<IResult> CountyAsync(string county, string? lang, IPublicationStore store, DialogCatalog catalog, CancellationToken cancellationToken)
    {
        var language = Languages.OrDefault(lang);
        string T(string key) => catalog.Text(key, language);
        if (CountySearchAction.Search(catalog, county) is not [var found]) return Results.NotFound();
        var history = await store.CountyHistoryAsync(found.Code, cancellationToken);
        var body = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<p><a href=\"/scorecards?lang={language}\">{E(T("web.all_counties"))}</a></p>");
        if (history.Count == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<h1>{E(found.Name)}</h1><p>{E(T("web.no_scorecard"))}</p>");
            return Page(found.Name, language, $"/scorecards/{found.Code}", body.ToString(), catalog);
        }
        var latest = history[^1];
        var data = latest.Snapshot;
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(found.Name)} <span class=\"quarter\">{latest.Quarter}</span></h1>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"overall\">{E(T("web.grade"))}: {GradeBadge(latest.Overall, catalog, language)}</p>");

        var shown = data.Indicators.Where(i => i.Target is not null && i.Achieved is not null).ToList();
        body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T("web.indicators"))}</h2>");
        if (shown.Count > 0)
        {
            body.Append(Chart(shown, catalog, language, T("web.target"), T("web.achieved")));
            body.Append(CultureInfo.InvariantCulture, $"<table><thead><tr><th scope=\"col\">{E(T("web.indicator"))}</th><th scope=\"col\">{E(T("web.target"))}</th><th scope=\"col\">{E(T("web.achieved"))}</th><th scope=\"col\">{E(T("web.grade"))}</th></tr></thead><tbody>");
            foreach (var i in shown)
            {
                var indicator = catalog.Indicator(i.Id);
                body.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(indicator?.Name.Get(language) ?? i.Id)}</th><td>{Amount(i.Target!.Value)}</td><td>{Amount(i.Achieved!.Value)} {E(indicator?.Unit.Get(language) ?? "")}</td><td>{GradeBadge(i.Grade, catalog, language)}</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{E(catalog.Text("scorecard.grade.nodata", language))}</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T("web.trend"))}</h2><table><thead><tr><th scope=\"col\">{E(T("web.quarter"))}</th><th scope=\"col\">{E(T("web.grade"))}</th><th scope=\"col\">{E(T("web.reports"))}</th><th scope=\"col\">{E(T("web.actioned"))}</th><th scope=\"col\">{E(T("web.trust"))}</th></tr></thead><tbody>");
        foreach (var quarter in history)
        {
            var q = quarter.Snapshot;
            body.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{quarter.Quarter}</th><td>{GradeBadge(quarter.Overall, catalog, language)}</td><td>{q.Received}</td><td>{Percent(q.Actioned, q.Received)}</td><td>{Number(q.MeanTrust)}</td></tr>");
        }
        body.Append("</tbody></table>");

        body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T("web.citizens"))}</h2><dl>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{E(T("web.reports"))}</dt><dd>{data.Received}</dd>");
        foreach (var figure in SmallCounts.Publish(data.ReportsByCategory, catalog.Categories).Shown)
        {
            body.Append(CultureInfo.InvariantCulture, $"<dt class=\"category\">{E(ScorecardText.Label(figure, language))}</dt><dd>{E(ScorecardText.Count(figure, language, catalog))}</dd>");
        }
        body.Append(CultureInfo.InvariantCulture, $"<dt>{E(T("web.actioned"))}</dt><dd>{Percent(data.Actioned, data.Received)} {GradeBadge(data.ActionedGrade, catalog, language)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{E(T("web.closed"))}</dt><dd>{Percent(data.Closed, data.Received)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{E(T("web.median_days"))}</dt><dd>{Number(data.MedianDaysToAction)} {GradeBadge(data.SpeedGrade, catalog, language)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{E(T("web.trust"))}</dt><dd>{Number(data.MeanTrust)} {GradeBadge(data.TrustGrade, catalog, language)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{E(T("web.responses"))}</dt><dd>{data.QuestionnaireResponses}</dd></dl>");
        return Page($"{found.Name} {latest.Quarter}", language, $"/scorecards/{found.Code}", body.ToString(), catalog);
    }

    /// <summary>Target and achievement side by side per indicator, each bar scaled to the larger of the two; the table below says the same in words.</summary>
    private static string Chart(List<IndicatorSnapshot> shown, DialogCatalog catalog, string language, string targetLabel, string achievedLabel)
    {
        const int rowHeight = 46, labelWidth = 0, width = 320;
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 {width} {(shown.Count * rowHeight) + 24}\" width=\"100%\"><title id=\"chart-title\">{E(targetLabel)} / {E(achievedLabel)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"12\" height=\"10\" class=\"target\"/><text x=\"16\" y=\"9\">{E(targetLabel)}</text><rect x=\"100\" y=\"0\" width=\"12\" height=\"10\" class=\"achieved\"/><text x=\"116\" y=\"9\">{E(achievedLabel)}</text>");
        for (var n = 0; n < shown.Count; n++)
        {
            var i = shown[n];
            var top = 24 + (n * rowHeight);
            var max = Math.Max(i.Target!.Value, i.Achieved!.Value);
            double Scale(decimal v) => max == 0 ? 0 : (double)(v / max) * (width - labelWidth - 70);
            var name = catalog.Indicator(i.Id)?.Name.Get(language) ?? i.Id;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + 10}\" class=\"label\">{E(name)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{top + 14}\" width=\"{Scale(i.Target.Value):0.#}\" height=\"12\" class=\"target\"><title>{E(targetLabel)}: {Amount(i.Target.Value)}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + Scale(i.Target.Value) + 4:0.#}\" y=\"{top + 24}\">{Amount(i.Target.Value)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{top + 28}\" width=\"{Scale(i.Achieved.Value):0.#}\" height=\"12\" class=\"achieved {i.Grade.ToString().ToLowerInvariant()}\"><title>{E(achievedLabel)}: {Amount(i.Achieved.Value)}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + Scale(i.Achieved.Value) + 4:0.#}\" y=\"{top + 38}\">{Amount(i.Achieved.Value)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static IResult Page(string title, string language, string path, string body, DialogCatalog catalog)
    {
        var other = language == Languages.Kiswahili ? Languages.English : Languages.Kiswahili;
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&amp;" : "?";
        var html = $$"""
            <!doctype html>
            <html lang="{{language}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} - Jukwaa la Usalama</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #111; background: #fff; line-height: 1.5; }
            a { color: #0645ad; } a[aria-current] { font-weight: bold; }
            table { border-collapse: collapse; width: 100%; margin: 1rem 0; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ccc; }
            .grade { padding: 0 .4rem; border-radius: .3rem; white-space: nowrap; }
            .grade.surpassed { background: #1b5e20; color: #fff; } .grade.ontrack { background: #0d47a1; color: #fff; }
            .grade.behind { background: #b71c1c; color: #fff; } .grade.nodata { background: #eee; color: #111; }
            .chart text { font-size: 10px; fill: #111; } .chart .target { fill: #9e9e9e; } .chart .achieved { fill: #0d47a1; }
            .chart .achieved.behind { fill: #b71c1c; } .chart .achieved.surpassed { fill: #1b5e20; }
            dl { display: grid; grid-template-columns: auto auto; gap: .25rem 1rem; } dt.category { padding-left: 1rem; }
            .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
            @media (max-width: 40rem) { table { font-size: .9rem; } th, td { padding: .3rem; } }
            </style>
            </head>
            <body>
            <header><p><a href="{{path}}{{separator}}lang={{other}}" lang="{{other}}">{{E(catalog.Text("web.other_language", language))}}</a></p></header>
            <main>
            {{body}}
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string GradeBadge(Grade grade, DialogCatalog catalog, string language) =>
        $"<span class=\"grade {grade.ToString().ToLowerInvariant()}\">{E(catalog.Text("scorecard.grade." + grade.ToString().ToLowerInvariant(), language))}</span>";

    private static string E(string text) => s_html.Encode(text);

    private static string Percent(int part, int whole) => whole == 0 ? "-" : ((double)part / whole).ToString("0%", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Amount(decimal value) => value.ToString(value == decimal.Truncate(value) ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);
}
