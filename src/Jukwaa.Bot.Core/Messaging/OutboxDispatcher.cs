using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Messaging;

/// <summary>
/// The outbox as the dispatcher sees it. Every change is conditional on the claim, so a dispatcher that
/// lost its lease changes nothing. Every reason written to a message (a provider's error text, a
/// delivery report's) is stored redacted of phone numbers, whoever wrote it.
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Marks up to <paramref name="max"/> due messages as sending (pending and due, or sending with an
    /// expired lease) and returns them: those of <paramref name="provider"/>, or, when it is null, those
    /// of every provider not in <paramref name="otherThan"/>.
    /// </summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(
        DateTime now, TimeSpan lease, int max, string? provider, IReadOnlyCollection<string> otherThan, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a claim: status, attempts, provider id, next attempt, error.</summary>
    Task RecordAsync(OutboxMessage claimed, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// The providers, other than <paramref name="otherThan"/>, of messages waiting to be sent: pending, or
    /// sending with an expired lease.
    /// </summary>
    Task<IReadOnlyList<string>> WaitingProvidersAsync(IReadOnlyCollection<string> otherThan, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the waiting messages of <paramref name="provider"/>, which no sender here carries, with
    /// <paramref name="reason"/>: pending, without a claim or an attempt. One set-based update that touches
    /// only rows not already marked so, so each row is written once. Returns how many were.
    /// </summary>
    Task<int> MarkWaitingAsync(string provider, string reason, DateTime now, CancellationToken cancellationToken);

    /// <summary>Makes every pending retry of <paramref name="provider"/> due now (the provider is back).</summary>
    Task ReleaseRetriesAsync(string provider, DateTime now, CancellationToken cancellationToken);

    /// <summary>Stops the person on a channel, when its provider says they blocked us.</summary>
    Task MarkStoppedAsync(Guid personId, Channel channel, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a delivery report; a status never moves backwards. <paramref name="optedOut"/> (the provider
    /// says the person blocked us) stops the message's person on its channel. False when no message has that id.
    /// </summary>
    Task<bool> ApplyDeliveryReportAsync(
        string provider, string providerMessageId, OutboxStatus status, string? reason, bool optedOut, DateTime now, CancellationToken cancellationToken);
}

public sealed record OutboxOptions
{
    /// <summary>
    /// How long a claimed message is the claimer's: longer than one send can take (35 s). A message is
    /// claimed only when a send can start on it at once, so the lease covers the send, not a wait.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Sends in flight at once per provider: a provider answering in 200 ms allows 5 a second one at a time.</summary>
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
/// One provider's share of the outbox: its messages are claimed, sent and waited for apart from every
/// other provider's, so a provider that hangs holds up only its own. The last lane takes the messages
/// no configured provider carries: the local sender's in Development, otherwise nobody's (they wait).
/// </summary>
public sealed record OutboxLane : IDisposable
{
    /// <summary>The provider whose messages it claims; null for the lane of every provider not in <see cref="OtherThan"/>.</summary>
    public string? Provider { get; init; }

    public IReadOnlyCollection<string> OtherThan { get; init; } = [];

    /// <summary>The sender its messages go through (<see cref="IMessageSender.Provider"/>); null when there is none.</summary>
    public string? Sender { get; init; }

    /// <summary>For the last lane: where each registered but unconfigured provider is configured.</summary>
    public IReadOnlyDictionary<string, string> Sections { get; init; } = new Dictionary<string, string>();

    /// <summary>The sender's rate cap (<see cref="OutboxOptions.MaxPerSecond"/>), made with the lane; null when it has no sender.</summary>
    public RateLimiter? Cap { get; init; }

    public string Name => Provider ?? "unconfigured";

    public void Dispose() => Cap?.Dispose();
}

/// <summary>
/// The outbox's policy for one message: claim what is due, send each through its provider, and record the
/// outcome, whatever it is. Connection errors, 5xx and 429 are retried with a growing delay (or the
/// provider's Retry-After); a 4xx fails for good with the reason; a sender that throws fails the message
/// without sending it again (it may have reached the provider). A provider that fails that way is paused
/// as a whole (2 s, doubling to <see cref="OutboxOptions.MaxProviderPause"/>, or its Retry-After): its
/// messages wait without spending attempts, then one message probes it; when a probe is accepted the
/// provider's whole backlog is due at once. The pause is this process's own. The worker runs the lanes.
/// </summary>
public sealed class OutboxDispatcher(PersonalDataProtector protector, TimeProvider clock, OutboxOptions options)
{
    private readonly ConcurrentDictionary<string, ProviderHealth> _health = new(StringComparer.Ordinal);

    /// <summary>
    /// One lane per configured provider among <paramref name="senders"/>, and one for the rest: through
    /// <see cref="LocalSmsSender"/> only when it is among <paramref name="senders"/> (Development). Each lane
    /// with a sender has its rate cap; whoever runs the lanes disposes them.
    /// </summary>
    public static IReadOnlyList<OutboxLane> Lanes(IEnumerable<IMessageSender> senders, OutboxOptions options)
    {
        var all = senders.ToList();
        var configured = all.Where(s => s.IsConfigured && s.Provider != LocalSmsSender.Name).Select(s => s.Provider).Distinct(StringComparer.Ordinal).ToList();
        var lanes = configured.Select(p => new OutboxLane { Provider = p, Sender = p, Cap = Cap(p, options) }).ToList();
        var local = all.Any(s => s.Provider == LocalSmsSender.Name);
        lanes.Add(new OutboxLane
        {
            OtherThan = configured,
            Sender = local ? LocalSmsSender.Name : null,
            Cap = local ? Cap(LocalSmsSender.Name, options) : null,
            Sections = all.Where(s => !s.IsConfigured).GroupBy(s => s.Provider, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().ConfigurationSection, StringComparer.Ordinal),
        });
        return lanes;
    }

    /// <summary>
    /// For a lane without a sender (outside Development, the providers not configured): nothing is claimed;
    /// each waiting message is marked with what to configure, once (rows already saying so are not written).
    /// The worker does this at start and every <see cref="OutboxOptions.MaxProviderPause"/>.
    /// </summary>
    public async Task<int> MarkWaitingAsync(IOutboxStore store, OutboxLane lane, CancellationToken cancellationToken)
    {
        var now = Now;
        var marked = 0;
        foreach (var provider in await store.WaitingProvidersAsync(lane.OtherThan, now, cancellationToken))
        {
            var reason = lane.Sections.TryGetValue(provider, out var section)
                ? $"not sent: {provider} is not configured; set {section} and restart (the message waits)"
                : provider == LocalSmsSender.Name
                    ? "not sent: it was queued for the local sender, which only Development has (the message waits)"
                    : $"not sent: no sender is named '{provider}' (the message waits)";
            marked += await store.MarkWaitingAsync(provider, reason, now, cancellationToken);
        }
        return marked;
    }

    /// <summary>
    /// Claims at most <paramref name="free"/> due messages of the lane: no more than can start at once, so
    /// none waits under its lease. Nothing while the lane's provider is paused, one (the probe) when its
    /// pause is over.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(IOutboxStore store, OutboxLane lane, int free, CancellationToken cancellationToken)
    {
        if (lane.Sender is not { } sender) return [];    // nothing here could send it: see MarkWaitingAsync
        var now = Now;
        var max = free;
        if (_health.TryGetValue(sender, out var health))
        {
            if (health.IsPaused(now)) return [];
            if (health.IsFailing) max = 1;
        }
        return max <= 0 ? [] : await store.ClaimDueAsync(now, options.Lease, max, lane.Provider, lane.OtherThan, cancellationToken);
    }

    /// <summary>
    /// Sends one claimed message through <paramref name="sender"/> (the lane's, null when it has none) and
    /// records what became of it. Once <paramref name="stopping"/> fires, a send under way finishes and is
    /// recorded; a message not yet started goes back to pending for the next start.
    /// </summary>
    public async Task ProcessAsync(IOutboxStore store, OutboxLane lane, IMessageSender sender, OutboxMessage message, CancellationToken stopping)
    {
        if (message.Attempts > options.MaxAttempts)
        {
            // Claimed again after a lease ran out with no outcome recorded: each such claim may have sent it.
            await RecordAsync(store, message, sender, new SendResult.Failed(
                $"gave up after {message.Attempts - 1} attempts: the last ended without an outcome (its host stopped or lost the lease)"));
            return;
        }
        var health = _health.GetOrAdd(sender.Provider, _ => new ProviderHealth());
        SendResult? result = null;
        var started = default(ProviderHealth.Start);
        if (!stopping.IsCancellationRequested && health.TryStart(Now, out started))
        {
            try
            {
                if (lane.Cap is { } cap) await cap.AcquireAsync(1, stopping);
                result = await SendAsync(sender, message);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                if (started.Probe) health.Abandon();    // stopped before it was sent: it must not hold the probe
            }
        }
        if (result is null)
        {
            await PutBackAsync(store, message, health);
            return;
        }
        var recovered = health.Finished(result, started, Now, ProviderPause);
        await RecordAsync(store, message, sender, result);
        if (recovered) await store.ReleaseRetriesAsync(sender.Provider, Now, CancellationToken.None);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Never throws: whatever happens in the sender is an outcome to record.</summary>
    private async Task<SendResult> SendAsync(IMessageSender sender, OutboxMessage message)
    {
        try
        {
            var buttons = message.ButtonsJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<Dialogs.ReplyOption>>(message.ButtonsJson) ?? [];
            var outbound = new OutboundMessage(message.Id, message.Kind, protector.Unseal(message.ToSealed), protector.Unseal(message.BodySealed), buttons);
            // Not cancelled on shutdown: a send under way finishes (the provider client bounds it at 35 s).
            return await sender.SendAsync(outbound, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            return new SendResult.Retry("connection: " + ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // It may have reached the provider before the sender failed: sending it again could send it twice.
            return new SendResult.Failed($"{sender.Provider}: the send ended in {ex.GetType().Name} ({ex.Message}); not sent again, as it may have been accepted");
        }
    }

    private async Task RecordAsync(IOutboxStore store, OutboxMessage message, IMessageSender sender, SendResult result)
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
                message.Error = sent.Note;
                break;
            case SendResult.Retry retry when message.Attempts < options.MaxAttempts:
                message.Status = OutboxStatus.Pending;
                message.NextAttemptAt = now + (retry.After ?? Backoff(message.Attempts));
                message.Error = retry.Reason;
                break;
            case SendResult.Retry retry:
                message.Status = OutboxStatus.Failed;
                message.StatusAt = now;
                message.Error = $"gave up after {message.Attempts} attempts: {retry.Reason}";
                break;
            case SendResult.Failed failed:
                message.Status = OutboxStatus.Failed;
                message.StatusAt = now;
                message.Error = failed.Reason;
                if (failed.OptedOut) await store.MarkStoppedAsync(message.PersonId, message.Channel, now, CancellationToken.None);
                break;
        }
        await store.RecordAsync(message, now, CancellationToken.None);
    }

    /// <summary>
    /// Not tried (the host is stopping, or the provider is paused or being probed by another message):
    /// pending again as it was, the claim's attempt given back, due when the provider may be tried.
    /// </summary>
    private async Task PutBackAsync(IOutboxStore store, OutboxMessage message, ProviderHealth health)
    {
        var now = Now;
        message.LockedUntil = null;
        message.Status = OutboxStatus.Pending;
        message.Attempts--;
        message.NextAttemptAt = health.PausedUntil > now ? health.PausedUntil : now;
        await store.RecordAsync(message, now, CancellationToken.None);
    }

    private TimeSpan ProviderPause(int failures) => TimeSpan.FromSeconds(Math.Min(
        options.MaxProviderPause.TotalSeconds, options.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(30, failures - 1))));

    /// <summary>2 s, 4 s, 8 s … up to 5 minutes, each ±20 % so a recovering provider is not hit all at once.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(options.MaxRetryDelay.TotalSeconds, options.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private static TokenBucketRateLimiter Cap(string provider, OutboxOptions options)
    {
        var perSecond = Math.Max(1, options.MaxPerSecond.GetValueOrDefault(provider, options.DefaultMaxPerSecond));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// One provider as this dispatcher has found it: answering, paused after failures, or being probed.
    /// Failures are counted per outage step, not per send: sends in flight together when the provider fails
    /// (up to <see cref="OutboxOptions.MaxParallelSends"/>) are one failure, so the pause starts at
    /// <see cref="OutboxOptions.FirstRetryDelay"/>.
    /// </summary>
    private sealed class ProviderHealth
    {
        private readonly Lock _lock = new();
        private int _failures;
        private int _step;      // moves on with each failure counted and each recovery
        private bool _probing;

        /// <summary>How a send started: in which step, and whether it is the probe.</summary>
        public readonly record struct Start(int Step, bool Probe);

        public DateTime PausedUntil { get; private set; }

        public bool IsFailing
        {
            get { lock (_lock) return _failures > 0; }
        }

        public bool IsPaused(DateTime now)
        {
            lock (_lock) return _failures > 0 && (PausedUntil > now || _probing);
        }

        /// <summary>Whether a message may be sent now: always while the provider answers; after failures, one probe once the pause is over.</summary>
        public bool TryStart(DateTime now, out Start start)
        {
            lock (_lock)
            {
                start = new Start(_step, Probe: false);
                if (_failures == 0) return true;
                if (PausedUntil > now || _probing) return false;
                _probing = true;
                start = start with { Probe = true };
                return true;
            }
        }

        public void Abandon()
        {
            lock (_lock) _probing = false;
        }

        /// <summary>Takes a send's outcome; true when it ends an outage (the provider answered after failing).</summary>
        public bool Finished(SendResult result, Start start, DateTime now, Func<int, TimeSpan> pause)
        {
            lock (_lock)
            {
                // Only the probe's own outcome ends the probe: an ordinary send finishing meanwhile does not start another.
                if (start.Probe) _probing = false;
                if (result is SendResult.Retry retry)
                {
                    var until = PausedUntil;
                    // A send that started before this step began fails with the others of its step: counted once.
                    if (start.Step == _step)
                    {
                        _failures++;
                        _step++;
                        until = now + pause(_failures);
                    }
                    if (retry.After is { } after && now + after > until) until = now + after;
                    if (until > PausedUntil) PausedUntil = until;
                    return false;
                }
                // Accepted, or refused for a reason of the message's own (4xx): either way the provider answers.
                var recovered = _failures > 0;
                if (recovered) _step++;
                _failures = 0;
                PausedUntil = default;
                return recovered;
            }
        }
    }
}

/// <summary>
/// Development only: messages no configured provider carries stay in the outbox marked sent here, to be
/// read with <c>messages tail</c>. Registered as a sender only in Development.
/// </summary>
public sealed class LocalSmsSender : IMessageSender
{
    public const string Name = "local";

    public string Provider => Name;

    public bool IsConfigured => true;

    public string ConfigurationSection => "";

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        Task.FromResult<SendResult>(new SendResult.Sent($"local-{message.OutboxId}"));
}

/// <summary>
/// Wakes the dispatcher's lanes when a turn has queued a message, so replies leave at once rather than
/// at the next poll. Every lane waiting is woken; a lane takes <see cref="Next"/> before it looks for
/// work, so a notification while it looks is not lost.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next notification.</summary>
    public Task Next => Volatile.Read(ref _next).Task;
}
