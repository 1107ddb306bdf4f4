using System.Globalization;
using System.Text.RegularExpressions;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>A calendar quarter, written like <c>2026Q1</c>.</summary>
public readonly partial record struct Quarter(int Year, int Number) : IComparable<Quarter>
{
    public static Quarter? Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        return match.Success ? new Quarter(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value[0] - '0') : null;
    }

    public static Quarter Of(DateTime at) => new(at.Year, ((at.Month - 1) / 3) + 1);

    public DateTime Start => new(Year, ((Number - 1) * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The first moment after the quarter.</summary>
    public DateTime End => Start.AddMonths(3);

    public int CompareTo(Quarter other) => (Year, Number).CompareTo((other.Year, other.Number));

    public static bool operator <(Quarter left, Quarter right) => left.CompareTo(right) < 0;

    public static bool operator >(Quarter left, Quarter right) => left.CompareTo(right) > 0;

    public static bool operator <=(Quarter left, Quarter right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quarter left, Quarter right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Year.ToString(CultureInfo.InvariantCulture)}Q{Number.ToString(CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^(20\d\d)Q([1-4])$")]
    private static partial Regex Pattern();
}

/// <summary>How a measure stands. The rules are in <see cref="Grading"/> and the README.</summary>
public enum Grade { NoData = 0, Behind = 1, OnTrack = 2, Surpassed = 3 }

/// <summary>An official value from <c>scorecards import</c>.</summary>
public sealed class IndicatorValue
{
    public long Id { get; set; }
    public required string CountyCode { get; set; }
    public required string Quarter { get; set; }
    public required string IndicatorId { get; set; }
    public decimal Target { get; set; }
    public decimal Achieved { get; set; }
    public string Source { get; set; } = "";
    public DateTime ImportedAt { get; set; }
}

public static class Grading
{
    /// <summary>
    /// Official indicators: achievement against target, turned round when lower is better. Past the
    /// target: surpassed; from 90 % of it: on track; below: behind. No value or no target: no data.
    /// </summary>
    public static Grade Indicator(decimal? target, decimal? achieved, bool higherIsBetter)
    {
        if (target is not { } t || achieved is not { } a || t == 0 && higherIsBetter || a == 0 && !higherIsBetter) return Grade.NoData;
        var ratio = higherIsBetter ? a / t : t / a;
        return ratio > 1m ? Grade.Surpassed : ratio >= 0.9m ? Grade.OnTrack : Grade.Behind;
    }

    /// <summary>Share of the quarter's reports that an officer acted on: 80 % surpassed, 50 % on track. No reports: no data.</summary>
    public static Grade ShareActioned(int actioned, int received) =>
        received == 0 ? Grade.NoData : Band((decimal)actioned / received, 0.8m, 0.5m);

    /// <summary>Median days to first action: 2 days or less surpassed, 7 or less on track.</summary>
    public static Grade MedianDaysToAction(double? days) =>
        days is not { } d ? Grade.NoData : d <= 2 ? Grade.Surpassed : d <= 7 ? Grade.OnTrack : Grade.Behind;

    /// <summary>Mean trust (1–5) from questionnaires: 4 surpassed, 3 on track; fewer than 5 ratings: no data.</summary>
    public static Grade Trust(double? mean, int ratings) =>
        mean is not { } m || ratings < 5 ? Grade.NoData : m >= 4 ? Grade.Surpassed : m >= 3 ? Grade.OnTrack : Grade.Behind;

    /// <summary>The county's overall grade: surpassed 2 points, on track 1, behind 0, no data not counted; mean 1.5 surpassed, 0.75 on track.</summary>
    public static Grade Overall(IEnumerable<Grade> grades)
    {
        var counted = grades.Where(g => g != Grade.NoData).Select(g => g switch { Grade.Surpassed => 2.0, Grade.OnTrack => 1.0, _ => 0.0 }).ToList();
        if (counted.Count == 0) return Grade.NoData;
        var mean = counted.Average();
        return mean >= 1.5 ? Grade.Surpassed : mean >= 0.75 ? Grade.OnTrack : Grade.Behind;
    }

    private static Grade Band(decimal value, decimal surpassed, decimal onTrack) =>
        value >= surpassed ? Grade.Surpassed : value >= onTrack ? Grade.OnTrack : Grade.Behind;
}
