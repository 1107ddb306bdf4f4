using Npgsql;

namespace Jukwaa.Bot.Tests;

/// <summary>
/// PostgreSQL for the tests whose subject it is, when <c>JUKWAA_TEST_POSTGRES</c> names a server
/// (an admin connection string; <c>.ci/run</c> starts one and sets it). Each test gets its own database.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "JUKWAA_TEST_POSTGRES";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? Admin => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>The databases to run on: SQLite always, PostgreSQL when a server is configured.</summary>
    public static TheoryData<string> Providers() => Admin is null ? [Sqlite] : [Sqlite, Postgres];

    public static string CreateDatabase()
    {
        var name = "jukwaa_test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(Admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Admin) { Database = name, Timeout = 5 }.ConnectionString;
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
