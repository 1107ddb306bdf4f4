using System.Net;
using System.Text.Json;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Host.Hosting;
using Jukwaa.Bot.Storage;
using Jukwaa.Bot.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Tests;

public class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheHostRefusesToStartOnAnInvalidDialogNamingFileAndLine()
    {
        using var broken = new DialogsCopy();
        broken.Edit("report.yaml", s => s.Replace("next: details", "next: detials", StringComparison.Ordinal));

        await using var app = new JukwaaApp(dialogsPath: broken.Path);
        var error = Assert.Throws<DefinitionException>(() => app.CreateClient());
        Assert.Contains("report.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("names state 'detials', which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRealHostWithNoDialogsFolderSaysSoInOneLine()
    {
        var (exit, _, errors) = await CommandLineTests.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Dialogs__Path"] = "/nonexistent/dialogs",
            ["ConnectionStrings__Jukwaa"] = "Data Source=" + Path.Combine(Path.GetTempPath(), "jukwaa-never-" + Guid.NewGuid().ToString("N"), "jukwaa.db"),
        }, "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, exit);
        Assert.Equal("Jukwaa Bot cannot start: invalid dialog definition: /nonexistent/dialogs:0: the dialogs folder does not exist", errors.Trim());
    }

    [Theory]
    [InlineData("Channels:AfricasTalking:WebhookSecret", "Channels:AfricasTalking:WebhookSecret is not set")]
    [InlineData("Protection:EncryptionKey", "Protection:HashKey and Protection:EncryptionKey must both be set outside Development")]
    public async Task OutsideDevelopmentTheHostRefusesToStartWithoutItsSecrets(string missing, string message)
    {
        await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Database:MigrateOnStart"] = "true",
            [missing] = "",
        });
        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSampleConfigurationIsRefusedByAProductionHostUntilEverySecretIsReplaced()
    {
        var sample = Flatten(JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "appsettings.sample.json"), Ct)).RootElement, "");
        var settings = sample.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings.Remove("ConnectionStrings:Jukwaa");     // the test's own database file
        settings["Dialogs:Path"] = RepoPaths.Dialogs;     // the sample leaves it to the nearest dialogs/ above where the host runs
        settings["Database:MigrateOnStart"] = "true";
        string[] secrets =
        [
            "Protection:HashKey", "Protection:EncryptionKey", "Channels:AfricasTalking:ApiKey", "Channels:AfricasTalking:WebhookSecret",
            "Channels:Telegram:BotToken", "Channels:Telegram:SecretToken", "Channels:Twilio:AccountSid", "Channels:Twilio:AuthToken",
        ];
        await using (var asPublished = new JukwaaApp(environment: "Production", settings: settings))
        {
            var refused = StartupProblems.From(Record.Exception(() => asPublished.CreateClient())!);
            foreach (var key in secrets) Assert.Contains(refused, problem => problem.StartsWith(key + " ", StringComparison.Ordinal));
            Assert.Equal(secrets.Length, refused.Count);
        }

        foreach (var key in secrets) settings[key] = key.StartsWith("Protection:", StringComparison.Ordinal) ? Convert.ToBase64String(PersonalDataProtector.NewKey()) : "own" + Guid.NewGuid().ToString("N");
        settings["Channels:Twilio:ApiBaseUrl"] = settings["Channels:Telegram:ApiBaseUrl"] = settings["Channels:AfricasTalking:ApiBaseUrl"] = "http://127.0.0.1:9/";
        await using var app = new JukwaaApp(environment: "Production", settings: settings);
        using var call = app.Call();
        using var refusedCall = await call.PostAsync(call.Fields(""));
        Assert.Equal(HttpStatusCode.Forbidden, refusedCall.StatusCode);
        call.Query = "?secret=" + Uri.EscapeDataString(settings["Channels:AfricasTalking:WebhookSecret"]!);
        Assert.StartsWith("CON Jukwaa la Usalama. Choose language", await call.DialAsync(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Flatten(JsonElement element, string prefix) => element.ValueKind == JsonValueKind.Object
        ? element.EnumerateObject().SelectMany(p => Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}")).ToDictionary()
        : new Dictionary<string, string> { [prefix] = element.ToString() };
}

public class DatabaseUnavailableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithTheDatabaseUnreachableWebhooksAnswer503AndReadinessFails()
    {
        await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            // Nothing listens on port 1: the connection is refused at once.
            ["ConnectionStrings:Jukwaa"] = "Host=127.0.0.1;Port=1;Username=jukwaa;Password=x;Database=jukwaa",
        });
        using var call = app.Call();
        call.Query = "?secret=s3cret";
        using var step = await call.PostAsync(call.Fields(""));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, step.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), step.Headers.RetryAfter?.Delta);

        var sms = app.Sms();
        using var inbound = await sms.PostTwilioAsync(sms.TwilioFields("HELP"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, inbound.StatusCode);

        using var client = app.CreateClient();
        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var live = await client.GetAsync("/health/live", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
    }
}

public class DatabaseRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task AHostWhoseDatabaseComesBackRecoversByItself(string provider)
    {
        // The database is not there yet: a name the server does not have, or a SQLite file that may not be created.
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-recover-" + Guid.NewGuid().ToString("N"));
        var postgres = provider == TestPostgres.Postgres;
        var connection = postgres ? TestPostgres.NewDatabaseName() : $"Data Source={folder}/jukwaa.db";
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jukwaa"] = postgres ? connection : connection + ";Mode=ReadWrite",
            ["Database:Provider"] = postgres ? "Postgres" : "Sqlite",
        };
        await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: settings);
        using var call = app.Call();
        call.Query = "?secret=s3cret";
        using (var down = await call.PostAsync(call.Fields("")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }
        try
        {
            // The database comes back (created and migrated, as `migrate` would); the same host serves again.
            if (postgres) TestPostgres.CreateDatabase(connection);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Jukwaa"] = connection, ["Database:Provider"] = postgres ? "Postgres" : "Sqlite",
            }).Build();
            await using (var services = new ServiceCollection().AddJukwaaStorage(configuration, folder).BuildServiceProvider())
            {
                await services.MigrateJukwaaDatabaseAsync(Ct);
            }
            Assert.StartsWith("CON Jukwaa la Usalama. Choose language", await call.DialAsync(), StringComparison.Ordinal);
            using var client = app.CreateClient();
            using var ready = await client.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            if (postgres) TestPostgres.DropDatabase(connection);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
