using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Officers;

namespace Jukwaa.Bot.Host.Workers;

/// <summary>
/// Tells officers of new reports (<see cref="OfficerAlerts"/>): a pass every <c>Alerts:PollInterval</c> (digests fall due
/// by the clock), and one at once when a turn stored a report (<see cref="AlertSignal"/>), so urgent alerts leave within
/// about a second. What a pass queued is handed to the outbox at once. Several hosts may run it together: the database
/// lets only one tell an officer of a report.
/// </summary>
public sealed partial class AlertWorker(
    IServiceScopeFactory scopes, AlertSignal signal, OutboxSignal outbox, AlertOptions options, TimeProvider clock, ILogger<AlertWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the pass, so a report stored while it runs wakes the next one.
            var wake = signal.Next;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await scope.ServiceProvider.GetRequiredService<OfficerAlerts>().RunOnceAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                if (run.Messages > 0)
                {
                    outbox.Notify();
                    LogQueued(logger, run.AtOnce, run.Digests, run.InDigests);
                }
                if (run.Raced > 0) LogRaced(logger, run.Raced);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database being down is said by readiness and every webhook's 503: one line here, not a stack trace.
                if (Hosting.DatabaseUnavailableHandler.IsDatabaseUnavailable(ex)) LogDatabaseUnavailable(logger, ex.GetType().Name);
                else LogFailed(logger, ex);
            }
            try
            {
                await wake.WaitAsync(options.PollInterval, clock, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts: {AtOnce} sent at once, {Digests} digests listing {InDigests} reports")]
    private static partial void LogQueued(ILogger logger, int atOnce, int digests, int inDigests);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alerts: {Count} officers were told by another host first")]
    private static partial void LogRaced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts pass skipped: the database is unavailable ({Kind})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alerts pass failed; trying again at the next")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public sealed record AlertOptions
{
    /// <summary>How often due digests (and anything a wake-up missed) are looked for; a new report wakes the worker at once.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);
}
