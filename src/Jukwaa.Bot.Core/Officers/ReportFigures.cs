using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>What an officer's scope looks like now: the overview of the web console and Telegram's <c>/status</c>.</summary>
public sealed record ScopeFigures(
    DateTime Now,
    IReadOnlyList<CountyCategoryCount> LastSevenDays,
    IReadOnlyList<CountyCategoryCount> SevenDaysBefore,
    IReadOnlyList<OpenCount> Open,
    QueueRow? OldestOpen,
    double? MedianDaysToFirstAction,
    int ActedOn)
{
    public int OpenTotal => Open.Sum(o => o.Count);

    public int OpenIn(string countyCode) => Open.Where(o => o.CountyCode == countyCode).Sum(o => o.Count);

    public static int Total(IEnumerable<CountyCategoryCount> counts, string? countyCode = null, string? category = null) =>
        counts.Where(c => (countyCode is null || c.CountyCode == countyCode) && (category is null || c.Category == category)).Sum(c => c.Count);
}

/// <summary>A county's reports per week, by category, oldest week first.</summary>
public sealed record WeeklyFigures(IReadOnlyList<DateOnly> Weeks, IReadOnlyDictionary<string, int[]> ByCategory);

/// <summary>Counts the figures both consoles show, always within the officer's scope (see <see cref="ReportAccess"/>).</summary>
public sealed class ReportFigures(IReportQueries queries)
{
    /// <summary>The median time to first action counts the reports received in this many days: the last month, what an officer acts on now (and a third of the index entries a quarter would read).</summary>
    public const int MedianWindowDays = 30;

    public async Task<ScopeFigures> ScopeAsync(ReportScope scope, DateTime now, CancellationToken cancellationToken)
    {
        var received = await queries.ReceivedAsync(scope, now.AddDays(-14), now.AddDays(-7), now, cancellationToken);
        var last = received.Where(r => r.Since > 0).Select(r => new CountyCategoryCount(r.CountyCode, r.Category, r.Since)).ToList();
        var before = received.Where(r => r.Before > 0).Select(r => new CountyCategoryCount(r.CountyCode, r.Category, r.Before)).ToList();
        var open = await queries.OpenAsync(scope, cancellationToken);
        // The oldest open report is in the group whose oldest is oldest: one indexed look-up, not a sort of every open report.
        var oldest = open.Count == 0 ? null
            : await queries.OldestOpenAsync(open.OrderBy(o => o.Oldest).ThenBy(o => o.CountyCode, StringComparer.Ordinal).ThenBy(o => o.Category, StringComparer.Ordinal).First(), cancellationToken);
        var hours = await queries.HoursToFirstActionAsync(scope, now.AddDays(-MedianWindowDays), cancellationToken);
        return new ScopeFigures(now, last, before, open, oldest, MedianDays(hours), hours.Sum(h => h.Count));
    }

    /// <summary>The last <paramref name="weeks"/> weeks (Monday to Sunday, UTC), the current one included.</summary>
    public async Task<WeeklyFigures> WeeklyAsync(ReportScope scope, DateTime now, int weeks, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now);
        var thisMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = thisMonday.AddDays(-7 * (weeks - 1));
        var arrivals = await queries.ArrivalsAsync(scope, first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), cancellationToken);
        var byCategory = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (day, category, count) in arrivals)
        {
            var week = (day.DayNumber - first.DayNumber) / 7;
            if (week < 0 || week >= weeks) continue;
            if (!byCategory.TryGetValue(category, out var counts)) byCategory[category] = counts = new int[weeks];
            counts[week] += count;
        }
        return new WeeklyFigures([.. Enumerable.Range(0, weeks).Select(w => first.AddDays(7 * w))], byCategory);
    }

    /// <summary>The median from counts per whole hour: the middle report's hour, taken at its midpoint.</summary>
    public static double? MedianDays(IReadOnlyList<(int Hours, int Count)> hours)
    {
        var total = hours.Sum(h => h.Count);
        if (total == 0) return null;
        var sorted = hours.OrderBy(h => h.Hours).ToList();
        double At(int index)
        {
            var seen = 0;
            foreach (var (h, count) in sorted)
            {
                seen += count;
                if (index < seen) return (h + 0.5) / 24;
            }
            return (sorted[^1].Hours + 0.5) / 24;
        }
        return total % 2 == 1 ? At(total / 2) : (At((total / 2) - 1) + At(total / 2)) / 2;
    }
}
