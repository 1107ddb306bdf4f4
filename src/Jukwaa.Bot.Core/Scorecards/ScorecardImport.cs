using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Scorecards;

public sealed record ImportError(int Line, string Reason)
{
    public override string ToString() => $"line {Line.ToString(CultureInfo.InvariantCulture)}: {Reason}";
}

/// <summary>
/// Reads official indicator values (<c>county,quarter,indicator,target,achieved,source</c>). Every bad row
/// is reported with its line and reason; the caller imports nothing unless there are none.
/// </summary>
public static class ScorecardImport
{
    public static readonly IReadOnlyList<string> Columns = ["county", "quarter", "indicator", "target", "achieved", "source"];

    public static (IReadOnlyList<IndicatorValue> Rows, IReadOnlyList<ImportError> Errors) Read(TextReader reader, DialogCatalog catalog, DateTime now)
    {
        var rows = new List<IndicatorValue>();
        var errors = new List<ImportError>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
            BadDataFound = null,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            return (rows, [new ImportError(1, "the file is empty; the first line must be: " + string.Join(',', Columns))]);
        }
        var missing = Columns.Where(c => !header.Select(h => h.Trim().ToLowerInvariant()).Contains(c)).ToList();
        if (missing.Count > 0) return (rows, [new ImportError(1, "missing column(s): " + string.Join(", ", missing))]);

        var seen = new Dictionary<(string, string, string), int>();
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            var problems = new List<string>();
            var countyText = csv.GetField("county") ?? "";
            var county = CountySearchAction.Search(catalog, countyText) is [var one] && countyText.Length > 0 ? one : null;
            if (county is null) problems.Add($"'{countyText}' is not one county (use its name or code)");
            var quarter = Quarter.Parse(csv.GetField("quarter") ?? "");
            if (quarter is null) problems.Add($"quarter '{csv.GetField("quarter")}' is not like 2026Q1");
            var indicatorId = csv.GetField("indicator") ?? "";
            if (catalog.Indicator(indicatorId) is null) problems.Add($"no indicator '{indicatorId}' in indicators.yaml");
            decimal? Number(string column)
            {
                var text = csv.GetField(column) ?? "";
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0) return value;
                problems.Add($"{column} '{text}' is not a number of 0 or more");
                return null;
            }
            var target = Number("target");
            var achieved = Number("achieved");
            var source = csv.GetField("source") ?? "";
            if (source.Length == 0) problems.Add("source is empty: say where the figure comes from");
            if (county is not null && quarter is not null && seen.TryGetValue((county.Code, quarter.Value.ToString(), indicatorId), out var first))
            {
                problems.Add($"the same county, quarter and indicator as line {first.ToString(CultureInfo.InvariantCulture)}");
            }
            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => new ImportError(line, p)));
                continue;
            }
            seen[(county!.Code, quarter!.Value.ToString(), indicatorId)] = line;
            rows.Add(new IndicatorValue
            {
                CountyCode = county.Code, Quarter = quarter.Value.ToString(), IndicatorId = indicatorId,
                Target = target!.Value, Achieved = achieved!.Value, Source = source, ImportedAt = now,
            });
        }
        if (rows.Count == 0 && errors.Count == 0) errors.Add(new ImportError(2, "no rows after the header"));
        return (rows, errors);
    }
}
