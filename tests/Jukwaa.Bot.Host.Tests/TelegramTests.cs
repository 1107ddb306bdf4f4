using System.Net;
using System.Text.Json;
using Jukwaa.Bot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The Telegram channel with real Bot API update JSON in and WireMock standing in for the Bot API.</summary>
public sealed class TelegramTests : IDisposable
{
    private const string Token = "123456:test-token";
    private readonly WireMockServer _botApi = WireMockServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private JukwaaApp App() => new(settings: new Dictionary<string, string?>
    {
        ["Channels:Telegram:BotToken"] = Token,
        ["Channels:Telegram:ApiBaseUrl"] = _botApi.Url,
    });

    private void BotApi(string method, int status, string body) =>
        _botApi.Given(Request.Create().WithPath($"/bot{Token}/{method}").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private static string Sent(long chat) => $$$"""{"ok":true,"result":{"message_id":42,"date":1764316800,"chat":{"id":{{{chat}}},"type":"private"},"text":"ok"}}""";

    private List<JsonElement> Calls(string method) =>
        [.. _botApi.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/" + method, StringComparison.Ordinal)).Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement)];

    [Theory]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData("test_telegram-secreT")]
    public async Task AnUpdateWithoutTheSecretTokenIsForbiddenAndStoresNothing(string secret)
    {
        await using var app = App();
        var chat = app.Telegram();
        using var response = await chat.PostAsync(chat.MessageUpdate("/start"), secret: secret);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.People.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.Messages.CountAsync(Ct)));
    }

    [Fact]
    public async Task SomethingThatIsNotAnUpdateIsRefusedWith400()
    {
        await using var app = App();
        var chat = app.Telegram();
        using var broken = await chat.PostAsync("{\"update_id\": \"x\"");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        using var noId = await chat.PostAsync("{\"message\": {}}");
        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
    }

    [Fact]
    public async Task TheSameUpdateDeliveredAgainAndAtOnceIsProcessedOnce()
    {
        await using var app = App();
        var chat = app.Telegram();
        var update = chat.MessageUpdate("/help", updateId: 777);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await chat.PostAsync(update);
            return response.StatusCode;
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        using (var again = await chat.PostAsync(update)) Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await app.QueryAsync(db => db.Messages.CountAsync(m => m.Direction == Direction.Inbound, Ct)));
        Assert.Single(await chat.OutboxAsync());
    }

    [Fact]
    public async Task RepliesGoOutWithInlineButtonsAndEveryPressedButtonIsAnswered()
    {
        BotApi("sendMessage", 200, Sent(1));
        BotApi("answerCallbackQuery", 200, """{"ok":true,"result":true}""");
        await using var app = App();
        var chat = app.Telegram();
        await chat.SendAsync("/start");
        await chat.PressAsync("1");
        await JukwaaApp.EventuallyAsync(async () => (await chat.OutboxAsync()).All(m => m.Status == OutboxStatus.Sent), "everything is sent");

        var messages = Calls("sendMessage");
        Assert.Equal(2, messages.Count);
        Assert.Equal(chat.UserId, messages[0].GetProperty("chat_id").GetInt64());
        Assert.StartsWith("Jukwaa la Usalama. Choose language", messages[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var buttons = messages[0].GetProperty("reply_markup").GetProperty("inline_keyboard").EnumerateArray().Select(row => row[0]).ToList();
        Assert.Equal(["English", "Kiswahili"], buttons.Select(b => b.GetProperty("text").GetString()));
        // Each button names its screen (the first) and its option, so a press from an older screen is recognised.
        Assert.Equal(["1:1", "1:2"], buttons.Select(b => b.GetProperty("callback_data").GetString()));
        Assert.Equal("Jukwaa la Usalama", messages[1].GetProperty("text").GetString());

        var answered = Assert.Single(Calls("answerCallbackQuery"));
        Assert.StartsWith("cbq-", answered.GetProperty("callback_query_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AButtonPressedOnAnOlderScreenDoesNotAnswerTheCurrentOne()
    {
        await using var app = App();
        var chat = app.Telegram();
        await chat.SendAsync("/start");
        await chat.PressAsync("1");                          // English: the main menu is screen 2
        await chat.PressAsync("1");                          // Report an incident: the categories are screen 3
        var again = await chat.PressDataAsync("2:2");        // "Check a report" on the old main menu
        Assert.StartsWith("That button was on an earlier screen. Here is where you are now.\nWhat is it about?", again, StringComparison.Ordinal);
        Assert.Equal("category", await app.QueryAsync(db => db.Conversations.Select(c => c.State).SingleAsync(Ct)));
        Assert.Equal(3, (await chat.OutboxAsync()).Count(m => m.Kind == OutboxKind.CallbackAnswer));
    }

    [Fact]
    public async Task ABlockedBotMarksThePersonStoppedOnTelegram()
    {
        BotApi("sendMessage", 403, """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}""");
        await using var app = App();
        var chat = app.Telegram();
        await chat.SendAsync("/start");
        await JukwaaApp.EventuallyAsync(async () => (await chat.OutboxAsync())[0].Status == OutboxStatus.Failed, "the message fails");
        Assert.Contains("blocked", (await chat.OutboxAsync())[0].Error, StringComparison.Ordinal);
        var person = await app.QueryAsync(db => db.People.SingleAsync(Ct));
        Assert.NotNull(person.TelegramStoppedAt);
        Assert.Null(person.SmsStoppedAt);
        Assert.Null(await chat.SendAsync("hello"));
        Assert.NotNull(await chat.SendAsync("/start"));   // pressing Start again un-blocks
    }

    [Fact]
    public async Task AnAnswerThatCannotBeReadAfterTelegramAcceptedIsNotSentAgain()
    {
        BotApi("sendMessage", 200, """{"ok":true,"result":""");
        await using var app = App();
        var chat = app.Telegram();
        await chat.SendAsync("/start");

        await JukwaaApp.EventuallyAsync(async () => (await chat.OutboxAsync())[0].Status is not (OutboxStatus.Pending or OutboxStatus.Sending), "the outcome is recorded");
        var message = (await chat.OutboxAsync())[0];
        Assert.Equal((OutboxStatus.Sent, 1), (message.Status, message.Attempts));
        Assert.Contains("could not be read", message.Error, StringComparison.Ordinal);
        Assert.Single(Calls("sendMessage"));

        // Every lease and back-off over, a later reply is taken up: the first (claimed in order, so no
        // later than it) still has its one attempt, and Telegram was called once more, for the later one.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await chat.SendAsync("/start");
        await JukwaaApp.EventuallyAsync(async () => (await chat.OutboxAsync()) is [_, var later] && later.Attempts >= 1 && later.Status != OutboxStatus.Sending,
            "the later reply is taken up");
        var first = (await chat.OutboxAsync())[0];
        Assert.Equal((message.Status, message.Attempts, message.Version), (first.Status, first.Attempts, first.Version));
        Assert.Equal(2, Calls("sendMessage").Count);
    }

    [Fact]
    public async Task TooManyRequestsWaitsRetryAfter()
    {
        BotApi("sendMessage", 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}""");
        await using var app = App();
        var chat = app.Telegram();
        await chat.SendAsync("/start");
        await JukwaaApp.EventuallyAsync(async () => (await chat.OutboxAsync())[0] is { Attempts: 1, Status: OutboxStatus.Pending }, "the 429 is recorded");
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(7), (await chat.OutboxAsync())[0].NextAttemptAt);
    }

    [Fact]
    public async Task SharingTheNumberJoinsThePersonKnownFromSms()
    {
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("MSAADA");                       // Kiswahili, by keyword
        var chat = app.Telegram();
        Assert.Contains("Choose language", await chat.SendAsync("hello"), StringComparison.Ordinal);

        Assert.StartsWith("Please share your own number", await chat.ShareContactAsync(phone.Phone, contactUserId: 5), StringComparison.Ordinal);
        Assert.StartsWith("Asante. Telegram sasa imeunganishwa", await chat.ShareContactAsync(phone.Phone), StringComparison.Ordinal);
        Assert.StartsWith("Jukwaa la Usalama\n[1: Ripoti tukio]", await chat.SendAsync("habari"), StringComparison.Ordinal);
        var linked = await app.QueryAsync(db => db.People.Where(p => p.TelegramHash != null).ToListAsync(Ct));
        Assert.Equal("sw", Assert.Single(linked).Language);
    }

    [Fact]
    public async Task TheSetWebhookVerbRegistersTheUrlWithTheSecretToken()
    {
        BotApi("setWebhook", 200, """{"ok":true,"result":true,"description":"Webhook was set"}""");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jukwaa.dll"));
        foreach (var arg in new[] { "telegram", "set-webhook", "https://jukwaa.example.org" }) start.ArgumentList.Add(arg);
        start.Environment["Channels__Telegram__BotToken"] = Token;
        start.Environment["Channels__Telegram__SecretToken"] = "s3cret_token-1";
        start.Environment["Channels__Telegram__ApiBaseUrl"] = _botApi.Url!;
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Telegram will post updates to https://jukwaa.example.org/webhooks/telegram.", output, StringComparison.Ordinal);
        var call = Assert.Single(Calls("setWebhook"));
        Assert.Equal("https://jukwaa.example.org/webhooks/telegram", call.GetProperty("url").GetString());
        Assert.Equal("s3cret_token-1", call.GetProperty("secret_token").GetString());
    }

    public void Dispose() => _botApi.Dispose();
}
