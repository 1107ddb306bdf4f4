using System.Net;
using Jukwaa.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>Readiness means every webhook can be served, and nothing is acknowledged that was not stored durably (issue 11: 10, 11).</summary>
public class DatabaseReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReportIsNotAcknowledgedWhenTheDatabaseFileWasDeletedUnderTheHost()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        await call.DialAsync();
        foreach (var input in new[] { "1", "1", "2", "Kisumu", "1", "Kibuye market", "Men with pistols take money from traders" })
        {
            await call.SendAsync(input);
        }
        Assert.Contains("1. Submit", await call.SendAsync("1"), StringComparison.Ordinal);

        foreach (var file in new[] { app.DatabaseFile, app.DatabaseFile + "-wal", app.DatabaseFile + "-shm" }) File.Delete(file);

        using (var submit = await call.PostAsync(call.Fields(call.Text + "*1")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
            Assert.DoesNotContain("saved", await submit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using var client = app.CreateClient();
        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("database file", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(File.Exists(app.DatabaseFile), "no empty database was made in its place");
    }

    [Fact]
    public async Task AProductionHostOnADatabaseWithoutTablesIsNotReadyUntilMigrated()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-schema-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "jukwaa.db");
        await using (var empty = new SqliteConnection($"Data Source={file}"))
        {
            await empty.OpenAsync(Ct);   // an empty database file: what a host started without `migrate` finds
        }
        try
        {
            await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?>
            {
                ["ConnectionStrings:Jukwaa"] = $"Data Source={file}",
            });
            using var client = app.CreateClient();
            using (var notReady = await client.GetAsync("/health/ready", Ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
                Assert.Contains("run `jukwaa migrate`", await notReady.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }

            var applied = await app.Services.MigrateJukwaaDatabaseAsync(Ct);
            Assert.NotEmpty(applied);
            using var ready = await client.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Empty(await app.Services.MigrateJukwaaDatabaseAsync(Ct));

            // A newer version migrated the same database: this build cannot serve its schema.
            await app.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29991231000000_FromTheFuture', '10.0.15')", Ct));
            using var ahead = await client.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ahead.StatusCode);
            Assert.Contains("29991231000000_FromTheFuture", await ahead.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AHostNeverCreatesAMissingDatabaseFileItself()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-nofile-" + Guid.NewGuid().ToString("N"));
        await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jukwaa"] = $"Data Source={folder}/jukwaa.db",
        });
        using var call = app.Call();
        call.Query = "?secret=s3cret";
        using var step = await call.PostAsync(call.Fields(""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, step.StatusCode);
        Assert.False(File.Exists(Path.Combine(folder, "jukwaa.db")));
    }
}
