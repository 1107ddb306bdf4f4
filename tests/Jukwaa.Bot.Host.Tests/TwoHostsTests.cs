using System.Net;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// Two hosts on one database at once, as behind a load balancer: on PostgreSQL (the engine for more than
/// one machine) when a server is configured, and on one SQLite file, which must stay correct too.
/// </summary>
public sealed class TwoHostsTests : IDisposable
{
    private const string TwilioPath = "/2010-04-01/Accounts/ACtest/Messages.json";
    private readonly WireMockServer _provider = WireMockServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task AUssdSessionSteppedThroughBothHostsStaysConsistent(string provider)
    {
        await using var a = new JukwaaApp(provider: provider);
        using var callA = a.Call();
        await callA.DialAsync();
        await using var b = a.Twin();
        using var callB = b.Call(callA.Phone);
        var steps = new[] { "1", "1", "2", "Nakuru", "1", "Stage", "Gang at night", "2" };
        var text = "";
        for (var i = 0; i < steps.Length; i++)
        {
            text = text.Length == 0 ? steps[i] : text + "*" + steps[i];
            var host = i % 2 == 0 ? callB : callA;
            await SameSessionAsync(host, callA.SessionId, text);
        }
        var done = await SameSessionAsync(callA, callA.SessionId, text + "*1");
        Assert.StartsWith("END Thank you, your report is saved.", done, StringComparison.Ordinal);
        var conversation = await b.QueryAsync(db => db.Conversations.SingleAsync(Ct));
        Assert.Equal((10, "done", true), (conversation.Steps, conversation.State, conversation.Ended));
        Assert.Equal(1, await b.QueryAsync(db => db.Reports.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task TheSameMessageDeliveredToBothHostsAtOnceIsProcessedOnce(string provider)
    {
        await using var a = new JukwaaApp(provider: provider);
        var phoneA = a.Sms();
        Assert.NotNull(await phoneA.SendAsync("HELP"));   // both hosts start on a migrated database
        await using var b = a.Twin();
        var phoneB = b.Sms(phoneA.Phone);
        var fields = phoneA.TwilioFields("RIPOTI genge sokoni", "SMtwin");
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? phoneA : phoneB).PostTwilioAsync(fields);
            return response.StatusCode;
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, await a.QueryAsync(db => db.Messages.CountAsync(m => m.ProviderMessageId == "twilio:SMtwin", Ct)));
        Assert.Equal(2, (await phoneA.OutboxAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task BothHostsDrainTheOutboxAndNoMessageIsSentTwice(string provider)
    {
        _provider.Given(Request.Create().WithPath(TwilioPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("""{"sid":"SMx","status":"queued","account_sid":"ACtest"}""").WithDelay(TimeSpan.FromMilliseconds(20)));
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Twilio:AccountSid"] = "ACtest", ["Channels:Twilio:FromNumber"] = "+15005550006", ["Channels:Twilio:ApiBaseUrl"] = _provider.Url,
        };
        await using var a = new JukwaaApp(provider: provider, settings: settings);
        var phones = Enumerable.Range(0, 30).Select(_ => a.Sms()).ToList();
        await phones[0].SendAsync("HELP");
        await using var b = a.Twin();
        await Task.WhenAll(phones.Skip(1).Select((phone, i) => (i % 2 == 0 ? phone : b.Sms(phone.Phone)).SendAsync("HELP")));

        await JukwaaApp.EventuallyAsync(async () => await a.QueryAsync(db => db.Outbox.CountAsync(o => o.Status != OutboxStatus.Sent, Ct)) == 0,
            "both hosts have sent everything");
        var recipients = _provider.LogEntries.Select(e => System.Web.HttpUtility.ParseQueryString(e.RequestMessage.Body!)["To"]).ToList();
        Assert.Equal(30, recipients.Count);
        Assert.Equal(30, recipients.Distinct().Count());
    }

    private static async Task<string> SameSessionAsync(UssdCall host, string sessionId, string text)
    {
        var fields = host.Fields(text);
        fields["sessionId"] = sessionId;
        using var response = await host.PostAsync(fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public void Dispose() => _provider.Dispose();
}
