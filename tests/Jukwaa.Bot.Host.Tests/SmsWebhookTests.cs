using System.Net;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

public class SmsWebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASignedTwilioMessageIsAnsweredWithEmptyTwimlAndTheReplyQueued()
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        var reply = await phone.SendAsync("Habari");
        Assert.StartsWith("Jukwaa la Usalama. Choose language / Chagua lugha\n1. English\n2. Kiswahili", reply, StringComparison.Ordinal);
        var queued = Assert.Single(await phone.OutboxAsync());
        Assert.Equal(Channel.Sms, queued.Channel);
        Assert.Equal(1, queued.Parts);
        Assert.Equal(phone.Phone, app.Service<PersonalDataProtector>().Unseal(queued.ToSealed));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong token")]
    [InlineData("tampered body")]
    [InlineData("other url")]
    public async Task AMissingOrWrongTwilioSignatureIsForbiddenAndStoresNothing(string problem)
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        var fields = phone.TwilioFields("REPORT gang at the stage");
        var signature = problem switch
        {
            "missing" => "",
            "wrong token" => SmsPhone.Sign("http://localhost/webhooks/sms/twilio", fields, "not-the-token"),
            "other url" => SmsPhone.Sign("http://localhost/webhooks/sms/twilio/status", fields, JukwaaApp.TwilioAuthToken),
            _ => SmsPhone.Sign("http://localhost/webhooks/sms/twilio", fields, JukwaaApp.TwilioAuthToken),
        };
        if (problem == "tampered body") fields["Body"] = "REPORT something else";

        using var response = await phone.PostTwilioAsync(fields, signature);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.People.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.Messages.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.Outbox.CountAsync(Ct)));
    }

    [Fact]
    public async Task BehindAProxyTheSignatureIsCheckedAgainstThePublicUrl()
    {
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Channels:Twilio:PublicBaseUrl"] = "https://jukwaa.example.org" });
        var phone = app.Sms();
        var fields = phone.TwilioFields("HELP");
        using (var local = await phone.PostTwilioAsync(fields))
        {
            Assert.Equal(HttpStatusCode.Forbidden, local.StatusCode);
        }
        using var proxied = await phone.PostTwilioAsync(fields, signedBase: "https://jukwaa.example.org");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }

    [Fact]
    public async Task TheSameMessageSidTwiceIsAcknowledgedTwiceAndProcessedOnce()
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        Assert.NotNull(await phone.SendAsync("HELP", messageSid: "SM0001"));
        Assert.Null(await phone.SendAsync("HELP", messageSid: "SM0001"));
        Assert.Equal(1, await app.QueryAsync(db => db.Messages.CountAsync(m => m.Direction == Direction.Inbound, Ct)));
    }

    [Fact]
    public async Task TheSameMessageSidDeliveredEightTimesAtOnceIsProcessedOnce()
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        var fields = phone.TwilioFields("RIPOTI wizi wa mifugo", "SM0042");
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await phone.PostTwilioAsync(fields);
            return response.StatusCode;
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, await app.QueryAsync(db => db.Messages.CountAsync(m => m.Direction == Direction.Inbound, Ct)));
        Assert.Single(await phone.OutboxAsync());
    }

    [Fact]
    public async Task AnAfricasTalkingMessageNeedsTheSecretAndIsDedupedById()
    {
        await using var app = new JukwaaApp(webhookSecret: "at-secret");
        var phone = app.Sms();
        using (var client = app.CreateClient())
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["from"] = phone.Phone, ["text"] = "HELP", ["id"] = "ATXid_1" }))
        using (var refused = await client.PostAsync("/webhooks/sms/africastalking?secret=nope", form, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        phone.Query = "?secret=at-secret";
        Assert.StartsWith("Jukwaa la Usalama: send REPORT", await phone.SendViaAfricasTalkingAsync("HELP", "ATXid_1"), StringComparison.Ordinal);
        Assert.Null(await phone.SendViaAfricasTalkingAsync("HELP", "ATXid_1"));
        Assert.Single(await phone.OutboxAsync());
        // Africa's Talking has no API key here, so the local sender takes the reply.
        await JukwaaApp.EventuallyAsync(async () => (await phone.OutboxAsync())[0].Status == OutboxStatus.Sent, "the reply is sent");
        Assert.Equal("local", (await phone.OutboxAsync())[0].Provider);
    }

    [Theory]
    [InlineData("/webhooks/sms/twilio", "Body")]
    [InlineData("/webhooks/sms/africastalking", "text")]
    public async Task AnInboundSmsWithoutASenderIsRefusedWith400(string route, string textField)
    {
        await using var app = new JukwaaApp();
        var fields = new Dictionary<string, string> { [textField] = "HELP", ["MessageSid"] = "SM1", ["id"] = "AT1" };
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", SmsPhone.Sign("http://localhost" + route, fields, JukwaaApp.TwilioAuthToken));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from", (await response.Content.ReadAsStringAsync(Ct)).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePhoneIsTheSamePersonOnUssdAndSms()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        await call.DialAsync();
        await call.SendAsync("2");        // Kiswahili
        await call.SendAsync("1");        // Ripoti tukio
        await call.SendAsync("2");
        await call.SendAsync("Kisumu");
        await call.SendAsync("1");
        await call.SendAsync("Kondele");
        await call.SendAsync("Genge la vijana");
        await call.SendAsync("1");
        var done = await call.SendAsync("1");
        var reference = System.Text.RegularExpressions.Regex.Match(done, @"\d{3} \d{3} \d{3}").Value;

        var phone = app.Sms(call.Phone);
        Assert.StartsWith("Jukwaa la Usalama\n1. Ripoti tukio", await phone.SendAsync("habari"), StringComparison.Ordinal);
        Assert.StartsWith($"Ripoti {reference}: Imepokelewa.", await phone.SendAsync("STATUS " + reference), StringComparison.Ordinal);
        Assert.Equal(1, await app.QueryAsync(db => db.People.CountAsync(Ct)));
    }

    [Fact]
    public async Task AnSmsConversationIdleForADayStartsAfreshWithANote()
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        await phone.SendAsync("hi");
        await phone.SendAsync("1");
        Assert.Contains("What is it about?", await phone.SendAsync("1"), StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Contains("Which county?", await phone.SendAsync("2"), StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var fresh = await phone.SendAsync("Kisumu");
        Assert.StartsWith("Your last conversation timed out, so we start again.\nJukwaa la Usalama\n1. Report an incident", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFloodFromOneNumberIsThrottledPolitelyNeverWithAnError()
    {
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Conversations:ThrottleLimit"] = "5" });
        var phone = app.Sms();
        var replies = new List<string?>();
        for (var i = 0; i < 9; i++) replies.Add(await phone.SendAsync("hi " + i));

        Assert.All(replies.Take(5), r => Assert.NotNull(r));
        Assert.Equal("You are sending messages too fast. Please wait a minute and try again.", replies[5]);
        Assert.All(replies.Skip(6), r => Assert.Null(r));
        Assert.Equal(9, await app.QueryAsync(db => db.Messages.CountAsync(m => m.Direction == Direction.Inbound, Ct)));
        Assert.NotNull(await app.Sms().SendAsync("hi from someone else"));
    }

    [Fact]
    public async Task AStoppedNumberGetsNothingUntilStart()
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        Assert.StartsWith("You will get no more messages", await phone.SendAsync("stop"), StringComparison.Ordinal);
        Assert.Null(await phone.SendAsync("HELP"));
        Assert.Null(await phone.SendAsync("1"));
        Assert.StartsWith("Welcome back", await phone.SendAsync("START"), StringComparison.Ordinal);
        Assert.NotNull(await phone.SendAsync("HELP"));
    }
}
