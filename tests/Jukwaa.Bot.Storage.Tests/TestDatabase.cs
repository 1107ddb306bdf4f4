using Jukwaa.Bot.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage.Tests;

/// <summary>A real, migrated database: a SQLite file in a temporary folder, or a fresh PostgreSQL database; removed afterwards.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string? _postgres;

    private TestDatabase(ServiceProvider services, string folder, string? postgres)
    {
        Services = services;
        _folder = folder;
        _postgres = postgres;
    }

    public ServiceProvider Services { get; }

    public string File => Path.Combine(_folder, "data", "jukwaa.db");

    public static async Task<TestDatabase> CreateAsync(string provider = TestPostgres.Sqlite)
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-storage-" + Guid.NewGuid().ToString("N"));
        var postgres = provider == TestPostgres.Postgres ? TestPostgres.CreateDatabase() : null;
        var settings = postgres is null ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Jukwaa"] = postgres };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddJukwaaStorage(configuration, folder).BuildServiceProvider();
        var database = new TestDatabase(services, folder, postgres);
        await services.MigrateJukwaaDatabaseAsync();
        return database;
    }

    /// <summary>A new unit of work, as one request would have.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        if (_postgres is not null) TestPostgres.DropDatabase(_postgres);
    }
}
