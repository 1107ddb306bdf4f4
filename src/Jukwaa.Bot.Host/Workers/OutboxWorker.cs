using Jukwaa.Bot.Core.Messaging;

namespace Jukwaa.Bot.Host.Workers;

/// <summary>
/// Runs the outbox dispatcher: at once when a turn queued a message, otherwise every
/// <c>Outbox:PollInterval</c> for retries that came due. A pass that fails is logged and tried again.
/// On shutdown the pass under way is not cut: sends in flight finish and are recorded (each is bounded by
/// the provider client's 35 s), the rest stay pending for the next start.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes, OutboxDispatcher dispatcher, OutboxSignal signal, OutboxWorkerOptions options, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var services = scope.ServiceProvider;
                handled = await dispatcher.DispatchDueAsync(
                    services.GetRequiredService<IOutboxStore>(), services.GetServices<IMessageSender>(), CancellationToken.None, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
                await Wait(options.ErrorDelay, stoppingToken);
            }
            if (handled == 0) await signal.WaitAsync(options.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task Wait(TimeSpan delay, CancellationToken stoppingToken)
    {
        try { await Task.Delay(delay, stoppingToken); } catch (OperationCanceledException) { }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox pass failed; trying again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

public sealed record OutboxWorkerOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ErrorDelay { get; init; } = TimeSpan.FromSeconds(5);
}
