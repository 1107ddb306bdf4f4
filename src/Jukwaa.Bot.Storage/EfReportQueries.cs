using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Storage;

/// <summary>
/// The console's figures as grouped counts in the database, from three report indexes that cover them:
/// (status, county, category, created, reference) for what is open and the queue, (created, county, category, first-action minutes)
/// for all counties over a period, and (county, created, category, first-action minutes) for some counties
/// over a period. None reads a report row.
/// <c>bench/console-pages.sh</c> measures the pages over a million reports.
/// </summary>
public sealed class EfReportQueries(JukwaaDbContext db) : IReportQueries
{
    private static readonly ReportStatus[] s_open =
        [ReportStatus.Received, ReportStatus.UnderReview, ReportStatus.Verified, ReportStatus.ActionTaken, ReportStatus.Escalated];

    public async Task<IReadOnlyList<ReceivedCount>> ReceivedAsync(ReportScope scope, DateTime from, DateTime split, DateTime until, CancellationToken cancellationToken) =>
        await InScope(scope).Where(r => r.CreatedAt >= from && r.CreatedAt <= until)
            .GroupBy(r => new { r.CountyCode, r.Category })
            .Select(g => new ReceivedCount(g.Key.CountyCode, g.Key.Category, g.Count(r => r.CreatedAt < split), g.Count(r => r.CreatedAt >= split)))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<OpenCount>> OpenAsync(ReportScope scope, CancellationToken cancellationToken) =>
        await InScope(scope).Where(r => s_open.Contains(r.Status))
            .GroupBy(r => new { r.CountyCode, r.Category })
            .Select(g => new OpenCount(g.Key.CountyCode, g.Key.Category, g.Count(), g.Min(r => r.CreatedAt)))
            .ToListAsync(cancellationToken);

    public Task<QueueRow?> OldestOpenAsync(OpenCount group, CancellationToken cancellationToken) =>
        db.Reports.AsNoTracking()
            .Where(r => s_open.Contains(r.Status) && r.CountyCode == group.CountyCode && r.Category == group.Category && r.CreatedAt == group.Oldest)
            .OrderBy(r => r.Reference)
            .Select(r => new QueueRow(r.Reference, r.CountyCode, r.Category, r.Status, r.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<(int Hours, int Count)>> HoursToFirstActionAsync(ReportScope scope, DateTime since, CancellationToken cancellationToken)
    {
        var rows = await InScope(scope).Where(r => r.CreatedAt >= since && r.FirstActionMinutes != null)
            .GroupBy(r => r.FirstActionMinutes!.Value / 60)
            .Select(g => new { Hours = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Hours, r.Count))];
    }

    public async Task<QueuePage> QueueAsync(ReportScope scope, QueueFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = InScope(scope);
        if (filter.CountyCode is { } county) query = query.Where(r => r.CountyCode == county);
        if (filter.Category is { } category) query = query.Where(r => r.Category == category);
        if (filter.Status is { } status) query = query.Where(r => r.Status == status);
        else if (!filter.AllStatuses) query = query.Where(r => s_open.Contains(r.Status));
        if (filter.Since is { } since) query = query.Where(r => r.CreatedAt >= since);
        if (filter.Until is { } until) query = query.Where(r => r.CreatedAt < until);
        page = Math.Max(1, page);
        // One row more than the page says whether there is a next page, without counting them all.
        var rows = await query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Reference)
            .Skip((page - 1) * pageSize).Take(pageSize + 1)
            .Select(r => new QueueRow(r.Reference, r.CountyCode, r.Category, r.Status, r.CreatedAt))
            .ToListAsync(cancellationToken);
        return new QueuePage([.. rows.Take(pageSize)], page, rows.Count > pageSize);
    }

    public async Task<IReadOnlyList<DailyCount>> ArrivalsAsync(ReportScope scope, DateTime since, CancellationToken cancellationToken)
    {
        var rows = await InScope(scope).Where(r => r.CreatedAt >= since)
            .GroupBy(r => new { r.CreatedAt.Date, r.Category })
            .Select(g => new { g.Key.Date, g.Key.Category, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DailyCount(DateOnly.FromDateTime(r.Date), r.Category, r.Count))];
    }

    private IQueryable<Report> InScope(ReportScope scope)
    {
        var reports = db.Reports.AsNoTracking();
        if (scope.Counties is { } counties) reports = reports.Where(r => counties.Contains(r.CountyCode));
        if (scope.HiddenCategories is { Count: > 0 } hidden) reports = reports.Where(r => !hidden.Contains(r.Category));
        return reports;
    }
}

/// <summary>Sign-in tokens: stored as hashes, used by one conditional update.</summary>
public sealed class EfSignInTokenStore(JukwaaDbContext db, WriteGate gate) : ISignInTokenStore
{
    public void Add(SignInToken token) => db.SignInTokens.Add(token);

    public Task<SignInToken?> FindAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.SignInTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);

    public async Task<Guid?> RedeemAsync(string tokenHash, DateTime now, CancellationToken cancellationToken)
    {
        var used = await gate.RunAsync(() => db.SignInTokens.Where(t => t.TokenHash == tokenHash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken), cancellationToken);
        if (used != 1) return null;
        return await db.SignInTokens.AsNoTracking().Where(t => t.TokenHash == tokenHash).Select(t => (Guid?)t.OfficerId).FirstOrDefaultAsync(cancellationToken);
    }
}
