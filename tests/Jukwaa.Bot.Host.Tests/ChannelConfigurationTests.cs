using System.Net;
using Jukwaa.Bot.Host.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// Outside Development a channel is fully configured or off (issue 11, item 3): half a channel stops the
/// host with a sentence naming the key, a channel that is off answers 404, and the start says which are on.
/// </summary>
public class ChannelConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JukwaaApp Production(Dictionary<string, string?> settings)
    {
        settings["Database:MigrateOnStart"] = "true";
        return new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: settings);
    }

    [Theory]
    [InlineData("Channels:Twilio:FromNumber", "Channels:Twilio:FromNumber is not set: SMS through Twilio needs AccountSid, AuthToken and FromNumber")]
    [InlineData("Channels:Twilio:AccountSid", "Channels:Twilio:AccountSid is not set: SMS through Twilio needs AccountSid, AuthToken and FromNumber")]
    [InlineData("Channels:Telegram:BotToken", "Channels:Telegram:BotToken is not set: Telegram needs both BotToken and SecretToken")]
    [InlineData("Channels:AfricasTalking:Username", "Channels:AfricasTalking:Username is not set: SMS through Africa's Talking needs both Username and ApiKey")]
    public async Task AHalfConfiguredChannelStopsAProductionHostNamingTheMissingKey(string missing, string sentence)
    {
        await using var app = Production(new() { [missing] = "" });
        var problems = StartupProblems.From(Record.Exception(() => app.CreateClient())!);
        Assert.Equal([sentence + (sentence.Contains("Twilio", StringComparison.Ordinal) ? " (or none of them, to leave it off)." : sentence.Contains("Telegram", StringComparison.Ordinal)
            ? " (or neither, to leave it off)." : " (or neither, for USSD only).")], problems);
    }

    [Fact]
    public async Task AUssdOnlyHostSaysWhichChannelsAreOnAndTheOthersAnswer404()
    {
        // The normal USSD-only set-up: the webhook secret and nothing else.
        await using var app = Production(new()
        {
            ["Channels:AfricasTalking:Username"] = "", ["Channels:AfricasTalking:ApiKey"] = "",
            ["Channels:Twilio:AccountSid"] = "", ["Channels:Twilio:AuthToken"] = "", ["Channels:Twilio:FromNumber"] = "",
            ["Channels:Telegram:BotToken"] = "", ["Channels:Telegram:SecretToken"] = "",
        });
        using var client = app.CreateClient();
        var said = app.Logs.Where(l => l.StartsWith("Information Jukwaa.Bot.Channels:", StringComparison.Ordinal)).Select(l => l.Split(": ", 2)[1].Trim()).ToList();
        Assert.Equal(
        [
            "USSD (Africa's Talking) is on; its callbacks must carry the webhook secret.",
            "SMS through Africa's Talking is off (Channels:AfricasTalking:Username and ApiKey are not set): its webhooks answer 404 and SMS to USSD callers stay queued.",
            "SMS through Twilio is off (Channels:Twilio:AccountSid, AuthToken and FromNumber are not set): its webhooks answer 404.",
            "Telegram is off (Channels:Telegram:BotToken and SecretToken are not set): its webhook answers 404.",
        ], said);

        var phone = app.Sms();
        phone.Query = "?secret=s3cret";
        foreach (var route in new[] { "/webhooks/sms/africastalking", "/webhooks/sms/africastalking/delivery" })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = phone.Phone, ["to"] = "22384", ["text"] = "HELP", ["id"] = "ATXid_off" });
            using var response = await client.PostAsync(route + "?secret=s3cret", form, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("SMS through Africa's Talking is not enabled on this host", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using (var twilio = await phone.PostTwilioAsync(phone.TwilioFields("HELP")))
        {
            Assert.Equal(HttpStatusCode.NotFound, twilio.StatusCode);
        }
        var chat = app.Telegram();
        using (var telegram = await chat.PostAsync(chat.MessageUpdate("/start")))
        {
            Assert.Equal(HttpStatusCode.NotFound, telegram.StatusCode);
        }
        Assert.Equal(0, await app.QueryAsync(db => db.Messages.CountAsync(Ct)));

        using var call = app.Call();
        call.Query = "?secret=s3cret";
        Assert.StartsWith("CON Jukwaa la Usalama. Choose language", await call.DialAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullyConfiguredProductionHostSaysEveryChannelIsOn()
    {
        await using var app = Production([]);
        using var client = app.CreateClient();
        var said = app.Logs.Where(l => l.StartsWith("Information Jukwaa.Bot.Channels:", StringComparison.Ordinal)).Select(l => l.Split(": ", 2)[1].Trim()).ToList();
        Assert.Equal(
        [
            "USSD (Africa's Talking) is on; its callbacks must carry the webhook secret.",
            "SMS through Africa's Talking is on, sending through 127.0.0.1.",
            "SMS through Twilio is on, sending through 127.0.0.1.",
            "Telegram is on, sending through 127.0.0.1.",
        ], said);
    }

    [Theory]
    [InlineData("Protection:HashKey", "q3X2m8m1qk6b6mC7v0t9bq2d9Zb0e2K1s8Y7aJ4wz1U=")]
    [InlineData("Protection:EncryptionKey", "0mQ8d2b4Xw7n1Kc5Jv9Tz3Hs6Ly0Pe4Ra8Ug2Fi5Ob7=")]
    [InlineData("Channels:AfricasTalking:WebhookSecret", "change-me-long-random-value")]
    [InlineData("Channels:Telegram:SecretToken", "change-me_long-random-value")]
    [InlineData("Channels:Twilio:AuthToken", "replace-with-the-auth-token")]
    public async Task AProductionHostRefusesTheKeysTheSampleOncePublished(string key, string published)
    {
        await using var app = Production(new() { [key] = published });
        var problems = StartupProblems.From(Record.Exception(() => app.CreateClient())!);
        var problem = Assert.Single(problems);
        Assert.StartsWith(key + " ", problem, StringComparison.Ordinal);
        Assert.Contains("appsettings.sample.json", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRealHostStopsWithOneSentencePerProblemAndNoStackTrace()
    {
        var (exit, _, errors) = await CommandLineTests.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Jukwaa"] = "Data Source=" + Path.Combine(Path.GetTempPath(), "jukwaa-never-" + Guid.NewGuid().ToString("N"), "jukwaa.db"),
            ["Protection__HashKey"] = "q3X2m8m1qk6b6mC7v0t9bq2d9Zb0e2K1s8Y7aJ4wz1U=",
            ["Protection__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
            ["Channels__AfricasTalking__WebhookSecret"] = "s3cret",
            ["Channels__Twilio__AuthToken"] = "a-token",
        }, "serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, exit);
        Assert.Equal(
        [
            "Jukwaa Bot cannot start: Channels:Twilio:AccountSid is not set: SMS through Twilio needs AccountSid, AuthToken and FromNumber (or none of them, to leave it off).",
            "Jukwaa Bot cannot start: Channels:Twilio:FromNumber is not set: SMS through Twilio needs AccountSid, AuthToken and FromNumber (or none of them, to leave it off).",
            "Jukwaa Bot cannot start: Protection:HashKey holds a value published in appsettings.sample.json, which anyone can read; set one of your own (openssl rand -base64 32).",
        ], errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task AnOutboxLeaseThatASendCanOutliveIsRefusedInAnyEnvironment()
    {
        // The reproduction: an 8 s lease while a slow provider takes up to 35 s per send.
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Outbox:Lease"] = "00:00:08", ["Conversations:ThrottleLimit"] = "0" });
        var problems = StartupProblems.From(Record.Exception(() => app.CreateClient())!);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Outbox:Lease is 00:00:08; it must outlast", StringComparison.Ordinal) && p.Contains("at least 00:00:41", StringComparison.Ordinal));
        Assert.Contains("Conversations:ThrottleLimit must be at least 1, not 0.", problems);
    }

    [Fact]
    public async Task DevelopmentStillRunsWithNothingConfigured()
    {
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Channels:Twilio:AuthToken"] = "", ["Channels:Telegram:SecretToken"] = "" });
        var phone = app.Sms();
        Assert.NotNull(await phone.SendAsync("HELP"));
        Assert.Contains(app.Logs, l => l.Contains("SMS through Twilio is on for trying out", StringComparison.Ordinal));
    }
}
