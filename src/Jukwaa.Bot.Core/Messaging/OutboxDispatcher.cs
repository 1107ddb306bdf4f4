using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Messaging;

/// <summary>The outbox as the dispatcher sees it. Every change is conditional on the claim, so a dispatcher that lost its lease changes nothing.</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Marks up to <paramref name="max"/> due messages as sending (pending and due, or sending with an
    /// expired lease), leaving out those of the <paramref name="paused"/> providers, and returns them.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(DateTime now, TimeSpan lease, int max, IReadOnlyCollection<string> paused, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a claim: status, attempts, provider id, next attempt, error.</summary>
    Task RecordAsync(OutboxMessage claimed, DateTime now, CancellationToken cancellationToken);

    /// <summary>Makes every pending retry of <paramref name="provider"/> due now (the provider is back).</summary>
    Task ReleaseRetriesAsync(string provider, DateTime now, CancellationToken cancellationToken);

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

    /// <summary>
    /// The longest a failing provider is left alone before one message is tried again: the pause starts
    /// at <see cref="FirstRetryDelay"/> and doubles up to this, so a provider back from an outage is
    /// noticed within it.
    /// </summary>
    public TimeSpan MaxProviderPause { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages per second per provider (<c>Outbox:MaxPerSecond:twilio</c>); unlisted providers get <see cref="DefaultMaxPerSecond"/>.</summary>
    public Dictionary<string, int> MaxPerSecond { get; init; } = [];

    public int DefaultMaxPerSecond { get; init; } = 20;
}

/// <summary>
/// One pass over the outbox: claim what is due, send each through its provider (or the local sender
/// when that provider has no credentials), and record the outcome. Connection errors, 5xx and 429 are
/// retried with a growing delay (or the provider's Retry-After); a 4xx fails for good with the reason.
/// A provider that fails that way is paused as a whole (2 s, doubling to <see cref="OutboxOptions.MaxProviderPause"/>,
/// or its Retry-After): its messages wait without spending attempts, then one message probes it; when
/// a probe is accepted the provider's whole backlog is due at once. The pause is this process's own.
/// </summary>
public sealed class OutboxDispatcher(PersonalDataProtector protector, TimeProvider clock, OutboxOptions options) : IDisposable
{
    private static readonly LocalSmsSender s_local = new();
    private readonly ConcurrentDictionary<string, RateLimiter> _caps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderHealth> _health = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends what is due through <paramref name="senders"/>; returns how many messages it handled (0: nothing
    /// was due). Once <paramref name="stopping"/> fires, sends already in flight finish and are recorded,
    /// and claimed messages not yet started go back to pending for the next start.
    /// </summary>
    public async Task<int> DispatchDueAsync(
        IOutboxStore store, IEnumerable<IMessageSender> senders, CancellationToken cancellationToken, CancellationToken stopping = default)
    {
        var byProvider = senders.Where(s => s.IsConfigured).ToDictionary(s => s.Provider, StringComparer.Ordinal);
        var now = Now;
        var paused = _health.Where(h => h.Value.IsPaused(now)).Select(h => h.Key).ToList();
        var claimed = await store.ClaimDueAsync(now, options.Lease, options.BatchSize, paused, cancellationToken);
        // Sends overlap; the store (one unit of work) records one outcome at a time.
        using var recording = new SemaphoreSlim(1, 1);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelSends), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(claimed, parallel, async (message, token) =>
        {
            var sender = byProvider.GetValueOrDefault(message.Provider) ?? s_local;
            var health = _health.GetOrAdd(sender.Provider, _ => new ProviderHealth());
            SendResult? result = null;
            if (!stopping.IsCancellationRequested && health.TryStart(Now))
            {
                try
                {
                    await Cap(sender.Provider).AcquireAsync(1, token);
                    result = await SendAsync(sender, message, token);
                }
                catch
                {
                    health.Abandon();   // a send that ended without an outcome must not hold the probe
                    throw;
                }
            }
            await recording.WaitAsync(token);
            try
            {
                if (result is null)
                {
                    await PutBackAsync(store, message, health, token);
                }
                else
                {
                    var recovered = health.Finished(result, Now, ProviderPause);
                    await RecordAsync(store, message, sender, result, token);
                    if (recovered) await store.ReleaseRetriesAsync(sender.Provider, Now, token);
                }
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

    /// <summary>
    /// Not tried (the host is stopping, or the provider is paused or being probed by another message):
    /// pending again as it was, without spending an attempt, due when the provider may be tried.
    /// </summary>
    private async Task PutBackAsync(IOutboxStore store, OutboxMessage message, ProviderHealth health, CancellationToken cancellationToken)
    {
        var now = Now;
        message.LockedUntil = null;
        message.Status = OutboxStatus.Pending;
        message.Attempts--;
        message.NextAttemptAt = health.PausedUntil > now ? health.PausedUntil : now;
        await store.RecordAsync(message, now, cancellationToken);
    }

    private TimeSpan ProviderPause(int failures) => TimeSpan.FromSeconds(Math.Min(
        options.MaxProviderPause.TotalSeconds, options.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(30, failures - 1))));

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

    /// <summary>One provider as this dispatcher has found it: answering, paused after failures, or being probed.</summary>
    private sealed class ProviderHealth
    {
        private readonly Lock _lock = new();
        private int _failures;
        private bool _probing;

        public DateTime PausedUntil { get; private set; }

        public bool IsPaused(DateTime now)
        {
            lock (_lock) return _failures > 0 && (PausedUntil > now || _probing);
        }

        /// <summary>Whether a message may be sent now: always while the provider answers; after failures, one probe once the pause is over.</summary>
        public bool TryStart(DateTime now)
        {
            lock (_lock)
            {
                if (_failures == 0) return true;
                if (PausedUntil > now || _probing) return false;
                _probing = true;
                return true;
            }
        }

        public void Abandon()
        {
            lock (_lock) _probing = false;
        }

        /// <summary>Takes a send's outcome; true when it ends an outage (the provider answered after failing).</summary>
        public bool Finished(SendResult result, DateTime now, Func<int, TimeSpan> pause)
        {
            lock (_lock)
            {
                _probing = false;
                if (result is SendResult.Retry retry)
                {
                    _failures++;
                    var until = now + pause(_failures);
                    if (retry.After is { } after && now + after > until) until = now + after;
                    if (until > PausedUntil) PausedUntil = until;
                    return false;
                }
                // Accepted, or refused for a reason of the message's own (4xx): either way the provider answers.
                var recovered = _failures > 0;
                _failures = 0;
                PausedUntil = default;
                return recovered;
            }
        }
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
