using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage.Tests;

/// <summary>A real SQLite file in a temporary folder, migrated, deleted afterwards.</summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jukwaa-storage-" + Guid.NewGuid().ToString("N"));

    private SqliteDatabase(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public string File => Path.Combine(_folder, "data", "jukwaa.db");

    public static async Task<SqliteDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-storage-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddJukwaaStorage(configuration, folder).BuildServiceProvider();
        var database = new SqliteDatabase(services, folder);
        await services.MigrateJukwaaDatabaseAsync();
        return database;
    }

    private SqliteDatabase(ServiceProvider services, string folder) : this(services) => _folder = folder;

    /// <summary>A new unit of work, as one request would have.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
