using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Messaging;

/// <summary>The outbox as the dispatcher sees it. Every change is conditional on the claim, so a dispatcher that lost its lease changes nothing.</summary>
public interface IOutboxStore
{
    /// <summary>Marks up to <paramref name="max"/> due messages as sending (pending and due, or sending with an expired lease) and returns them.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(DateTime now, TimeSpan lease, int max, CancellationToken cancellationToken);

    Task RecordAsync(OutboxMessage claimed, DateTime now, CancellationToken cancellationToken);

    /// <summary>Stops the person on a channel, when its provider says they blocked us.</summary>
    Task MarkStoppedAsync(Guid personId, Channel channel, DateTime now, CancellationToken cancellationToken);

    /// <summary>Applies a delivery report; a status never moves backwards. False when no message has that id.</summary>
    Task<bool> ApplyDeliveryReportAsync(string provider, string providerMessageId, OutboxStatus status, string? reason, DateTime now, CancellationToken cancellationToken);
}

public sealed record OutboxOptions
{
    /// <summary>How long a claimed message is the claimer's: longer than one send can take (35 s).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    public int BatchSize { get; init; } = 32;

    /// <summary>Sends in flight at once: a provider answering in 200 ms allows 5 a second one at a time.</summary>
    public int MaxParallelSends { get; init; } = 8;

    public int MaxAttempts { get; init; } = 20;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Messages per second per provider (<c>Outbox:MaxPerSecond:twilio</c>); unlisted providers get <see cref="DefaultMaxPerSecond"/>.</summary>
    public Dictionary<string, int> MaxPerSecond { get; init; } = [];

    public int DefaultMaxPerSecond { get; init; } = 20;
}

/// <summary>
/// One pass over the outbox: claim what is due, send each through its provider (or the local sender
/// when that provider has no credentials), and record the outcome. Connection errors, 5xx and 429 are
/// retried with a growing delay (or the provider's Retry-After); a 4xx fails for good with the reason.
/// </summary>
public sealed class OutboxDispatcher(PersonalDataProtector protector, TimeProvider clock, OutboxOptions options) : IDisposable
{
    private static readonly LocalSmsSender s_local = new();
    private readonly ConcurrentDictionary<string, RateLimiter> _caps = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends what is due through <paramref name="senders"/>; returns how many messages it handled (0: nothing
    /// was due). Once <paramref name="stopping"/> fires, sends already in flight finish and are recorded,
    /// and claimed messages not yet started go back to pending for the next start.
    /// </summary>
    public async Task<int> DispatchDueAsync(
        IOutboxStore store, IEnumerable<IMessageSender> senders, CancellationToken cancellationToken, CancellationToken stopping = default)
    {
        var byProvider = senders.Where(s => s.IsConfigured).ToDictionary(s => s.Provider, StringComparer.Ordinal);
        var claimed = await store.ClaimDueAsync(Now, options.Lease, options.BatchSize, cancellationToken);
        // Sends overlap; the store (one unit of work) records one outcome at a time.
        using var recording = new SemaphoreSlim(1, 1);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelSends), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(claimed, parallel, async (message, token) =>
        {
            var sender = byProvider.GetValueOrDefault(message.Provider) ?? s_local;
            await Cap(sender.Provider).AcquireAsync(1, token);
            var result = stopping.IsCancellationRequested
                ? new SendResult.Retry("the host was stopping", TimeSpan.Zero)
                : await SendAsync(sender, message, token);
            await recording.WaitAsync(token);
            try
            {
                await RecordAsync(store, message, sender, result, token);
            }
            finally
            {
                recording.Release();
            }
        });
        return claimed.Count;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<SendResult> SendAsync(IMessageSender sender, OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var buttons = message.ButtonsJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<Dialogs.ReplyOption>>(message.ButtonsJson) ?? [];
            var outbound = new OutboundMessage(message.Id, message.Kind, protector.Unseal(message.ToSealed), protector.Unseal(message.BodySealed), buttons);
            return await sender.SendAsync(outbound, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Retry("connection: " + ex.GetType().Name);
        }
    }

    private async Task RecordAsync(IOutboxStore store, OutboxMessage message, IMessageSender sender, SendResult result, CancellationToken cancellationToken)
    {
        var now = Now;
        message.LockedUntil = null;
        switch (result)
        {
            case SendResult.Sent sent:
                message.Status = OutboxStatus.Sent;
                message.Provider = sender.Provider;
                message.ProviderMessageId = sent.ProviderMessageId;
                message.SentAt = now;
                message.StatusAt = now;
                message.Error = null;
                break;
            case SendResult.Retry retry when message.Attempts < options.MaxAttempts:
                message.Status = OutboxStatus.Pending;
                message.NextAttemptAt = now + (retry.After ?? Backoff(message.Attempts));
                message.Error = Cut(retry.Reason);
                break;
            case SendResult.Retry retry:
                message.Status = OutboxStatus.Failed;
                message.StatusAt = now;
                message.Error = Cut($"gave up after {message.Attempts} attempts: {retry.Reason}");
                break;
            case SendResult.Failed failed:
                message.Status = OutboxStatus.Failed;
                message.StatusAt = now;
                message.Error = Cut(failed.Reason);
                if (failed.OptedOut) await store.MarkStoppedAsync(message.PersonId, message.Channel, now, cancellationToken);
                break;
        }
        await store.RecordAsync(message, now, cancellationToken);
    }

    /// <summary>2 s, 4 s, 8 s … up to 5 minutes, each ±20 % so a recovering provider is not hit all at once.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(options.MaxRetryDelay.TotalSeconds, options.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private RateLimiter Cap(string provider) => _caps.GetOrAdd(provider, p =>
    {
        var perSecond = Math.Max(1, options.MaxPerSecond.GetValueOrDefault(p, options.DefaultMaxPerSecond));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
    });

    private static string Cut(string text) => text.Length <= 500 ? text : text[..500];

    public void Dispose()
    {
        foreach (var cap in _caps.Values) cap.Dispose();
    }
}

/// <summary>With no provider credentials, messages stay in the outbox marked sent here, to be read with <c>messages tail</c>.</summary>
public sealed class LocalSmsSender : IMessageSender
{
    public const string Name = "local";

    public string Provider => Name;

    public bool IsConfigured => true;

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        Task.FromResult<SendResult>(new SendResult.Sent($"local-{message.OutboxId}"));
}

/// <summary>Wakes the dispatcher when a turn has queued a message, so replies leave at once rather than at the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
