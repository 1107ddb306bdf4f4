using System.Data.Common;

namespace Jukwaa.Bot.Storage;

/// <summary>
/// SQLite has one writer at a time, and Microsoft.Data.Sqlite answers a busy database by sleeping
/// 150 ms before retrying, which turned concurrent USSD steps into half-second waits. Queuing this
/// process's writes here instead keeps each one a few milliseconds. PostgreSQL needs no gate.
/// It also refuses to let a SQLite write pass for durable when the database file has been deleted
/// under the running host: open connections would go on writing to the unlinked file, whose contents
/// vanish with the process, so the write fails (503) rather than being acknowledged.
/// </summary>
public sealed class WriteGate(bool serialize, string? sqliteFile = null)
{
    private readonly SemaphoreSlim? _semaphore = serialize ? new SemaphoreSlim(1, 1) : null;

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (_semaphore is null) return await write();
        await _semaphore.WaitAsync(cancellationToken);
        try
        {
            EnsureFileIsThere();
            var result = await write();
            EnsureFileIsThere();   // deleted while writing: the commit went nowhere lasting
            return result;
        }
        finally
        {
            _semaphore.Release();
        }
    }

    /// <summary>Why writes cannot be durable now, or null when they can.</summary>
    public string? Problem => sqliteFile is not null && !File.Exists(sqliteFile)
        ? "The SQLite database file of ConnectionStrings:Jukwaa does not exist (deleted under the host, or never made): restore it, or run `jukwaa migrate`; restart the host if it was deleted under it."
        : null;

    private void EnsureFileIsThere()
    {
        if (Problem is { } problem) throw new DatabaseFileMissingException(problem);
    }
}

/// <summary>The SQLite file was deleted under the running host: treated as the database being unavailable.</summary>
public sealed class DatabaseFileMissingException(string message) : DbException(message);
