using Jukwaa.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// Ready means every webhook can be served: the database answers, its schema is at the migration this
/// build expects (a production host started without <c>migrate</c> is not ready), and SQLite writes can
/// be durable (the file has not been deleted under the host).
/// </summary>
public sealed class DatabaseReadiness(JukwaaDbContext db, WriteGate gate) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (gate.Problem is { } problem) return HealthCheckResult.Unhealthy(problem);
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The database schema lacks {pending.Count} migration(s), the last {pending[^1]}: run `jukwaa migrate`.");
        }
        catch (Exception ex) when (DatabaseUnavailableHandler.IsDatabaseUnavailable(ex))
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached (" + ex.GetType().Name + ").");
        }
    }
}
