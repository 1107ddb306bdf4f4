using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Jukwaa.Bot.Host.Web.Console;
using Jukwaa.Bot.Host.Web.Map;
using Jukwaa.Bot.Tests;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The console's county map and weekly chart as rendered HTML: what a reader, a screen reader and a keyboard get.</summary>
public partial class KenyaMapTests
{
    private static readonly string[] Legend = ["0-9", "10-49", "50-99", "100-499", "500+"];

    private static readonly string GeoJsonPath = Path.Combine(RepoPaths.Root, "src", "Jukwaa.Bot.Host", "Web", "Map", "kenya-counties.geojson");

    /// <summary>Code, name and the licence line, read from the data file itself rather than through the code under test.</summary>
    private static (List<(string Code, string Name)> Counties, string Attribution) Data()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(GeoJsonPath));
        var counties = json.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => (f.GetProperty("properties").GetProperty("code").GetString()!, f.GetProperty("properties").GetProperty("name").GetString()!))
            .ToList();
        return (counties, json.RootElement.GetProperty("attribution").GetString()!);
    }

    /// <summary>Odd codes are in scope (shade = code mod 5, a link); even codes are outside it.</summary>
    private static List<MapCounty> Counties(Func<string, string, string>? label = null) =>
        Data().Counties.Select(c =>
        {
            var n = int.Parse(c.Code, CultureInfo.InvariantCulture);
            var text = label?.Invoke(c.Code, c.Name) ?? $"{c.Name}: {n * 7} reports";
            return n % 2 == 1
                ? new MapCounty(c.Code, c.Name, n % 5, text, $"/console/counties/{c.Code}?week=2026-01-05&view=map")
                : new MapCounty(c.Code, c.Name, null, text, null);
        }).ToList();

    private static async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    /// <summary>The HTML parsed strictly (it must be well-formed), namespaces ignored.</summary>
    private static XElement Parse(string html) => XElement.Parse("<root>" + html + "</root>");

    private static Task<string> MapAsync(List<MapCounty> counties, string title = "Reports per county") =>
        RenderAsync<KenyaMap>(new()
        {
            [nameof(KenyaMap.Counties)] = counties,
            [nameof(KenyaMap.Title)] = title,
            [nameof(KenyaMap.Legend)] = Legend,
            [nameof(KenyaMap.OutsideLabel)] = "Outside your counties",
        });

    private static string? Attr(XElement e, string name) => e.Attribute(name)?.Value;

    [Fact]
    public async Task EveryCountyIsOneShapeNamedByItsLabelAndOnlyCountiesInScopeAreLinks()
    {
        var counties = Counties();
        var root = Parse(await MapAsync(counties));
        var svg = root.Descendants("svg").Single();
        var paths = svg.Descendants("path").ToList();
        Assert.Equal(47, paths.Count);
        Assert.Equal(47, counties.Count);

        foreach (var county in counties)
        {
            var path = Assert.Single(paths, p => p.Element("title")?.Value == county.Label);
            Assert.False(string.IsNullOrWhiteSpace(Attr(path, "d")));
            if (county.Shade is { } shade)
            {
                var link = path.Parent!;
                Assert.Equal("a", link.Name.LocalName);
                Assert.Equal(county.Href, Attr(link, "href"));
                Assert.Equal(county.Label, Attr(link, "aria-label"));
                Assert.Equal($"shade-{shade}", Attr(path, "class"));
            }
            else
            {
                Assert.DoesNotContain(path.Ancestors(), a => a.Name.LocalName == "a");
                Assert.Equal("outside", Attr(path, "class"));
                Assert.Equal("img", Attr(path, "role"));
                Assert.Equal(county.Label, Attr(path, "aria-label"));
            }
        }
        Assert.Equal(counties.Count(c => c.Shade is not null), svg.Descendants("a").Count());
        Assert.Equal(24, svg.Descendants("a").Count());   // 001, 003 .. 047

        // Distinct counties get distinct outlines (not one shape drawn 47 times).
        Assert.Equal(47, paths.Select(p => Attr(p, "d")).Distinct().Count());
    }

    [Fact]
    public async Task TheMapHasAnAccessibleNameALegendAndTheOpenStreetMapAttribution()
    {
        var html = await MapAsync(Counties(), "Reports per county, week of 05/01/2026");
        var root = Parse(html);
        var svg = root.Descendants("svg").Single();
        Assert.Equal("img", Attr(svg, "role"));
        var title = svg.Elements("title").Single(t => Attr(t, "id") == Attr(svg, "aria-labelledby"));
        Assert.Equal("Reports per county, week of 05/01/2026", title.Value);

        var legend = root.Descendants("ul").Single().Elements("li").ToList();
        Assert.Equal([.. Legend, "Outside your counties"], legend.Select(li => li.Value));
        Assert.Equal(["swatch shade-0", "swatch shade-1", "swatch shade-2", "swatch shade-3", "swatch shade-4", "swatch outside"],
            legend.Select(li => Attr(li.Element("span")!, "class")));

        var attribution = Data().Attribution;
        Assert.Contains("OpenStreetMap", attribution, StringComparison.Ordinal);
        var caption = root.Descendants("figcaption").Single();
        Assert.Contains(attribution, caption.Value, StringComparison.Ordinal);
        Assert.Equal("https://www.openstreetmap.org/copyright", Attr(caption.Element("a")!, "href"));
    }

    [Fact]
    public async Task TextInALabelOrLinkIsEncodedNotMarkup()
    {
        const string Hostile = "\"><script>alert(1)</script> & <b>x</b>";
        var counties = Counties((code, name) => code == "032" ? name + Hostile : name);
        counties[0] = counties[0] with { Href = "/console/counties/001?a=1&b=\"><script>" };
        var html = await MapAsync(counties, "Map " + Hostile);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);

        // Encoded, not dropped: the reader still gets the text exactly as given.
        var root = Parse(html);
        Assert.Contains(root.Descendants("path"), p => Attr(p, "aria-label") == "Nakuru" + Hostile);
        Assert.Contains(root.Descendants("a"), a => Attr(a, "href") == "/console/counties/001?a=1&b=\"><script>");
        Assert.Equal("Map " + Hostile, root.Descendants("svg").Single().Element("title")!.Value);
    }

    [Fact]
    public async Task EveryShapeLiesInsideTheViewBoxTheRightWayUp()
    {
        var root = Parse(await MapAsync(Counties()));
        var box = Attr(root.Descendants("svg").Single(), "viewBox")!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([0, 0], box[..2]);
        Assert.InRange(box[2], 100, 2000);
        Assert.InRange(box[3], 100, 2000);

        var bounds = new Dictionary<string, (double MinX, double MinY, double MaxX, double MaxY)>();
        foreach (var path in root.Descendants("path"))
        {
            var d = Attr(path, "d")!;
            Assert.Matches(PathData(), d);
            var numbers = Regex.Matches(d, @"-?\d+(\.\d+)?").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
            Assert.True(numbers.Count % 2 == 0 && numbers.Count >= 6, d);
            var xs = numbers.Where((_, i) => i % 2 == 0).ToList();
            var ys = numbers.Where((_, i) => i % 2 == 1).ToList();
            Assert.All(xs, x => Assert.InRange(x, 0, box[2]));
            Assert.All(ys, y => Assert.InRange(y, 0, box[3]));
            bounds[Attr(path, "aria-label") ?? path.Element("title")!.Value] = (xs.Min(), ys.Min(), xs.Max(), ys.Max());
        }
        // The whole box is used, and the map is not mirrored: Mombasa is east of and below Nairobi, Turkana west of and above it.
        Assert.Equal(box[2], bounds.Values.Max(b => b.MaxX) + bounds.Values.Min(b => b.MinX), 0.2);
        Assert.Equal(box[3], bounds.Values.Max(b => b.MaxY) + bounds.Values.Min(b => b.MinY), 0.2);
        var nairobi = bounds.Single(b => b.Key.StartsWith("Nairobi", StringComparison.Ordinal)).Value;
        var mombasa = bounds.Single(b => b.Key.StartsWith("Mombasa", StringComparison.Ordinal)).Value;
        var turkana = bounds.Single(b => b.Key.StartsWith("Turkana", StringComparison.Ordinal)).Value;
        Assert.True(mombasa.MinX > nairobi.MaxX && mombasa.MinY > nairobi.MaxY, "Mombasa should be south-east of Nairobi");
        Assert.True(turkana.MinX < nairobi.MinX && turkana.MaxY < nairobi.MinY, "Turkana should be north-west of Nairobi");
    }

    [Fact]
    public async Task AMapWithAWrongLegendOrAnUnknownCountyIsRefusedNotDrawnWrong()
    {
        var wrongLegend = RenderAsync<KenyaMap>(new()
        {
            [nameof(KenyaMap.Counties)] = Counties(), [nameof(KenyaMap.Title)] = "t",
            [nameof(KenyaMap.Legend)] = Legend[..4], [nameof(KenyaMap.OutsideLabel)] = "o",
        });
        Assert.Contains("5 labels", (await Assert.ThrowsAsync<ArgumentException>(() => wrongLegend)).Message, StringComparison.Ordinal);
        var unknown = MapAsync([new MapCounty("048", "Atlantis", 1, "Atlantis", "/x")]);
        Assert.Contains("048", (await Assert.ThrowsAsync<ArgumentException>(() => unknown)).Message, StringComparison.Ordinal);
    }

    // ----- Weekly reports chart -----

    private static readonly DateOnly FirstWeek = new(2026, 1, 5);

    private static List<DateOnly> Weeks(int count) => [.. Enumerable.Range(0, count).Select(i => FirstWeek.AddDays(7 * i))];

    private static Task<string> ChartAsync(List<DateOnly> weeks, List<WeeklySeries> series) =>
        RenderAsync<WeeklyReportsChart>(new()
        {
            [nameof(WeeklyReportsChart.Weeks)] = weeks,
            [nameof(WeeklyReportsChart.Series)] = series,
            [nameof(WeeklyReportsChart.Title)] = "Reports per week",
            [nameof(WeeklyReportsChart.WeekLabel)] = "Week of",
            [nameof(WeeklyReportsChart.TotalLabel)] = "Total",
        });

    /// <summary>26 weeks, three series: thousands, zeros and small counts mixed.</summary>
    private static List<WeeklySeries> Sample() =>
    [
        new("Theft", [.. Enumerable.Range(0, 26).Select(i => i * 173 % 3100)]),
        new("Assault", [.. Enumerable.Range(0, 26).Select(i => i % 3 == 0 ? 0 : i * 11)]),
        new("Other", [.. Enumerable.Range(0, 26).Select(i => i % 5)]),
    ];

    private static int Figure(string cell) => int.Parse(cell, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheTableGivesEveryWeeksFiguresAndTotals()
    {
        var weeks = Weeks(26);
        var series = Sample();
        var root = Parse(await ChartAsync(weeks, series));
        var table = root.Descendants("table").Single();
        Assert.Equal("table-scroll", Attr(table.Parent!, "class"));
        Assert.Equal(["Week of", "Theft", "Assault", "Other", "Total"], table.Element("thead")!.Descendants("th").Select(th => th.Value));

        var rows = table.Element("tbody")!.Elements("tr").ToList();
        Assert.Equal(26, rows.Count);
        for (var w = 0; w < 26; w++)
        {
            Assert.Equal(weeks[w].ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), rows[w].Element("th")!.Value);
            var cells = rows[w].Elements("td").Select(td => Figure(td.Value)).ToList();
            Assert.Equal(series.Select(s => s.Counts[w]), cells.Take(3));
            Assert.Equal(series.Sum(s => s.Counts[w]), cells[3]);
        }
        Assert.Contains(rows, r => r.Elements("td").Any(td => td.Value.Contains(',', StringComparison.Ordinal)));   // thousands are grouped
    }

    [Fact]
    public async Task EachNonZeroCountIsOneStackedBlockScaledToTheAxis()
    {
        var weeks = Weeks(26);
        var series = Sample();
        var root = Parse(await ChartAsync(weeks, series));
        var svg = root.Descendants("svg").Single();
        Assert.Equal("img", Attr(svg, "role"));
        Assert.Equal("Reports per week", svg.Elements("title").Single(t => Attr(t, "id") == Attr(svg, "aria-labelledby")).Value);

        var rects = svg.Descendants("rect").ToList();
        Assert.Equal(series.Sum(s => s.Counts.Count(c => c > 0)), rects.Count);
        for (var s = 0; s < series.Count; s++)
            Assert.Equal(series[s].Counts.Count(c => c > 0), rects.Count(r => Attr(r, "class") == $"series-{s}"));

        var box = Attr(svg, "viewBox")!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double Num(XElement e, string name) => double.Parse(Attr(e, name)!, CultureInfo.InvariantCulture);
        Assert.All(rects, r =>
        {
            Assert.InRange(Num(r, "x"), 0, box[2] - Num(r, "width"));
            Assert.InRange(Num(r, "y"), 0, box[3] - Num(r, "height"));
        });

        // Each column's height is in proportion to the week's total, and the columns go left to right in week order.
        var columns = rects.GroupBy(r => Num(r, "x")).OrderBy(g => g.Key).ToList();
        var nonEmpty = Enumerable.Range(0, 26).Where(w => series.Sum(s => s.Counts[w]) > 0).ToList();
        Assert.Equal(nonEmpty.Count, columns.Count);
        var totals = nonEmpty.Select(w => series.Sum(s => s.Counts[w])).ToList();
        var heights = columns.Select(column => column.Sum(r => Num(r, "height"))).ToList();
        var largest = totals.Max();
        var perReport = heights[totals.IndexOf(largest)] / largest;
        Assert.InRange(heights.Max(), box[3] * 0.5, box[3]);   // the tallest column uses most of the chart
        for (var i = 0; i < columns.Count; i++)
            Assert.Equal(totals[i] * perReport, heights[i], 0.3);

        // Blocks in a column touch: each sits on the one below.
        foreach (var column in columns)
        {
            var stack = column.OrderByDescending(r => Num(r, "y")).ToList();
            for (var i = 1; i < stack.Count; i++)
                Assert.Equal(Num(stack[i - 1], "y"), Num(stack[i], "y") + Num(stack[i], "height"), 0.11);
        }

        // Dates under every fourth week; round ticks on the y axis covering the largest total.
        Assert.Equal([.. Enumerable.Range(0, 26).Where(w => w % 4 == 0).Select(w => weeks[w].ToString("dd/MM", CultureInfo.InvariantCulture))],
            svg.Descendants("text").Where(t => Attr(t, "class") == "week").Select(t => t.Value));
        var ticks = svg.Descendants("text").Where(t => Attr(t, "class") == "tick").Select(t => Figure(t.Value)).ToList();
        Assert.Equal(0, ticks[0]);
        Assert.InRange(ticks.Count, 3, 7);
        Assert.True(ticks[^1] >= largest, $"top tick {ticks[^1]} below {largest}");
        Assert.All(ticks.Skip(1), t => Assert.Equal(0, t % (ticks[1] - ticks[0])));
        Assert.Equal(["Theft", "Assault", "Other"], root.Descendants("ul").Single().Elements("li").Select(li => li.Value));
    }

    [Fact]
    public async Task AllZeroWeeksDrawAnEmptyChartWithAZeroAxis()
    {
        var weeks = Weeks(26);
        var html = await ChartAsync(weeks, [new("Theft", new int[26]), new("Assault", new int[26])]);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", html, StringComparison.Ordinal);
        var root = Parse(html);
        Assert.Empty(root.Descendants("rect"));
        Assert.Equal(["0"], root.Descendants("text").Where(t => Attr(t, "class") == "tick").Select(t => t.Value));
        var rows = root.Descendants("tbody").Single().Elements("tr").ToList();
        Assert.Equal(26, rows.Count);
        Assert.All(rows, r => Assert.Equal(["0", "0", "0"], r.Elements("td").Select(td => td.Value)));
    }

    [Fact]
    public async Task SeriesThatDoNotMatchTheWeeksAreRefused()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => ChartAsync(Weeks(26), [new("Theft", new int[25])]));
        Assert.Contains("25 counts for 26 weeks", ex.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(M\d+(\.\d)? \d+(\.\d)?(L\d+(\.\d)? \d+(\.\d)?)?( \d+(\.\d)? \d+(\.\d)?)*Z)+$")]
    private static partial Regex PathData();
}
