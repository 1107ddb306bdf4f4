using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Scorecards;

public interface IScorecardStore
{
    Task<IReadOnlyList<IndicatorValue>> ValuesAsync(string countyCode, string quarter, CancellationToken cancellationToken);

    /// <summary>Adds new values and updates changed ones, in one transaction; the same values again change nothing.</summary>
    Task<(int Added, int Updated, int Unchanged)> UpsertAsync(IReadOnlyList<IndicatorValue> values, CancellationToken cancellationToken);

    Task<IReadOnlyList<Report>> ReportsAsync(string countyCode, DateTime since, DateTime until, CancellationToken cancellationToken);

    /// <summary>Trust ratings (questions whose id starts with <c>trust</c>) of responses completed in the period, and how many responses were completed.</summary>
    Task<(IReadOnlyList<int> Ratings, int Responses)> QuestionnaireMeasuresAsync(string countyCode, DateTime since, DateTime until, CancellationToken cancellationToken);
}

public sealed record IndicatorLine(Indicator Indicator, decimal? Target, decimal? Achieved, Grade Grade, string? Source = null);

public sealed record CitizenMeasures(
    IReadOnlyDictionary<string, int> ReportsByCategory, int Received, int Actioned, int Closed, double? MedianDaysToAction,
    double? MeanTrust, int TrustRatings, int QuestionnaireResponses, Grade ActionedGrade, Grade SpeedGrade, Grade TrustGrade);

public sealed record CountyScorecard(County County, Quarter Quarter, IReadOnlyList<IndicatorLine> Indicators, CitizenMeasures Citizens, Grade Overall);

/// <summary>A county's scorecard for a quarter: official indicators against targets, and what citizens' reports and questionnaires say.</summary>
public sealed class ScorecardCalculator(IScorecardStore store, DialogCatalog catalog)
{
    public async Task<CountyScorecard> ComputeAsync(County county, Quarter quarter, CancellationToken cancellationToken)
    {
        var lines = await IndicatorsAsync(county, quarter, cancellationToken);
        var reports = await store.ReportsAsync(county.Code, quarter.Start, quarter.End, cancellationToken);
        var actioned = reports.Count(r => r.FirstActionAt is not null);
        var days = reports.Where(r => r.FirstActionAt is not null).Select(r => (r.FirstActionAt!.Value - r.CreatedAt).TotalDays).Order().ToList();
        double? median = days.Count == 0 ? null : days.Count % 2 == 1 ? days[days.Count / 2] : (days[(days.Count / 2) - 1] + days[days.Count / 2]) / 2;
        var (ratings, responses) = await store.QuestionnaireMeasuresAsync(county.Code, quarter.Start, quarter.End, cancellationToken);
        double? trust = ratings.Count == 0 ? null : ratings.Average();
        var citizens = new CitizenMeasures(
            reports.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            reports.Count, actioned, reports.Count(r => r.Status == ReportStatus.Closed), median, trust, ratings.Count, responses,
            Grading.ShareActioned(actioned, reports.Count), Grading.MedianDaysToAction(median), Grading.Trust(trust, ratings.Count));
        return new CountyScorecard(county, quarter, lines, citizens, Overall(lines, citizens.ActionedGrade, citizens.SpeedGrade, citizens.TrustGrade));
    }

    public static Grade Overall(IEnumerable<IndicatorLine> indicators, Grade actioned, Grade speed, Grade trust) =>
        Grading.Overall(indicators.Select(l => l.Grade).Concat([actioned, speed, trust]));

    /// <summary>The official indicators alone, graded from the values imported now.</summary>
    public async Task<IReadOnlyList<IndicatorLine>> IndicatorsAsync(County county, Quarter quarter, CancellationToken cancellationToken)
    {
        var values = (await store.ValuesAsync(county.Code, quarter.ToString(), cancellationToken)).ToDictionary(v => v.IndicatorId, StringComparer.Ordinal);
        return [.. catalog.Indicators.Select(indicator =>
        {
            var value = values.GetValueOrDefault(indicator.Id);
            return new IndicatorLine(indicator, value?.Target, value?.Achieved, Grading.Indicator(value?.Target, value?.Achieved, indicator.HigherIsBetter), value?.Source);
        })];
    }
}
