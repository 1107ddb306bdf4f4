using System.Net;
using System.Text;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

public class UssdWebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A returning English caller at the "Where did it happen?" question.</summary>
    private static async Task<UssdCall> AtPlaceQuestionAsync(JukwaaApp app, string? phone = null)
    {
        var call = app.Call(phone);
        await call.DialAsync();
        await call.SendAsync("1");     // English
        await call.SendAsync("1");     // Report an incident
        await call.SendAsync("2");     // Organised gangs
        await call.SendAsync("Nakuru");
        var place = await call.SendAsync("1");
        Assert.Contains("Where did it happen?", place, StringComparison.Ordinal);
        return call;
    }

    [Theory]
    [InlineData("sessionId")]
    [InlineData("serviceCode")]
    [InlineData("phoneNumber")]
    [InlineData("text")]
    public async Task AMissingFieldIsRefusedWith400NamingIt(string field)
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        var fields = call.Fields("");
        fields.Remove(field);
        using var response = await call.PostAsync(fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.Conversations.CountAsync(Ct)));
    }

    [Fact]
    public async Task AnythingButAFormIsRefusedWith400()
    {
        await using var app = new JukwaaApp();
        using var client = app.CreateClient();
        using var json = new StringContent("{\"sessionId\":\"x\"}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(UssdCall.Route, json, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANumberThatIsNotAPhoneIsRefusedWith400()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call("not-a-number");
        using var response = await call.PostAsync(call.Fields(""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("phoneNumber", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenKilobytesOfTextEndsThePoliteWayAndStoresNothing()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        var reply = await call.StepAsync(new string('1', 10 * 1024));
        Assert.StartsWith("END Too much was typed in one session. Please dial again.", reply, StringComparison.Ordinal);
        Assert.Contains("Tafadhali piga tena", reply, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.Conversations.CountAsync(Ct)));
    }

    [Fact]
    public async Task TextThatDoesNotExtendTheSessionRestartsTheMenuPolitely()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        var reply = await call.StepAsync("9*9");
        Assert.StartsWith("CON Sorry, we lost your place. Starting again.", reply, StringComparison.Ordinal);
        Assert.Contains("1. Report an incident", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownSessionThatAlreadyHasTextStartsOverPolitely()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        var reply = await call.StepAsync("1*2*3");
        Assert.StartsWith("CON Sorry, we lost your place. Starting again.", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoubleZeroReturnsToTheMainMenuFromAnywhere()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        var reply = await call.SendAsync("00");
        Assert.StartsWith("CON Jukwaa la Usalama\n1. Report an incident", reply, StringComparison.Ordinal);
        Assert.StartsWith("CON What is it about?", await call.SendAsync("1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLongADescriptionIsRefusedWithItsLengthAndAskedAgain()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        await call.SendAsync("Stage");
        var reply = await call.SendAsync(new string('a', 320));
        Assert.StartsWith("CON Too long: 320 characters. Please use at most 300.\nWhat happened?", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreeTextWithStarsAndHashesIsStoredIntactAndEncrypted()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        await call.SendAsync("Plot *12 #B");
        await call.SendAsync("He said *call 999# then left");
        await call.SendAsync("2");
        var done = await call.SendAsync("1");
        Assert.StartsWith("END Thank you", done, StringComparison.Ordinal);

        var report = await app.QueryAsync(db => db.Reports.SingleAsync(Ct));
        var protector = app.Service<PersonalDataProtector>();
        Assert.Equal("Plot *12 #B", protector.Unseal(report.PlaceSealed));
        Assert.Equal("He said *call 999# then left", protector.Unseal(report.DetailsSealed));
        Assert.Contains(ReferenceNumber.Format(report.Reference), done, StringComparison.Ordinal);
        Assert.Equal(ReferenceValidity.Valid, ReferenceNumber.Check(report.Reference).Validity);
        Assert.Equal(("gangs", "032", false, Channel.Ussd), (report.Category, report.CountyCode, report.Anonymous, report.Channel));
    }

    [Fact]
    public async Task NoPhoneNumberOrNarrativeIsReadableInTheDatabaseFileOrTheLogs()
    {
        await using var app = new JukwaaApp();
        const string phone = "+254712345678";
        using var call = await AtPlaceQuestionAsync(app, phone);
        await call.SendAsync("Kiamunyi shopping centre");
        await call.SendAsync("Gang extorting matatu drivers");
        await call.SendAsync("1");
        await call.SendAsync("1");

        var bytes = new List<byte>();
        foreach (var file in new[] { app.DatabaseFile, app.DatabaseFile + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, Ct);
            bytes.AddRange(memory.ToArray());
        }
        var content = Encoding.UTF8.GetString([.. bytes]);
        var logs = string.Join('\n', app.Logs);
        foreach (var secret in new[] { phone, "712345678", "Kiamunyi", "matatu drivers" })
        {
            Assert.DoesNotContain(secret, content, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
        Assert.Equal(1, await app.QueryAsync(db => db.Reports.CountAsync(Ct)));
    }

    [Fact]
    public async Task EveryMessageInAndOutIsStoredWithItsSession()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        var conversation = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.ProviderSessionId == call.SessionId, Ct));
        var messages = await app.QueryAsync(db => db.Messages.Where(m => m.ConversationId == conversation.Id).ToListAsync(Ct));
        Assert.Equal(6, messages.Count(m => m.Direction == Direction.Inbound));
        Assert.Equal(6, messages.Count(m => m.Direction == Direction.Outbound));
        Assert.All(messages, m => Assert.Equal(Channel.Ussd, m.Channel));
        var protector = app.Service<PersonalDataProtector>();
        Assert.Contains(messages, m => m.Direction == Direction.Inbound && protector.Unseal(m.BodySealed) == "Nakuru");
        Assert.Contains(messages, m => m.Direction == Direction.Outbound && protector.Unseal(m.BodySealed).StartsWith("Where did it happen?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentDeliveriesOfTheSameStepApplyOnceAndGetTheSameScreen()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        var before = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.ProviderSessionId == call.SessionId, Ct));
        var text = call.Text + "*Kiamunyi";

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await call.PostAsync(call.Fields(text));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync(Ct);
        }));

        Assert.All(replies, r => Assert.Equal("CON What happened? (at most 300 characters)", r));
        var after = await app.QueryAsync(db => db.Conversations.SingleAsync(c => c.ProviderSessionId == call.SessionId, Ct));
        Assert.Equal(before.Steps + 1, after.Steps);
        Assert.Equal("details", after.State);
        var inbound = await app.QueryAsync(db => db.Messages.CountAsync(m => m.ConversationId == after.Id && m.Direction == Direction.Inbound, Ct));
        Assert.Equal(before.Steps + 1, inbound);
    }

    [Fact]
    public async Task ConcurrentFirstStepsOfANewSessionCreateOneConversation()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await call.PostAsync(call.Fields(""));
            return await response.Content.ReadAsStringAsync(Ct);
        }));
        Assert.All(replies, r => Assert.StartsWith("CON Jukwaa la Usalama. Choose language", r, StringComparison.Ordinal));
        Assert.Equal(1, await app.QueryAsync(db => db.Conversations.CountAsync(Ct)));
        Assert.Equal(1, await app.QueryAsync(db => db.People.CountAsync(Ct)));
    }

    [Fact]
    public async Task ADroppedSessionIsNotOfferedAfterTenMinutes()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.StartsWith("CON Jukwaa la Usalama\n1. Report an incident", await call.DialAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartingAgainInsteadOfContinuingOpensTheMainMenuAndForgetsTheOffer()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Contains("1. Continue where I stopped", await call.DialAsync(), StringComparison.Ordinal);
        Assert.StartsWith("CON Jukwaa la Usalama\n1. Report an incident", await call.SendAsync("2"), StringComparison.Ordinal);
        Assert.StartsWith("CON Jukwaa la Usalama\n1. Report", await call.DialAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLanguageChosenOnOnePhoneIsUsedInEverySessionOfThatPhone()
    {
        await using var app = new JukwaaApp();
        using var call = app.Call();
        await call.DialAsync();
        await call.SendAsync("2");
        using var sameCaller = app.Call(call.Phone);
        Assert.Contains("1. Ripoti tukio", await sameCaller.DialAsync(), StringComparison.Ordinal);
        using var otherCaller = app.Call();
        Assert.Contains("Choose language", await otherCaller.DialAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportsStatusShowsItsLatestChangeInTheCallersLanguage()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        await call.SendAsync("Stage");
        await call.SendAsync("Robbery");
        await call.SendAsync("1");
        await call.SendAsync("1");
        var reference = await app.QueryAsync(async db =>
        {
            var report = await db.Reports.SingleAsync(Ct);
            report.Status = ReportStatus.UnderReview;
            report.StatusChangedAt = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);
            await db.SaveChangesAsync(Ct);
            return report.Reference;
        });

        await call.DialAsync();
        await call.SendAsync("6");
        await call.SendAsync("2");          // Kiswahili
        await call.SendAsync("2");          // Fuatilia ripoti
        var reply = await call.SendAsync(reference);
        Assert.Equal($"END Ripoti {ReferenceNumber.Format(reference)}: Inachunguzwa. Badiliko la mwisho: 03/12/2026.", reply);
    }

    [Fact]
    public async Task ASessionOnADialogVersionNoLongerDeployedStartsOverWithANote()
    {
        await using var app = new JukwaaApp();
        using var call = await AtPlaceQuestionAsync(app);
        await app.QueryAsync(async db =>
        {
            var conversation = await db.Conversations.SingleAsync(Ct);
            conversation.DialogVersion = 99;
            return await db.SaveChangesAsync(Ct);
        });
        var reply = await call.SendAsync("Stage");
        Assert.StartsWith("CON This menu has changed. Please start again.\nJukwaa la Usalama", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEndOfSessionNotificationIsAcceptedWithAnyFields()
    {
        await using var app = new JukwaaApp();
        using var client = app.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["sessionId"] = "ATUid_1", ["status"] = "Success" });
        using var response = await client.PostAsync(UssdCall.Route + "/events", form, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task LivenessAndReadinessAnswerHealthy()
    {
        await using var app = new JukwaaApp();
        using var client = app.CreateClient();
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
        }
    }
}
