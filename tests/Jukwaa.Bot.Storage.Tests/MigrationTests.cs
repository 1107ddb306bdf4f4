using System.Data.Common;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage.Tests;

/// <summary>
/// An operator who rolls the database back to an earlier release (<c>migrate</c> to a named migration) and forward
/// again must get the schema a fresh database has. On SQLite a rolled-back column drop rebuilds the table from the
/// model recorded with the migration before it, so a migration recording a wrong model silently drops columns.
/// </summary>
public class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task RollingBackToAnyMigrationAndForwardAgainGivesTheSchemaOfAFreshDatabase(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var scope = database.Scope();
        var db = scope.ServiceProvider.GetRequiredService<JukwaaDbContext>();
        var migrator = db.GetService<IMigrator>();
        var fresh = await SchemaAsync(db);
        var migrations = db.Database.GetMigrations().ToList();

        foreach (var target in migrations.Take(migrations.Count - 1).Reverse())
        {
            await migrator.MigrateAsync(target, Ct);
            await migrator.MigrateAsync(cancellationToken: Ct);
            var again = await SchemaAsync(db);
            Assert.True(fresh.SetEquals(again),
                $"after rolling back to {target} and forward: missing {string.Join(", ", fresh.Except(again))}; extra {string.Join(", ", again.Except(fresh))}");
        }
    }

    /// <summary>Every table's columns and every index, by name.</summary>
    private static async Task<HashSet<string>> SchemaAsync(JukwaaDbContext db)
    {
        var sql = db.Database.IsSqlite()
            ? """
              SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'
              UNION ALL SELECT 'index ' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite%'
              """
            : """
              SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
              UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
              """;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(Ct);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct)) names.Add(reader.GetString(0));
        Assert.Contains("reports.Version", names);
        return names;
    }
}
