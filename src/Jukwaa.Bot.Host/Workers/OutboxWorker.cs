using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;

namespace Jukwaa.Bot.Host.Workers;

/// <summary>
/// Runs the outbox, one lane per provider (<see cref="OutboxDispatcher.Lanes"/>), each on its own: a
/// provider that hangs holds up only its own messages. A lane keeps up to <c>Outbox:MaxParallelSends</c>
/// sends in flight and claims a message only when a send can start on it, so no claimed message waits
/// out its lease. It looks for work at once when a turn queued a message, otherwise every
/// <c>Outbox:PollInterval</c>; a claim that fails is logged and tried again. On shutdown sends in flight
/// finish and are recorded (each is bounded by the provider client's 35 s), the rest stay pending. The lane
/// of providers without a sender claims nothing: it marks their messages as waiting (see
/// <see cref="OutboxDispatcher.MarkWaitingAsync"/>).
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes, OutboxDispatcher dispatcher, OutboxSignal signal, OutboxOptions outbox, OutboxWorkerOptions options,
    TimeProvider clock, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<OutboxLane> lanes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            lanes = OutboxDispatcher.Lanes(scope.ServiceProvider.GetServices<IMessageSender>(), outbox);
        }
        try
        {
            await Task.WhenAll(lanes.Select(lane => Task.Run(
                () => lane.Sender is null ? RunWaitingLaneAsync(lane, stoppingToken) : RunLaneAsync(lane, stoppingToken), CancellationToken.None)));
        }
        finally
        {
            foreach (var lane in lanes) lane.Dispose();
        }
    }

    private async Task RunLaneAsync(OutboxLane lane, CancellationToken stoppingToken)
    {
        var width = Math.Max(1, outbox.MaxParallelSends);
        // A slot per send in flight: a message is claimed only with a slot, and its send gives it back.
        using var slots = new SemaphoreSlim(width, width);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = signal.Next;
                await slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < width && slots.Wait(0, CancellationToken.None)) free++;
                IReadOnlyList<OutboxMessage> claimed = [];
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    claimed = await dispatcher.ClaimAsync(scope.ServiceProvider.GetRequiredService<IOutboxStore>(), lane, free, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    LogClaimFailed(logger, lane.Name, ex);
                    slots.Release(free);
                    await Wait(Task.Delay(options.ErrorDelay, stoppingToken));
                    continue;
                }
                if (claimed.Count < free) slots.Release(free - claimed.Count);
                foreach (var message in claimed) _ = SendAsync(lane, message, slots, stoppingToken);
                if (claimed.Count == 0) await Wait(wake.WaitAsync(options.PollInterval, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Every slot back: the sends in flight have finished and been recorded.
        for (var i = 0; i < width; i++) await slots.WaitAsync(CancellationToken.None);
    }

    /// <summary>
    /// The lane of providers nothing here can send through: it claims nothing, and at start and every
    /// <c>Outbox:MaxProviderPause</c> marks their waiting messages with what to configure (each row once).
    /// </summary>
    private async Task RunWaitingLaneAsync(OutboxLane lane, CancellationToken stoppingToken)
    {
        var next = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetUtcNow() >= next)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await dispatcher.MarkWaitingAsync(scope.ServiceProvider.GetRequiredService<IOutboxStore>(), lane, CancellationToken.None);
                    next = clock.GetUtcNow() + outbox.MaxProviderPause;
                }
                catch (Exception ex)
                {
                    LogMarkFailed(logger, ex);
                    next = clock.GetUtcNow() + options.ErrorDelay;
                }
            }
            // Looked at on the poll, done by the clock: a pass costs nothing until the pause is over.
            await Wait(Task.Delay(options.PollInterval, stoppingToken));
        }
    }

    /// <summary>One claimed message, in its own scope: sent and recorded, then its slot is free.</summary>
    private async Task SendAsync(OutboxLane lane, OutboxMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var sender = services.GetServices<IMessageSender>().First(s => s.Provider == lane.Sender);
            await dispatcher.ProcessAsync(services.GetRequiredService<IOutboxStore>(), lane, sender, message, stoppingToken);
        }
        catch (Exception ex)
        {
            // The outcome could not be recorded (the database is down): the message is claimed again when its lease runs out.
            LogRecordFailed(logger, message.Id, lane.Name, ex);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task Wait(Task wait)
    {
        try { await wait; } catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox lane {Lane} could not claim messages; trying again")]
    private static partial void LogClaimFailed(ILogger logger, string lane, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox messages waiting for an unconfigured provider could not be marked; trying again")]
    private static partial void LogMarkFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} ({Lane}) could not be recorded; it is tried again after its lease")]
    private static partial void LogRecordFailed(ILogger logger, long id, string lane, Exception exception);
}

public sealed record OutboxWorkerOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ErrorDelay { get; init; } = TimeSpan.FromSeconds(5);
}
