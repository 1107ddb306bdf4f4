using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;

namespace Jukwaa.Bot.Host.Workers;

/// <summary>
/// Runs the outbox, one lane per provider (<see cref="OutboxDispatcher.Lanes"/>), each on its own: a
/// provider that hangs holds up only its own messages. A lane keeps up to <c>Outbox:MaxParallelSends</c>
/// sends in flight and claims a message only when a send can start on it, so no claimed message waits
/// out its lease. It looks for work at once when a turn queued a message, otherwise every
/// <c>Outbox:PollInterval</c>; a claim that fails is logged and tried again. On shutdown sends in flight
/// finish and are recorded (each is bounded by the provider client's 35 s), the rest stay pending.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes, OutboxDispatcher dispatcher, OutboxSignal signal, OutboxOptions outbox, OutboxWorkerOptions options,
    ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<OutboxLane> lanes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            lanes = OutboxDispatcher.Lanes(scope.ServiceProvider.GetServices<IMessageSender>());
        }
        await Task.WhenAll(lanes.Select(lane => Task.Run(() => RunLaneAsync(lane, stoppingToken), CancellationToken.None)));
    }

    private async Task RunLaneAsync(OutboxLane lane, CancellationToken stoppingToken)
    {
        var width = Math.Max(1, outbox.MaxParallelSends);
        using var slots = new SemaphoreSlim(width, width);
        var inFlight = new HashSet<Task>();
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
                lock (inFlight)
                {
                    foreach (var message in claimed) inFlight.Add(SendAsync(lane, message, slots, inFlight, stoppingToken));
                }
                if (claimed.Count == 0) await Wait(wake.WaitAsync(options.PollInterval, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        Task[] remaining;
        lock (inFlight) remaining = [.. inFlight];
        await Task.WhenAll(remaining);
    }

    /// <summary>One claimed message, in its own scope: sent and recorded, then its slot is free.</summary>
    private async Task SendAsync(OutboxLane lane, OutboxMessage message, SemaphoreSlim slots, HashSet<Task> inFlight, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var sender = lane.Sender is { } name ? services.GetServices<IMessageSender>().FirstOrDefault(s => s.Provider == name) : null;
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
            lock (inFlight) inFlight.RemoveWhere(t => t.IsCompleted);
        }
    }

    private static async Task Wait(Task wait)
    {
        try { await wait; } catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox lane {Lane} could not claim messages; trying again")]
    private static partial void LogClaimFailed(ILogger logger, string lane, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} ({Lane}) could not be recorded; it is tried again after its lease")]
    private static partial void LogRecordFailed(ILogger logger, long id, string lane, Exception exception);
}

public sealed record OutboxWorkerOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ErrorDelay { get; init; } = TimeSpan.FromSeconds(5);
}
