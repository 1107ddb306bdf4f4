using Jukwaa.Bot.Storage;
using Jukwaa.Bot.Core.People;

namespace Jukwaa.Bot.Host.Workers;

/// <summary>
/// Blanks message bodies (and old conversations' typed text) older than <c>Retention:MessageBodies</c>
/// (90 days by default), every <c>Retention:Interval</c>. Reports, counts and questionnaire choices stay.
/// It also refreshes SQLite's query statistics, at start and then every interval.
/// </summary>
public sealed partial class RetentionWorker(IServiceScopeFactory scopes, TimeProvider clock, RetentionOptions options, ILogger<RetentionWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var now = clock.GetUtcNow().UtcDateTime;
                var purged = await scope.ServiceProvider.GetRequiredService<IPersonalDataStore>().PurgeBodiesAsync(now - options.MessageBodies, now, stoppingToken);
                if (purged > 0) LogPurged(logger, purged);
                // SQLite plans its queries from statistics that nothing else keeps fresh (the console's pages need them).
                await scope.ServiceProvider.GetRequiredService<JukwaaDbContext>().RefreshStatisticsAsync(stoppingToken);
                await Task.Delay(options.Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database being down is said by readiness and every webhook's 503: one line here, not a stack trace an hour.
                if (Hosting.DatabaseUnavailableHandler.IsDatabaseUnavailable(ex)) LogDatabaseUnavailable(logger, ex.GetType().Name);
                else LogFailed(logger, ex);
                try { await Task.Delay(options.Interval, clock, stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Count} message bodies blanked")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass skipped: the database is unavailable ({Kind})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public sealed record RetentionOptions
{
    public TimeSpan MessageBodies { get; init; } = TimeSpan.FromDays(90);
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);
}
