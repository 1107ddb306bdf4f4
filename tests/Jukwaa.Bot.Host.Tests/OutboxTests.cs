using System.Net;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The outbox against WireMock standing in for Twilio's and Africa's Talking's APIs.</summary>
public sealed class OutboxTests : IDisposable
{
    private const string TwilioPath = "/2010-04-01/Accounts/ACtest/Messages.json";
    private const string AfricasTalkingPath = "/version1/messaging";
    private readonly WireMockServer _provider = WireMockServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private JukwaaApp App(string? webhookSecret = null) => new(webhookSecret: webhookSecret, settings: new Dictionary<string, string?>
    {
        ["Channels:Twilio:AccountSid"] = "ACtest",
        ["Channels:Twilio:FromNumber"] = "+15005550006",
        ["Channels:Twilio:ApiBaseUrl"] = _provider.Url,
        ["Channels:AfricasTalking:Username"] = "sandbox",
        ["Channels:AfricasTalking:ApiKey"] = "test-api-key",
        ["Channels:AfricasTalking:SenderId"] = "22384",
        ["Channels:AfricasTalking:ApiBaseUrl"] = _provider.Url,
    });

    private void Twilio(int status, string body, string? retryAfter = null, string? scenario = null, string? from = null, string? to = null)
    {
        var request = _provider.Given(Request.Create().WithPath(TwilioPath).UsingPost());
        if (scenario is not null)
        {
            request = request.InScenario(scenario);
            if (from is not null) request = request.WhenStateIs(from);
            request = request.WillSetStateTo(to!);
        }
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (retryAfter is not null) response = response.WithHeader("Retry-After", retryAfter);
        request.RespondWith(response);
    }

    private static string TwilioMessage(string sid) => $$"""{"sid":"{{sid}}","status":"queued","account_sid":"ACtest","to":"+254700000000","from":"+15005550006","body":"x"}""";

    private static string TwilioError(int code, int status) => $$"""{"code":{{code}},"message":"error {{code}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""";

    private static string AfricasTalkingAnswer(int statusCode, string status, string messageId) =>
        $$$"""{"SMSMessageData":{"Message":"Sent to 1/1","Recipients":[{"statusCode":{{{statusCode}}},"number":"+254700000000","status":"{{{status}}}","cost":"KES 0.8000","messageId":"{{{messageId}}}"}]}}""";

    private int Requests(string path) => _provider.LogEntries.Count(e => e.RequestMessage.Path == path);

    private static async Task<OutboxMessage> OnlyMessageAsync(SmsPhone phone) => Assert.Single(await phone.OutboxAsync());

    private static Task WhenAsync(SmsPhone phone, Func<OutboxMessage, bool> condition, string what) =>
        JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync()) is [var m] && condition(m), what);

    /// <summary>
    /// The phone's first message, final, is not sent again: with every lease and back-off over, a later
    /// message of the same provider is taken up (the lane claims in order, so the first would have been
    /// claimed no later), and the first still has its one attempt and the provider one request more.
    /// </summary>
    private async Task NotSentAgainAsync(JukwaaApp app, SmsPhone phone, Func<Task> sendLater, string path, int requests = 2)
    {
        var first = (await phone.OutboxAsync())[0];
        app.Clock.Advance(TimeSpan.FromHours(1));
        await sendLater();
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync()) is [_, var later] && later.Attempts >= 1 && later.Status != OutboxStatus.Sending,
            "a later message of the same provider is taken up");
        var again = (await phone.OutboxAsync())[0];
        Assert.Equal((first.Status, first.Attempts, first.Version), (again.Status, again.Attempts, again.Version));
        Assert.Equal(requests, Requests(path));
    }

    [Fact]
    public async Task AReplyIsSentThroughTwilioWithTheSenderNumberAndItsText()
    {
        Twilio(201, TwilioMessage("SMout1"));
        await using var app = App();
        var phone = app.Sms();
        var reply = await phone.SendAsync("HELP");

        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the reply is sent");
        var sent = await OnlyMessageAsync(phone);
        Assert.Equal(("twilio", "SMout1", 1), (sent.Provider, sent.ProviderMessageId, sent.Attempts));
        var request = Assert.Single(_provider.LogEntries).RequestMessage;
        var form = System.Web.HttpUtility.ParseQueryString(request.Body!);
        Assert.Equal((phone.Phone, "+15005550006", reply), (form["To"], form["From"], form["Body"]));
        Assert.StartsWith("Basic ", request.Headers!["Authorization"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderDownThenUpDeliversTheMessageOnce()
    {
        Twilio(500, TwilioError(20500, 500), scenario: "outage", from: null, to: "recovered");
        Twilio(201, TwilioMessage("SMafter"), scenario: "outage", from: "recovered", to: "recovered");
        await using var app = App();
        var phone = app.Sms();
        Assert.NotNull(await phone.SendAsync("HELP"));

        await WhenAsync(phone, m => m.Status == OutboxStatus.Pending && m.Attempts == 1, "the failure is recorded for a retry");
        var waiting = await OnlyMessageAsync(phone);
        Assert.Contains("HTTP 500", waiting.Error, StringComparison.Ordinal);
        Assert.InRange(waiting.NextAttemptAt - app.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5));

        app.Clock.Advance(TimeSpan.FromSeconds(3));
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the retry succeeds");
        Assert.Equal(("SMafter", 2), ((await OnlyMessageAsync(phone)).ProviderMessageId, (await OnlyMessageAsync(phone)).Attempts));
        Assert.Equal(2, Requests(TwilioPath));
    }

    [Fact]
    public async Task TooManyRequestsWaitsAsLongAsRetryAfterSays()
    {
        Twilio(429, TwilioError(20429, 429), retryAfter: "30", scenario: "busy", from: null, to: "free");
        Twilio(201, TwilioMessage("SMlater"), scenario: "busy", from: "free", to: "free");
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("HELP");

        await WhenAsync(phone, m => m.Attempts == 1 && m.Status == OutboxStatus.Pending, "the 429 is recorded");
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30), (await OnlyMessageAsync(phone)).NextAttemptAt);
        app.Clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300, Ct);  // several dispatcher passes: nothing may be sent before the provider's time
        Assert.Equal(1, Requests(TwilioPath));

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the message goes out after Retry-After");
        Assert.Equal(2, Requests(TwilioPath));
    }

    [Fact]
    public async Task ABadRequestFailsWithTheProvidersReasonAndIsNotRetried()
    {
        Twilio(400, TwilioError(21211, 400));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("HELP");

        await WhenAsync(phone, m => m.Status == OutboxStatus.Failed, "the message fails");
        Assert.Contains("error 21211", (await OnlyMessageAsync(phone)).Error, StringComparison.Ordinal);
        Assert.Equal(1, Requests(TwilioPath));
        await NotSentAgainAsync(app, phone, () => phone.SendAsync("HELP"), TwilioPath);
    }

    [Fact]
    public async Task TwilioSaying21610MarksThePersonStopped()
    {
        Twilio(400, TwilioError(21610, 400));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("HELP");

        await WhenAsync(phone, m => m.Status == OutboxStatus.Failed, "the message fails");
        Assert.NotNull(await app.QueryAsync(db => db.People.Select(p => p.SmsStoppedAt).SingleAsync(Ct)));
        Assert.Null(await phone.SendAsync("HELP"));
    }

    [Fact]
    public async Task AfricasTalkingSendsWithItsKeyAndTheRecipientsStatusDecides()
    {
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(AfricasTalkingAnswer(101, "Success", "ATXid_out")));
        await using var app = App(webhookSecret: "at-secret");
        var phone = app.Sms();
        phone.Query = "?secret=at-secret";
        var reply = await phone.SendViaAfricasTalkingAsync("MSAADA");

        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the reply is sent");
        Assert.Equal(("africastalking", "ATXid_out"), ((await OnlyMessageAsync(phone)).Provider, (await OnlyMessageAsync(phone)).ProviderMessageId));
        var request = Assert.Single(_provider.LogEntries).RequestMessage;
        Assert.Equal("test-api-key", request.Headers!["apiKey"][0]);
        var form = System.Web.HttpUtility.ParseQueryString(request.Body!);
        Assert.Equal(("sandbox", phone.Phone, reply, "22384"), (form["username"], form["to"], form["message"], form["from"]));
    }

    [Fact]
    public async Task AnAfricasTalkingRecipientInTheBlacklistFailsAndIsStopped()
    {
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody(AfricasTalkingAnswer(406, "UserInBlacklist", "None")));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendViaAfricasTalkingAsync("HELP");

        await WhenAsync(phone, m => m.Status == OutboxStatus.Failed, "the message fails");
        Assert.Contains("UserInBlacklist", (await OnlyMessageAsync(phone)).Error, StringComparison.Ordinal);
        Assert.NotNull(await app.QueryAsync(db => db.People.Select(p => p.SmsStoppedAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task QueuedMessagesGoOutOnceAfterARestart()
    {
        Twilio(503, TwilioError(20503, 503));
        var first = App();
        var phones = Enumerable.Range(0, 3).Select(_ => first.Sms()).ToList();
        foreach (var phone in phones) await phone.SendAsync("HELP");
        await JukwaaApp.EventuallyAsync(async () => await AttemptsAsync(phones) == Requests(TwilioPath) && Requests(TwilioPath) >= 1, "the outage is recorded");
        foreach (var phone in phones) Assert.Equal(OutboxStatus.Pending, (await OnlyMessageAsync(phone)).Status);
        await using var second = first.Restart();
        await first.DisposeAsync();

        _provider.Reset();
        Twilio(201, TwilioMessage("SMrestart"));
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = phones.Select(p => second.Sms(p.Phone)).ToList();
        foreach (var phone in again) await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the queued message is sent after the restart");
        Assert.Equal(3, Requests(TwilioPath));
        Assert.Equal(3, _provider.LogEntries.Select(e => System.Web.HttpUtility.ParseQueryString(e.RequestMessage.Body!)["To"]).Distinct().Count());
    }

    private static async Task<int> AttemptsAsync(IEnumerable<SmsPhone> phones)
    {
        var attempts = 0;
        foreach (var phone in phones) attempts += (await OnlyMessageAsync(phone)).Attempts;
        return attempts;
    }

    [Fact]
    public async Task AProviderDownForMinutesIsProbedNotHammeredAndTheBacklogLeavesWhenItReturns()
    {
        Twilio(503, TwilioError(20503, 503));
        await using var app = App();
        var phones = Enumerable.Range(0, 10).Select(_ => app.Sms()).ToList();
        foreach (var phone in phones) Assert.NotNull(await phone.SendAsync("HELP"));   // the webhook answers throughout

        // Five minutes of outage, in 10 s steps with a few dispatcher passes each.
        for (var second = 0; second < 300; second += 10)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(150, Ct);
        }
        await JukwaaApp.EventuallyAsync(async () => await AttemptsAsync(phones) == Requests(TwilioPath), "every attempt is recorded");
        var duringOutage = Requests(TwilioPath);
        // One probe per pause (2, 4, 8, 16, 32, then every 60 s): about 10, where retrying each of the
        // 10 messages on its own back-off would have made about 80 requests.
        Assert.InRange(duringOutage, 5, 14);
        foreach (var phone in phones) Assert.Equal(OutboxStatus.Pending, (await OnlyMessageAsync(phone)).Status);

        _provider.Reset();
        Twilio(201, TwilioMessage("SMback"));
        app.Clock.Advance(TimeSpan.FromSeconds(61));    // the longest pause: the next probe is due
        foreach (var phone in phones) await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the backlog is sent once the provider is back");
        Assert.Equal(10, Requests(TwilioPath));
        Assert.Equal(10, _provider.LogEntries.Select(e => System.Web.HttpUtility.ParseQueryString(e.RequestMessage.Body!)["To"]).Distinct().Count());
    }

    [Fact]
    public async Task AMessageLeftSendingByACrashIsSentAtMostOnceMore()
    {
        Twilio(201, TwilioMessage("SMagain"));
        await using var app = App();
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            // Sent by a dispatcher that died before recording it: still "sending", its lease run out.
            db.Outbox.Add(new OutboxMessage
            {
                PersonId = person.Id, Channel = Channel.Sms, Provider = "twilio", ToSealed = person.AddressSealed, BodySealed = protector.Seal("Asante"),
                Parts = 1, Status = OutboxStatus.Sending, Attempts = 1, LockedUntil = now.AddSeconds(-1), NextAttemptAt = now.AddMinutes(-1), CreatedAt = now,
            });
            db.Outbox.Add(new OutboxMessage
            {
                PersonId = person.Id, Channel = Channel.Sms, Provider = "twilio", ToSealed = person.AddressSealed, BodySealed = protector.Seal("Still mine"),
                Parts = 1, Status = OutboxStatus.Sending, Attempts = 1, LockedUntil = now.AddSeconds(50), NextAttemptAt = now, CreatedAt = now,
            });
            return await db.SaveChangesAsync(Ct);
        });

        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync())[0].Status == OutboxStatus.Sent, "the abandoned message is sent again");
        var messages = await phone.OutboxAsync();
        Assert.Equal((OutboxStatus.Sent, 2), (messages[0].Status, messages[0].Attempts));
        Assert.Equal(OutboxStatus.Sending, messages[1].Status);   // another dispatcher's lease still holds
        Assert.Equal(1, Requests(TwilioPath));
    }

    [Fact]
    public async Task AMessageThatKeepsFailingIsGivenUpNotRetriedForever()
    {
        Twilio(503, TwilioError(20503, 503));
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?>
        {
            ["Channels:Twilio:AccountSid"] = "ACtest", ["Channels:Twilio:FromNumber"] = "+15005550006", ["Channels:Twilio:ApiBaseUrl"] = _provider.Url,
            ["Outbox:MaxAttempts"] = "3",
        });
        var phone = app.Sms();
        await phone.SendAsync("HELP");
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var n = attempt;
            await WhenAsync(phone, m => m.Attempts == n && m.Status == OutboxStatus.Pending, $"attempt {n} is recorded");
            app.Clock.Advance(TimeSpan.FromMinutes(10));
        }
        await WhenAsync(phone, m => m.Status == OutboxStatus.Failed, "the message is given up");
        Assert.StartsWith("gave up after 3 attempts", (await OnlyMessageAsync(phone)).Error, StringComparison.Ordinal);
        Assert.Equal(3, Requests(TwilioPath));
        await NotSentAgainAsync(app, phone, () => phone.SendAsync("HELP"), TwilioPath, requests: 4);
    }

    [Fact]
    public async Task StoppingTheHostLetsASendInFlightFinishAndBeRecorded()
    {
        _provider.Given(Request.Create().WithPath(TwilioPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(TwilioMessage("SMslow"))
                .WithDelay(TimeSpan.FromMilliseconds(1500)));
        var first = App();
        var phone = first.Sms();
        await phone.SendAsync("HELP");
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sending, "the send is in flight");
        await using var next = first.Restart();
        await first.DisposeAsync();    // stops the host while the provider is still answering

        var message = Assert.Single(await next.Sms(phone.Phone).OutboxAsync());
        Assert.Equal((OutboxStatus.Sent, "SMslow"), (message.Status, message.ProviderMessageId));
        Assert.Equal(1, Requests(TwilioPath));
    }

    [Fact]
    public async Task TheWebhookAnswersEvenWhileTheProviderIsDown()
    {
        Twilio(500, TwilioError(20500, 500));
        await using var app = App();
        var phone = app.Sms();
        Assert.StartsWith("Jukwaa la Usalama: send REPORT", await phone.SendAsync("HELP"), StringComparison.Ordinal);
        Assert.StartsWith("Jukwaa la Usalama\n1. Report an incident", await phone.SendAsync("menu please"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveryReportsNeverMoveAStatusBackwards()
    {
        Twilio(201, TwilioMessage("SMreport"));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("HELP");
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the reply is sent");

        async Task Report(string status)
        {
            var fields = new Dictionary<string, string> { ["MessageSid"] = "SMreport", ["MessageStatus"] = status, ["AccountSid"] = "ACtest" };
            using var response = await phone.PostTwilioAsync(fields, path: "/webhooks/sms/twilio/status");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Report("delivered");
        await Report("sent");
        await Report("queued");
        Assert.Equal(OutboxStatus.Delivered, (await OnlyMessageAsync(phone)).Status);
        await Report("read");
        Assert.Equal(OutboxStatus.Read, (await OnlyMessageAsync(phone)).Status);

        using var unsigned = await phone.PostTwilioAsync(new Dictionary<string, string> { ["MessageSid"] = "SMreport", ["MessageStatus"] = "failed" }, signature: "forged", path: "/webhooks/sms/twilio/status");
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
    }

    [Fact]
    public async Task AfricasTalkingDeliveryReportsUpdateTheMessage()
    {
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody(AfricasTalkingAnswer(101, "Success", "ATXid_dr")));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendViaAfricasTalkingAsync("HELP");
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the reply is sent");

        using var client = app.CreateClient();
        foreach (var (status, reason) in new[] { ("Failed", "DeliveryFailure"), ("Buffered", "") })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "ATXid_dr", ["status"] = status, ["failureReason"] = reason, ["phoneNumber"] = phone.Phone });
            using var response = await client.PostAsync("/webhooks/sms/africastalking/delivery", form, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var message = await OnlyMessageAsync(phone);
        Assert.Equal(OutboxStatus.Failed, message.Status);
        Assert.Equal("africastalking: DeliveryFailure", message.Error);
    }

    [Fact]
    public async Task AProvidersErrorNamingThePhoneNumberIsStoredAndShownMasked()
    {
        await using var app = App();
        var phone = app.Sms();
        // Twilio's real answer to a number it will not take: the number in its message, in clear.
        Twilio(400, $$"""{"code":21211,"message":"The 'To' number {{phone.Phone}} is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}""");
        await phone.SendAsync("HELP");

        await WhenAsync(phone, m => m.Status == OutboxStatus.Failed, "the message fails");
        var error = (await OnlyMessageAsync(phone)).Error;
        Assert.Contains("error 21211", error, StringComparison.Ordinal);
        Assert.Contains($"The 'To' number {PhoneNumber.Mask(phone.Phone)} is not a valid phone number.", error, StringComparison.Ordinal);

        var (exit, tail, errors) = await CommandLineTests.RunAsync(Environment(app, "Development"), "messages", "tail");
        Assert.True(exit == 0, errors);
        Assert.Contains("is not a valid phone number", tail, StringComparison.Ordinal);
        var content = await DatabaseTextAsync(app);
        foreach (var clear in new[] { phone.Phone, phone.Phone[4..] })
        {
            Assert.DoesNotContain(clear, content, StringComparison.Ordinal);
            Assert.DoesNotContain(clear, tail, StringComparison.Ordinal);
            Assert.DoesNotContain(clear, string.Join('\n', app.Logs), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnAnswerThatCannotBeReadAfterTheProviderAcceptedIsRecordedAndNotSentAgain()
    {
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json; charset=bogus").WithBody(AfricasTalkingAnswer(101, "Success", "ATXid_bogus")));
        await using var app = App(webhookSecret: "at-secret");
        var phone = app.Sms();
        phone.Query = "?secret=at-secret";
        await phone.SendViaAfricasTalkingAsync("HELP");

        await WhenAsync(phone, m => m.Status != OutboxStatus.Pending && m.Status != OutboxStatus.Sending, "the send's outcome is recorded");
        var message = await OnlyMessageAsync(phone);
        Assert.Equal((OutboxStatus.Sent, 1), (message.Status, message.Attempts));
        Assert.Contains("could not be read", message.Error, StringComparison.Ordinal);
        // Leases and retry delays come and go: the provider took it once, it is not sent again.
        Assert.Equal(1, Requests(AfricasTalkingPath));
        await NotSentAgainAsync(app, phone, () => phone.SendViaAfricasTalkingAsync("HELP"), AfricasTalkingPath);
    }

    [Fact]
    public async Task ASenderThatThrowsHasItsOutcomeRecordedAndTheMessageIsNotSentAgain()
    {
        // A refusal whose text cannot be decoded: the sender throws while reading it.
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "text/plain; charset=bogus").WithBody("Invalid phone number"));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendViaAfricasTalkingAsync("HELP");

        await WhenAsync(phone, m => m.Status != OutboxStatus.Pending && m.Status != OutboxStatus.Sending, "the send's outcome is recorded");
        var message = await OnlyMessageAsync(phone);
        Assert.Equal((OutboxStatus.Failed, 1), (message.Status, message.Attempts));
        Assert.Contains("InvalidOperationException", message.Error, StringComparison.Ordinal);
        Assert.Equal(1, Requests(AfricasTalkingPath));
        await NotSentAgainAsync(app, phone, () => phone.SendViaAfricasTalkingAsync("HELP"), AfricasTalkingPath);
    }

    [Fact]
    public async Task ATwilioAcceptanceThatCannotBeReadIsRecordedAsSentNotFailed()
    {
        Twilio(201, """{"sid":"SMcut","status":""");
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("HELP");

        await WhenAsync(phone, m => m.Status != OutboxStatus.Pending && m.Status != OutboxStatus.Sending, "the send's outcome is recorded");
        var message = await OnlyMessageAsync(phone);
        Assert.Equal(OutboxStatus.Sent, message.Status);
        Assert.Contains("could not be read", message.Error, StringComparison.Ordinal);
        Assert.Equal(1, Requests(TwilioPath));
        await NotSentAgainAsync(app, phone, () => phone.SendAsync("HELP"), TwilioPath);
    }

    [Fact]
    public async Task AMessageReclaimedAfterItsLeaseRanOutCountsAgainstMaxAttempts()
    {
        Twilio(201, TwilioMessage("SMtoomany"));
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?>
        {
            ["Channels:Twilio:AccountSid"] = "ACtest", ["Channels:Twilio:FromNumber"] = "+15005550006", ["Channels:Twilio:ApiBaseUrl"] = _provider.Url,
            ["Outbox:MaxAttempts"] = "3",
        });
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            // Claimed three times by dispatchers that never recorded an outcome (each may have sent it).
            db.Outbox.Add(new OutboxMessage
            {
                PersonId = person.Id, Channel = Channel.Sms, Provider = "twilio", ToSealed = person.AddressSealed, BodySealed = protector.Seal("Asante"),
                Parts = 1, Status = OutboxStatus.Sending, Attempts = 3, LockedUntil = now.AddSeconds(-1), NextAttemptAt = now.AddMinutes(-5), CreatedAt = now,
            });
            return await db.SaveChangesAsync(Ct);
        });

        await WhenAsync(phone, m => m.Status != OutboxStatus.Sending, "the message is taken up again");
        var message = await OnlyMessageAsync(phone);
        Assert.Equal(OutboxStatus.Failed, message.Status);
        Assert.StartsWith("gave up after 3 attempts", message.Error, StringComparison.Ordinal);
        Assert.Equal(0, Requests(TwilioPath));
    }

    [Fact]
    public async Task AHungProviderDoesNotHoldUpTheOthers()
    {
        const string token = "123456:test-token";
        using var telegram = WireMockServer.Start();
        telegram.Given(Request.Create().WithPath($"/bot{token}/sendMessage").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"ok":true,"result":{"message_id":42,"date":1764316800,"chat":{"id":1,"type":"private"},"text":"ok"}}"""));
        // Twilio hangs longer than the test waits for Telegram's reply.
        _provider.Given(Request.Create().WithPath(TwilioPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(TwilioMessage("SMhung"))
                .WithDelay(TimeSpan.FromSeconds(12)));
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?>
        {
            ["Channels:Twilio:AccountSid"] = "ACtest", ["Channels:Twilio:FromNumber"] = "+15005550006", ["Channels:Twilio:ApiBaseUrl"] = _provider.Url,
            ["Channels:Telegram:BotToken"] = token, ["Channels:Telegram:ApiBaseUrl"] = telegram.Url,
        });
        var phone = app.Sms();
        await phone.SendAsync("HELP");
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sending, "the SMS reply is with Twilio");

        Assert.NotNull(await app.Telegram().SendAsync("/start"));
        await JukwaaApp.EventuallyAsync(() => Task.FromResult(telegram.LogEntries.Any()), "Telegram is given the reply");
        Assert.Empty(_provider.LogEntries);    // Twilio has still not answered
        Assert.Equal(OutboxStatus.Sending, (await OnlyMessageAsync(phone)).Status);
    }

    [Fact]
    public async Task NoMessageIsClaimedBeforeItCanStart()
    {
        _provider.Given(Request.Create().WithPath(TwilioPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(TwilioMessage("SMslow"))
                .WithDelay(TimeSpan.FromMilliseconds(400)));
        var held = new HeldClaims();
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?>
        {
            ["Channels:Twilio:AccountSid"] = "ACtest", ["Channels:Twilio:FromNumber"] = "+15005550006", ["Channels:Twilio:ApiBaseUrl"] = _provider.Url,
            ["Outbox:MaxParallelSends"] = "2",
        }, services: services => services.AddScoped<IOutboxStore>(sp => new CountingOutboxStore(ActivatorUtilities.CreateInstance<EfOutboxStore>(sp), held)));
        var phones = Enumerable.Range(0, 8).Select(_ => app.Sms()).ToList();
        foreach (var phone in phones) await phone.SendAsync("HELP");

        // A message under a lease is one being sent: never more claimed and not yet recorded than can be in flight at once.
        await JukwaaApp.EventuallyAsync(async () => (await app.QueryAsync(db => db.Outbox.Select(o => o.Status).ToListAsync(Ct))).All(s => s == OutboxStatus.Sent), "every reply is sent");
        var mostHeld = held.Most;
        Assert.InRange(mostHeld, 1, 2);
        Assert.Equal(8, Requests(TwilioPath));
    }

    [Fact]
    public async Task AfricasTalkingsAnswerWithoutAStatusCodeIsReadByItsStatus()
    {
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("""{"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[{"status":"Success","messageId":"ATXid_nocode"}]}}"""));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendViaAfricasTalkingAsync("HELP");

        await WhenAsync(phone, m => m.Status != OutboxStatus.Pending && m.Status != OutboxStatus.Sending, "the send's outcome is recorded");
        var message = await OnlyMessageAsync(phone);
        Assert.Equal((OutboxStatus.Sent, "ATXid_nocode", (string?)null), (message.Status, message.ProviderMessageId, message.Error));
    }

    [Fact]
    public async Task ATwilioStatusCallbackWithError21610StopsThePerson()
    {
        Twilio(201, TwilioMessage("SMoptout"));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendAsync("HELP");
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the reply is sent");

        var fields = new Dictionary<string, string> { ["MessageSid"] = "SMoptout", ["MessageStatus"] = "undelivered", ["ErrorCode"] = "21610", ["AccountSid"] = "ACtest" };
        using var response = await phone.PostTwilioAsync(fields, path: "/webhooks/sms/twilio/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OutboxStatus.Undelivered, (await OnlyMessageAsync(phone)).Status);
        Assert.NotNull(await app.QueryAsync(db => db.People.Select(p => p.SmsStoppedAt).SingleAsync(Ct)));
        Assert.Null(await phone.SendAsync("HELP"));
    }

    [Fact]
    public async Task InProductionAMessageForAProviderThatIsNotConfiguredWaitsAndSaysWhatToSet()
    {
        await using var app = new JukwaaApp(webhookSecret: "at-secret", environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Database:MigrateOnStart"] = "true",
            // The usual USSD-only set-up: no Africa's Talking SMS account.
            ["Channels:AfricasTalking:Username"] = "",
            ["Channels:AfricasTalking:ApiKey"] = "",
        });
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            // A status message for a USSD reporter: Africa's Talking's SMS API is not configured here.
            db.Outbox.Add(OutboxMessage.Pending(person.Id, Channel.Sms, "africastalking", person.AddressSealed, protector.Seal("Your report was reviewed"), 1, now));
            return await db.SaveChangesAsync(Ct);
        });

        app.Clock.Advance(TimeSpan.FromMinutes(1));   // the next look at waiting messages (Outbox:MaxProviderPause)
        await WhenAsync(phone, m => m.Error is not null, "the message is looked at");
        var waiting = await OnlyMessageAsync(phone);
        Assert.Equal((OutboxStatus.Pending, 0, "africastalking"), (waiting.Status, waiting.Attempts, waiting.Provider));
        Assert.Contains("Channels:AfricasTalking", waiting.Error, StringComparison.Ordinal);

        // Written once: at the next looks a message queued since gets its error, the first is not written again.
        for (var look = 0; look < 2; look++)
        {
            var later = await app.QueryAsync(async db =>
            {
                var message = OutboxMessage.Pending(person.Id, Channel.Sms, "africastalking", person.AddressSealed, protector.Seal("Your report was closed"), 1, now);
                db.Outbox.Add(message);
                await db.SaveChangesAsync(Ct);
                return message.Id;
            });
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync()).Single(m => m.Id == later).Error is not null, "the later message is looked at");
            var first = (await phone.OutboxAsync())[0];
            Assert.Equal((waiting.Version, waiting.Attempts, OutboxStatus.Pending), (first.Version, first.Attempts, first.Status));
        }

        var (exit, tail, errors) = await CommandLineTests.RunAsync(Environment(app, "Production"), "messages", "tail");
        Assert.True(exit == 0, errors);
        Assert.Contains("africastalking pending", tail, StringComparison.Ordinal);
        Assert.Contains("Channels:AfricasTalking", tail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageWaitingForAnUnconfiguredProviderLongerThanTheRetentionIsFailedAndItsBodyBlanked()
    {
        await using var app = new JukwaaApp(webhookSecret: "at-secret", environment: "Production", settings: new Dictionary<string, string?>
        {
            ["Database:MigrateOnStart"] = "true",
            ["Channels:AfricasTalking:Username"] = "",
            ["Channels:AfricasTalking:ApiKey"] = "",
            ["Retention:Interval"] = "01:00:00",
        });
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            db.Outbox.Add(OutboxMessage.Pending(person.Id, Channel.Sms, "africastalking", person.AddressSealed, protector.Seal("Your report was reviewed"), 1, now));
            return await db.SaveChangesAsync(Ct);
        });
        app.Clock.Advance(TimeSpan.FromDays(91));   // Retention:MessageBodies is 90 days

        // The retention worker passes once an hour of the clock; move the clock on until its next pass has run.
        await JukwaaApp.EventuallyAsync(async () =>
        {
            if ((await OnlyMessageAsync(phone)).Status == OutboxStatus.Failed) return true;
            app.Clock.Advance(TimeSpan.FromHours(1));
            return false;
        }, "the waiting message expires");
        var expired = await OnlyMessageAsync(phone);
        Assert.StartsWith("expired unsent", expired.Error, StringComparison.Ordinal);
        Assert.Equal("", expired.BodySealed);
        Assert.NotNull(expired.StatusAt);
    }

    [Fact]
    public async Task OneOutageWithEverySendInFlightPausesTheProviderForTheFirstStepNotTheLongest()
    {
        _provider.Given(Request.Create().WithPath(TwilioPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "application/json").WithBody(TwilioError(20503, 503))
                .WithDelay(TimeSpan.FromMilliseconds(300)));
        await using var app = App();
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            // Eight replies queued together: claimed together, all in flight when the provider fails.
            for (var i = 0; i < 8; i++)
            {
                db.Outbox.Add(OutboxMessage.Pending(person.Id, Channel.Sms, "twilio", person.AddressSealed, protector.Seal("Asante " + i), 1, now));
            }
            return await db.SaveChangesAsync(Ct);
        });
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync()).All(m => m is { Attempts: 1, Status: OutboxStatus.Pending }), "the eight failures are recorded");
        Assert.Equal(8, Requests(TwilioPath));

        // One outage, one step: the provider is probed after the first pause (2 s), not after the longest (1 minute).
        app.Clock.Advance(TimeSpan.FromSeconds(3));
        await JukwaaApp.EventuallyAsync(() => Task.FromResult(Requests(TwilioPath) == 9), "the provider is probed after the first pause");
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync()).Count(m => m.Attempts == 2 && m.Status == OutboxStatus.Pending) == 1, "the probe's failure is recorded");
        Assert.Equal(9, Requests(TwilioPath));
    }

    [Fact]
    public async Task ASendFailingDuringTheProbeDoesNotLetASecondProbeStart()
    {
        string slow = JukwaaApp.RandomPhone(), probed = JukwaaApp.RandomPhone();
        IRequestBuilder To(string phone) => Request.Create().WithPath(TwilioPath).UsingPost().WithBody(new WildcardMatcher("*" + phone[1..] + "*"));
        // One send is slow to fail; another fails at once, then, as the probe, hangs before it is accepted.
        _provider.Given(To(slow)).RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "application/json").WithBody(TwilioError(20503, 503))
            .WithDelay(TimeSpan.FromMilliseconds(1500)));
        _provider.Given(To(probed)).InScenario("probe").WillSetStateTo("probing")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "application/json").WithBody(TwilioError(20503, 503)));
        _provider.Given(To(probed)).InScenario("probe").WhenStateIs("probing").WillSetStateTo("probing")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(TwilioMessage("SMprobe"))
                .WithDelay(TimeSpan.FromMilliseconds(4000)));
        await using var app = App();
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            db.Outbox.Add(OutboxMessage.Pending(person.Id, Channel.Sms, "twilio", protector.Seal(slow), protector.Seal("Asante"), 1, now));
            db.Outbox.Add(OutboxMessage.Pending(person.Id, Channel.Sms, "twilio", protector.Seal(probed), protector.Seal("Asante"), 1, now));
            return await db.SaveChangesAsync(Ct);
        });
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync())[1] is { Attempts: 1, Status: OutboxStatus.Pending }, "the fast failure is recorded");

        app.Clock.Advance(TimeSpan.FromSeconds(3));    // the first pause is over: one probe
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync())[1] is { Attempts: 2, Status: OutboxStatus.Sending }, "the probe is claimed");
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync())[0] is { Attempts: 1, Status: OutboxStatus.Pending }, "the slow failure is recorded");
        app.Clock.Advance(TimeSpan.FromSeconds(5));    // past any pause that slow failure could have set

        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync())[1].Status == OutboxStatus.Sent, "the probe is accepted");
        // WireMock logs a request when it has answered it: wait for the slow message's second try to be answered.
        await JukwaaApp.EventuallyAsync(() => Task.FromResult(Requests(TwilioPath) == 4), "the slow message is tried again");
        var probe = _provider.LogEntries.Single(e => e.ResponseMessage.StatusCode is 201).RequestMessage.DateTime;
        // Nothing else was sent while the probe was with the provider (it answered after 4 s).
        Assert.DoesNotContain(_provider.LogEntries, e => e.RequestMessage.DateTime > probe && e.RequestMessage.DateTime < probe.AddSeconds(3));
    }

    [Fact]
    public async Task AnAfricasTalkingDeliveryReportSayingUserInBlacklistStopsThePerson()
    {
        _provider.Given(Request.Create().WithPath(AfricasTalkingPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody(AfricasTalkingAnswer(101, "Success", "ATXid_blocked")));
        await using var app = App();
        var phone = app.Sms();
        await phone.SendViaAfricasTalkingAsync("HELP");
        await WhenAsync(phone, m => m.Status == OutboxStatus.Sent, "the reply is sent");
        Assert.Null(await app.QueryAsync(db => db.People.Select(p => p.SmsStoppedAt).SingleAsync(Ct)));

        using var client = app.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = "ATXid_blocked", ["status"] = "Rejected", ["failureReason"] = "UserInBlacklist", ["phoneNumber"] = phone.Phone,
        });
        using var response = await client.PostAsync("/webhooks/sms/africastalking/delivery", form, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("africastalking: UserInBlacklist", (await OnlyMessageAsync(phone)).Error);
        Assert.NotNull(await app.QueryAsync(db => db.People.Select(p => p.SmsStoppedAt).SingleAsync(Ct)));
        Assert.Null(await phone.SendViaAfricasTalkingAsync("HELP"));
    }

    [Fact]
    public async Task MessagesTailMasksNumbersInErrorsStoredBeforeRedaction()
    {
        await using var app = App();
        var phone = app.Sms();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        var person = new Person { AddressHash = protector.Hash("tel:" + phone.Phone), AddressSealed = protector.Seal(phone.Phone), CreatedAt = now };
        await app.QueryAsync(async db =>
        {
            db.People.Add(person);
            // Rows an earlier version stored with the provider's text as it came.
            var failed = OutboxMessage.Pending(person.Id, Channel.Sms, "twilio", person.AddressSealed, protector.Seal("Asante"), 1, now);
            failed.Status = OutboxStatus.Failed;
            failed.Error = $"twilio HTTP 400 error 21211: The 'To' number {phone.Phone} is not a valid phone number.";
            var encoded = OutboxMessage.Pending(person.Id, Channel.Sms, "twilio", person.AddressSealed, protector.Seal("Asante"), 1, now);
            encoded.Status = OutboxStatus.Failed;
            encoded.Error = $"twilio HTTP 400: To=%2B{phone.Phone[1..]}";
            db.Outbox.AddRange(failed, encoded);
            return await db.SaveChangesAsync(Ct);
        });

        var (exit, tail, errors) = await CommandLineTests.RunAsync(Environment(app, "Development"), "messages", "tail");
        Assert.True(exit == 0, errors);
        Assert.Contains($"The 'To' number {PhoneNumber.Mask(phone.Phone)} is not a valid phone number.", tail, StringComparison.Ordinal);
        Assert.Contains("error 21211", tail, StringComparison.Ordinal);
        Assert.DoesNotContain(phone.Phone[4..], tail, StringComparison.Ordinal);
    }

    /// <summary>How many messages are claimed and not yet recorded, counted at every claim: the most there ever were.</summary>
    private sealed class HeldClaims
    {
        private int _held;
        private int _most;

        public int Most => Volatile.Read(ref _most);

        public void Claimed(int count)
        {
            var held = Interlocked.Add(ref _held, count);
            int most;
            while (held > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, held, most) != most) { }
        }

        public void Recorded() => Interlocked.Decrement(ref _held);
    }

    /// <summary>The host's outbox store, watched: every claim and every recorded outcome is counted.</summary>
    private sealed class CountingOutboxStore(IOutboxStore inner, HeldClaims held) : IOutboxStore
    {
        public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(
            DateTime now, TimeSpan lease, int max, string? provider, IReadOnlyCollection<string> otherThan, CancellationToken cancellationToken)
        {
            var claimed = await inner.ClaimDueAsync(now, lease, max, provider, otherThan, cancellationToken);
            held.Claimed(claimed.Count);
            return claimed;
        }

        public async Task RecordAsync(OutboxMessage claimed, DateTime now, CancellationToken cancellationToken)
        {
            await inner.RecordAsync(claimed, now, cancellationToken);
            held.Recorded();
        }

        public Task<IReadOnlyList<string>> WaitingProvidersAsync(IReadOnlyCollection<string> otherThan, DateTime now, CancellationToken cancellationToken) =>
            inner.WaitingProvidersAsync(otherThan, now, cancellationToken);

        public Task<int> MarkWaitingAsync(string provider, string reason, DateTime now, CancellationToken cancellationToken) =>
            inner.MarkWaitingAsync(provider, reason, now, cancellationToken);

        public Task ReleaseRetriesAsync(string provider, DateTime now, CancellationToken cancellationToken) => inner.ReleaseRetriesAsync(provider, now, cancellationToken);

        public Task MarkStoppedAsync(Guid personId, Channel channel, DateTime now, CancellationToken cancellationToken) => inner.MarkStoppedAsync(personId, channel, now, cancellationToken);

        public Task<bool> ApplyDeliveryReportAsync(
            string provider, string providerMessageId, OutboxStatus status, string? reason, bool optedOut, DateTime now, CancellationToken cancellationToken) =>
            inner.ApplyDeliveryReportAsync(provider, providerMessageId, status, reason, optedOut, now, cancellationToken);
    }

    /// <summary>The host's settings as environment variables, for a verb run against its database.</summary>
    private static Dictionary<string, string> Environment(JukwaaApp app, string environment)
    {
        var variables = app.Settings.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        variables["ASPNETCORE_ENVIRONMENT"] = environment;
        return variables;
    }

    private static async Task<string> DatabaseTextAsync(JukwaaApp app)
    {
        var bytes = new List<byte>();
        foreach (var file in new[] { app.DatabaseFile, app.DatabaseFile + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, Ct);
            bytes.AddRange(memory.ToArray());
        }
        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }

    public void Dispose() => _provider.Dispose();
}
