namespace Jukwaa.Bot.Storage;

/// <summary>
/// SQLite has one writer at a time, and Microsoft.Data.Sqlite answers a busy database by sleeping
/// 150 ms before retrying, which turned concurrent USSD steps into half-second waits. Queuing this
/// process's writes here instead keeps each one a few milliseconds. PostgreSQL needs no gate.
/// </summary>
public sealed class WriteGate(bool serialize)
{
    private readonly SemaphoreSlim? _semaphore = serialize ? new SemaphoreSlim(1, 1) : null;

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (_semaphore is null) return await write();
        await _semaphore.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _semaphore.Release();
        }
    }
}
