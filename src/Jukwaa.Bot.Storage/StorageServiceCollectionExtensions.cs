using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

public static class StorageServiceCollectionExtensions
{
    public const string ConnectionStringName = "Jukwaa";
    public const string DefaultSqliteFile = "data/jukwaa.db";

    /// <summary>
    /// Registers the database chosen by <c>Database:Provider</c> (<c>Sqlite</c>, the default, or
    /// <c>Postgres</c>) with <c>ConnectionStrings:Jukwaa</c>; with no connection string, the SQLite file
    /// <c>data/jukwaa.db</c> under <paramref name="contentRoot"/>. Relative SQLite paths are read from there too.
    /// </summary>
    public static IServiceCollection AddJukwaaStorage(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = ProviderFrom(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Jukwaa is not set.");
            }
            // A host that cannot reach PostgreSQL should say so in seconds (webhooks then answer 503), not after Npgsql's 15.
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) npgsql.Timeout = 3;
            services.AddDbContextPool<JukwaaDbContext, PostgresJukwaaDbContext>(o => o.UseNpgsql(npgsql.ConnectionString));
            services.AddSingleton(new WriteGate(serialize: false));
        }
        else
        {
            var (sqlite, file) = PrepareSqlite(string.IsNullOrWhiteSpace(connectionString) ? $"Data Source={DefaultSqliteFile}" : connectionString, contentRoot);
            services.AddDbContextPool<JukwaaDbContext, SqliteJukwaaDbContext>(o => o.UseSqlite(sqlite));
            services.AddSingleton(new WriteGate(serialize: true, file));
        }
        services.AddScoped<EfJukwaaStore>();
        services.AddScoped<IConversationStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<IReportStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<IOfficerStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<IQuestionnaireStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<IScorecardStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<IPublicationStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<Core.People.IPersonalDataStore>(sp => sp.GetRequiredService<EfJukwaaStore>());
        services.AddScoped<IOutboxStore, EfOutboxStore>();
        services.AddScoped<IReportQueries, EfReportQueries>();
        services.AddScoped<IResultsQueries, EfResultsQueries>();
        services.AddScoped<ISignInTokenStore, EfSignInTokenStore>();
        services.AddScoped<IAlertStore, EfAlertStore>();
        return services;
    }

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{value}'.");
    }

    /// <summary>
    /// The SQLite connection string and its file (null in memory). Connections never create the file:
    /// <c>migrate</c> does (and Development's start), so a missing or deleted file is a database that is
    /// down, not a new empty one taking writes.
    /// </summary>
    private static (string ConnectionString, string? File) PrepareSqlite(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        string? file = null;
        if (builder.DataSource is { Length: > 0 } source && source != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            file = builder.DataSource = Path.GetFullPath(source, contentRoot);
            builder.Mode = SqliteOpenMode.ReadWrite;
        }
        // Concurrent steps wait for the writer instead of failing at once.
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        return (builder.ToString(), file);
    }

    /// <summary>
    /// Applies migrations and returns the names of those it applied (none when the schema was up to date).
    /// SQLite's file (and folder) is created here, and the database switched to write-ahead logging so
    /// readers never wait for the writer.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateJukwaaDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JukwaaDbContext>();
        if (db.Database.IsSqlite()) await CreateSqliteFileAsync(db.Database.GetConnectionString()!, cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        return pending;
    }

    /// <summary>
    /// SQLite only: <c>PRAGMA optimize</c>, which re-analyses the tables whose statistics are stale (a bounded sample,
    /// so it is quick on a large file). Without statistics SQLite may plan the console's counts over a table row by
    /// row; PostgreSQL's autovacuum keeps its own.
    /// </summary>
    public static async Task RefreshStatisticsAsync(this JukwaaDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", cancellationToken);
    }

    private static async Task CreateSqliteFileAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" || File.Exists(builder.DataSource)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
    }
}
