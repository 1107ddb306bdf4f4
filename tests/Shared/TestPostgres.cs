using Npgsql;

namespace Jukwaa.Bot.Tests;

/// <summary>
/// PostgreSQL for the tests whose subject it is, when <c>JUKWAA_TEST_POSTGRES</c> names a server
/// (an admin connection string; <c>.ci/run</c> starts one and sets it). Each test gets its own database,
/// reached with a 15 s connect timeout: under the whole suite on two cores, the host's own 3 s can pass.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "JUKWAA_TEST_POSTGRES";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? Admin => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>The databases to run on: SQLite always, PostgreSQL when a server is configured.</summary>
    public static TheoryData<string> Providers() => Admin is null ? [Sqlite] : [Sqlite, Postgres];

    /// <summary>A connection string for a database of this server that does not exist yet.</summary>
    public static string NewDatabaseName() =>
        new NpgsqlConnectionStringBuilder(Admin) { Database = "jukwaa_test_" + Guid.NewGuid().ToString("N"), Timeout = 15 }.ConnectionString;

    public static string CreateDatabase() => CreateDatabase(NewDatabaseName());

    public static string CreateDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var connection = new NpgsqlConnection(Admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return connectionString;
    }

    public static void DropDatabase(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new NpgsqlConnection(Admin);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
