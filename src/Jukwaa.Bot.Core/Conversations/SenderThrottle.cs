using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Jukwaa.Bot.Core.Conversations;

/// <summary>
/// Keeps one sender from flooding the service: a fixed number of messages per window, per sender.
/// Past it, messages are stored but not processed, and the sender is told once per window. Held in
/// memory: a host restart forgets it, which errs on the side of answering.
/// </summary>
public sealed class SenderThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, DateTime> _told = new(StringComparer.Ordinal);
    private readonly TimeSpan _window;

    public SenderThrottle(int messagesPerWindow, TimeSpan window, TimeProvider clock)
    {
        _window = window;
        _limiter = PartitionedRateLimiter.Create<string, string>(sender => RateLimitPartition.GetFixedWindowLimiter(sender, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = messagesPerWindow,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        Clock = clock;
    }

    private TimeProvider Clock { get; }

    /// <summary>Allowed: process it. Warn: too many, say so once. Ignore: too many, already said.</summary>
    public enum Verdict { Allowed, Warn, Ignore }

    /// <param name="sender">A keyed hash of the sender, never the number itself.</param>
    public Verdict Check(string sender)
    {
        using var lease = _limiter.AttemptAcquire(sender);
        if (lease.IsAcquired) return Verdict.Allowed;
        var now = Clock.GetUtcNow().UtcDateTime;
        if (_told.TryAdd(sender, now)) return Verdict.Warn;
        var last = _told[sender];
        return now - last > _window && _told.TryUpdate(sender, now, last) ? Verdict.Warn : Verdict.Ignore;
    }

    public void Dispose() => _limiter.Dispose();
}
