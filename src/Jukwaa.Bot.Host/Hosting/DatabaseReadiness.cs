using Jukwaa.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// Ready means every webhook can be served: the database answers, its schema is at the migration this
/// build expects (a production host started without <c>migrate</c>, or on a database a newer version
/// migrated, is not ready), and SQLite writes can
/// be durable (the file has not been deleted under the host).
/// </summary>
public sealed class DatabaseReadiness(JukwaaDbContext db, WriteGate gate) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (gate.Problem is { } problem) return HealthCheckResult.Unhealthy(problem);
        try
        {
            var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            var known = db.Database.GetMigrations().ToList();
            var pending = known.Except(applied).ToList();
            var unknown = applied.Except(known).ToList();
            if (pending.Count > 0) return HealthCheckResult.Unhealthy($"The database schema lacks {pending.Count} migration(s), the last {pending[^1]}: run `jukwaa migrate`.");
            return unknown.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The database has migration(s) this build does not know ({string.Join(", ", unknown)}): a newer version migrated it.");
        }
        catch (Exception ex) when (DatabaseUnavailableHandler.IsDatabaseUnavailable(ex))
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached (" + ex.GetType().Name + ").");
        }
    }
}
