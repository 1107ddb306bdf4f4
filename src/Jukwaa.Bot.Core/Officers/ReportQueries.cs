using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Officers;

public sealed record CountyCategoryCount(string CountyCode, string Category, int Count);

public sealed record ReceivedCount(string CountyCode, string Category, int Before, int Since);

public sealed record OpenCount(string CountyCode, string Category, int Count, DateTime Oldest);

public sealed record DailyCount(DateOnly Day, string Category, int Count);

/// <summary>One line of the reports queue: enough to choose a report, nothing about the reporter.</summary>
public sealed record QueueRow(string Reference, string CountyCode, string Category, ReportStatus Status, DateTime CreatedAt);

/// <summary>The queue's filters; a null status means every open status (every status at all with <paramref name="AllStatuses"/>). Dates are days, inclusive, in Kenya time (as the console shows times).</summary>
public sealed record QueueFilter(
    string? CountyCode = null, ReportStatus? Status = null, string? Category = null, DateOnly? From = null, DateOnly? To = null, bool AllStatuses = false)
{
    /// <summary>The first instant counted (UTC), from the first day in Kenya time.</summary>
    public DateTime? Since => From is { } from ? OfficerAlerts.StartOfKenyaDay(from) : null;

    /// <summary>The first instant no longer counted (UTC): the day after the last day, in Kenya time.</summary>
    public DateTime? Until => To is { } to ? OfficerAlerts.StartOfKenyaDay(to.AddDays(1)) : null;
}

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, int Page, bool HasNext);

/// <summary>
/// The officers' figures, counted in the database within a <see cref="ReportScope"/>: nothing here loads a
/// county's reports into memory, so the console stays fast with a million reports.
/// </summary>
public interface IReportQueries
{
    /// <summary>
    /// Reports received from <paramref name="from"/> up to and including <paramref name="until"/>, by county and category,
    /// counted in one pass as two periods: before <paramref name="split"/>, and from it on.
    /// </summary>
    Task<IReadOnlyList<ReceivedCount>> ReceivedAsync(ReportScope scope, DateTime from, DateTime split, DateTime until, CancellationToken cancellationToken);

    /// <summary>Open reports by county and category, with the oldest of each.</summary>
    Task<IReadOnlyList<OpenCount>> OpenAsync(ReportScope scope, CancellationToken cancellationToken);

    /// <summary>The oldest open report of one county and category, found from its <see cref="OpenCount.Oldest"/> (ties: lowest reference).</summary>
    Task<QueueRow?> OldestOpenAsync(OpenCount group, CancellationToken cancellationToken);

    /// <summary>Of the reports received since <paramref name="since"/> and acted on: how many took each whole number of hours to their first action.</summary>
    Task<IReadOnlyList<(int Hours, int Count)>> HoursToFirstActionAsync(ReportScope scope, DateTime since, CancellationToken cancellationToken);

    /// <summary>One page of the queue, oldest first; <paramref name="page"/> counts from 1.</summary>
    Task<QueuePage> QueueAsync(ReportScope scope, QueueFilter filter, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>Reports of the scope received since <paramref name="since"/>, counted per day (UTC) and category (for weekly charts of one county).</summary>
    Task<IReadOnlyList<DailyCount>> ArrivalsAsync(ReportScope scope, DateTime since, CancellationToken cancellationToken);
}
