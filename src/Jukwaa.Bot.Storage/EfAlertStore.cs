using Jukwaa.Bot.Core.Officers;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Storage;

/// <summary>
/// The officers' alerts over EF Core, on the request's <see cref="JukwaaDbContext"/>: what is added here is saved by the
/// conversation store's <c>SaveAsync</c>, with the messages. Reports are filtered in the database by the
/// (created, county, category) index and anti-joined with <c>officer_alerts</c> on its unique (officer, report) index,
/// so a pass reads only the reports it will tell of.
/// </summary>
public sealed class EfAlertStore(JukwaaDbContext db) : IAlertStore
{
    public async Task<IReadOnlyList<Officer>> OfficersToAlertAsync(CancellationToken cancellationToken) =>
        await db.Officers.AsNoTracking()
            .Where(o => !o.Disabled && o.TelegramHash != null && o.Alerts != AlertMode.Off)
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<AlertReport>> UnalertedAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var reports = db.Reports.AsNoTracking().Where(r => r.CreatedAt >= query.From && r.CreatedAt <= query.Until);
        if (query.Scope.Counties is { } counties) reports = reports.Where(r => counties.Contains(r.CountyCode));
        if (query.Scope.HiddenCategories is { Count: > 0 } hidden) reports = reports.Where(r => !hidden.Contains(r.Category));
        if (query.Only is { } only) reports = reports.Where(r => only.Contains(r.Category));
        if (query.Except is { Count: > 0 } except) reports = reports.Where(r => !except.Contains(r.Category));
        var officerId = query.OfficerId;
        var due = reports
            .Where(r => !db.OfficerAlerts.Any(a => a.OfficerId == officerId && a.ReportId == r.Id))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Reference)
            .Select(r => new AlertReport(r.Id, r.Reference, r.CountyCode, r.Category, r.CreatedAt));
        if (query.Max is { } max) due = due.Take(max);
        return await due.ToListAsync(cancellationToken);
    }

    public void Add(OfficerAlert alert) => db.OfficerAlerts.Add(alert);

    public void DigestMade(Officer officer, DateTime at)
    {
        // Read untracked: attached as it was read, so only this column is written.
        if (db.Entry(officer).State == EntityState.Detached) db.Officers.Attach(officer);
        officer.LastDigestAt = at;
    }
}
