using System.Collections.Concurrent;

namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>
/// Telegram delivers updates over many connections at once; this keeps one chat's updates one at a
/// time in this process, so a person's messages are stepped in the order they are handled.
/// </summary>
public sealed class ChatLocks
{
    private readonly ConcurrentDictionary<string, Entry> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> LockAsync(string chat, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_locks)
        {
            entry = _locks.GetOrAdd(chat, _ => new Entry());
            entry.Users++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(chat, entry, held: false);
            throw;
        }
        return new Releaser(() => Release(chat, entry, held: true));
    }

    private void Release(string chat, Entry entry, bool held)
    {
        if (held) entry.Semaphore.Release();
        lock (_locks)
        {
            if (--entry.Users == 0 && _locks.TryRemove(chat, out _)) entry.Semaphore.Dispose();
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Releaser(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
