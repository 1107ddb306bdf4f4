using System.Text.Json;
using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Jukwaa.Bot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

public class ScorecardPublicationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The tests' clock starts on 28/11/2026, inside 2026Q4; this is the first morning after it.</summary>
    private static readonly DateTimeOffset AfterQ4 = new(2027, 1, 1, 6, 0, 0, TimeSpan.Zero);

    private static async Task<T> WithPublisherAsync<T>(JukwaaApp app, Func<ScorecardPublisher, Task<T>> step)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await step(scope.ServiceProvider.GetRequiredService<ScorecardPublisher>());
    }

    private static Quarter Q(string text) => Quarter.Parse(text)!.Value;

    private static async Task<string> PageAsync(JukwaaApp app, string path) => await app.CreateClient().GetStringAsync(path, Ct);

    [Fact]
    public async Task AQuarterThatHasNotEndedIsRefusedAndCanBePreviewedWithoutSendingAnything()
    {
        await using var app = new JukwaaApp();
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\n");
        var phone = app.Sms();
        await phone.SendAsync("SUBSCRIBE Nakuru");
        var replies = (await phone.RepliesAsync()).Count;

        foreach (var quarter in new[] { "2099Q1", "2026Q4" })
        {
            var refused = await Assert.ThrowsAsync<ScorecardPublicationException>(() => PublishAsync(app, quarter));
            Assert.StartsWith($"{quarter} has not ended", refused.Message, StringComparison.Ordinal);
        }
        var preview = await WithPublisherAsync(app, p => p.PreviewAsync(Q("2026Q4"), Ct));
        Assert.Equal(47, preview.Count);
        Assert.Equal(Grade.Surpassed, preview.Single(c => c.County.Name == "Nakuru").Overall);

        Assert.Equal(0, await app.QueryAsync(db => db.PublishedScorecards.CountAsync(Ct)));
        Assert.Equal(replies, (await phone.RepliesAsync()).Count);
        Assert.Equal("No scorecard has been published for Nakuru yet.", await phone.SendAsync("SCORE Nakuru"));
        Assert.DoesNotContain("2099Q1", await PageAsync(app, "/scorecards"), StringComparison.Ordinal);

        app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new PublishResult(47, 1, 0, 0), await PublishAsync(app, "2026Q4"));
    }

    [Fact]
    public async Task AQuarterWithNoDataInAnyCountyIsNotPublished()
    {
        // What a new user did: publish an ended quarter before importing anything.
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        await phone.SendAsync("SUBSCRIBE Nakuru");
        var replies = (await phone.RepliesAsync()).Count;
        app.Clock.SetUtcNow(AfterQ4);

        var refused = await Assert.ThrowsAsync<ScorecardPublicationException>(() => PublishAsync(app, "2026Q3"));
        Assert.StartsWith("2026Q3 has no data in any county", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.PublishedScorecards.CountAsync(Ct)));
        Assert.Equal(replies, (await phone.RepliesAsync()).Count);
        Assert.Equal("No scorecard has been published for Nakuru yet.", await phone.SendAsync("SCORE Nakuru"));

        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q3,firearms_recovered,20,25,County return\n");
        Assert.Equal(new PublishResult(47, 1, 0, 0), await PublishAsync(app, "2026Q3"));
    }

    [Fact]
    public async Task AWithdrawnQuarterIsNoLongerTheLatestAnywhereShowsItsReasonAndSendsNothing()
    {
        await using var app = new JukwaaApp();
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q3,firearms_recovered,20,10,County return\nNakuru,2026Q4,firearms_recovered,20,25,County return\n");
        var phone = app.Sms();
        await phone.SendAsync("SUBSCRIBE Nakuru");
        app.Clock.SetUtcNow(AfterQ4);
        await PublishAsync(app, "2026Q3");
        await PublishAsync(app, "2026Q4");
        var replies = (await phone.RepliesAsync()).Count;

        Assert.Equal(47, await WithPublisherAsync(app, p => p.WithdrawAsync(Q("2026Q4"), "Published with the wrong county returns", Ct)));

        Assert.Equal(replies, (await phone.RepliesAsync()).Count);
        Assert.StartsWith("Nakuru 2026Q3: behind.", await phone.SendAsync("SCORE Nakuru"), StringComparison.Ordinal);
        using var call = app.Call();
        await call.DialAsync();
        await call.SendAsync("1");
        await call.SendAsync("4");
        Assert.StartsWith("END Nakuru 2026Q3: behind.", await call.SendAsync("032"), StringComparison.Ordinal);
        var chat = app.Telegram();
        Assert.StartsWith("Nakuru scorecard 2026Q3: behind", await chat.SendAsync("/score Nakuru"), StringComparison.Ordinal);

        var index = await PageAsync(app, "/scorecards");
        Assert.Contains("2026Q3", index, StringComparison.Ordinal);
        Assert.DoesNotContain("2026Q4", index, StringComparison.Ordinal);
        var county = await PageAsync(app, "/scorecards/032");
        Assert.Contains("Nakuru <span class=\"quarter\">2026Q3</span>", county, StringComparison.Ordinal);
        Assert.Contains("Published with the wrong county returns", county, StringComparison.Ordinal);

        var again = await Assert.ThrowsAsync<ScorecardPublicationException>(() => PublishAsync(app, "2026Q4"));
        Assert.Contains("withdrawn", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACorrectionRepublishesChangedCountiesTellsTheirSubscribersOnceAndShowsItsReason()
    {
        await using var app = new JukwaaApp();
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\n");
        var nakuru = app.Sms();
        await nakuru.SendAsync("SUBSCRIBE Nakuru");
        var kisumu = app.Sms();
        await kisumu.SendAsync("SUBSCRIBE Kisumu");
        app.Clock.SetUtcNow(AfterQ4);
        await PublishAsync(app, "2026Q4");
        var (nakuruReplies, kisumuReplies) = ((await nakuru.RepliesAsync()).Count, (await kisumu.RepliesAsync()).Count);

        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,5,Corrected return\n");
        var corrected = await WithPublisherAsync(app, p => p.CorrectAsync(Q("2026Q4"), "The county return counted 25 instead of 5", Ct));
        Assert.Equal(["032"], corrected.Counties);
        Assert.Equal(1, corrected.Sent);

        var told = await nakuru.RepliesAsync();
        Assert.Equal(nakuruReplies + 1, told.Count);
        Assert.Equal("Correction to the Nakuru 2026Q4 scorecard: The county return counted 25 instead of 5\nNakuru 2026Q4: behind. Targets: 0 surpassed, 0 on track, 1 behind. Citizen reports: 0, - acted on. Trust: - of 5.", told[^1]);
        Assert.Equal(kisumuReplies, (await kisumu.RepliesAsync()).Count);
        Assert.StartsWith("Nakuru 2026Q4: behind.", await nakuru.SendAsync("SCORE Nakuru"), StringComparison.Ordinal);
        var page = await PageAsync(app, "/scorecards/032");
        Assert.Contains("The county return counted 25 instead of 5", page, StringComparison.Ordinal);

        // The same values again: nothing to correct, nobody told twice.
        await Assert.ThrowsAsync<ScorecardPublicationException>(() => WithPublisherAsync(app, p => p.CorrectAsync(Q("2026Q4"), "again", Ct)));
        Assert.Equal(nakuruReplies + 2, (await nakuru.RepliesAsync()).Count);   // the SCORE answer above, nothing more
    }

    [Fact]
    public async Task ACorrectionOfOneCountyLeavesEveryOtherCountyAsPublishedThoughItsReportsWereActedOnSince()
    {
        await using var app = new JukwaaApp();
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\nKisumu,2026Q4,ids_issued,1000,700,NRB\n");
        var references = new List<string>();
        foreach (var county in new[] { "Nakuru", "Kisumu", "Mombasa" }) references.Add(await CitizenReportsAsync(app, county));
        var subscribers = new Dictionary<string, SmsPhone>();
        foreach (var county in new[] { "Nakuru", "Kisumu", "Mombasa" })
        {
            subscribers[county] = app.Sms();
            await subscribers[county].SendAsync("SUBSCRIBE " + county);
        }
        app.Clock.SetUtcNow(AfterQ4);
        await PublishAsync(app, "2026Q4");
        var kisumuPage = await PageAsync(app, "/scorecards/042");
        var published = await app.QueryAsync(db => db.PublishedScorecards.OrderBy(p => p.CountyCode).Select(p => new { p.CountyCode, p.DataJson, p.Overall }).ToListAsync(Ct));
        var replies = new Dictionary<string, int>();
        foreach (var (county, phone) in subscribers) replies[county] = (await phone.RepliesAsync()).Count;

        // After the quarter, an officer acts on every report: the reports' current state is no longer the quarter's.
        var officer = await OfficerAsync(app);
        foreach (var reference in references)
        {
            Assert.EndsWith("The reporter has been told.", await officer.PressAsync($"op:a:{reference.Replace(" ", "", StringComparison.Ordinal)}:Review"), StringComparison.Ordinal);
        }
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,5,Corrected return\n");
        var corrected = await WithPublisherAsync(app, p => p.CorrectAsync(Q("2026Q4"), "The county return counted 25 instead of 5", Ct));

        Assert.Equal(["032"], corrected.Counties);
        Assert.Equal(1, corrected.Sent);
        var told = await subscribers["Nakuru"].RepliesAsync();
        Assert.Equal(replies["Nakuru"] + 1, told.Count);
        // The citizen figures stay as published: the report was not acted on within the quarter.
        Assert.Equal("Correction to the Nakuru 2026Q4 scorecard: The county return counted 25 instead of 5\nNakuru 2026Q4: behind. Targets: 0 surpassed, 0 on track, 1 behind. Citizen reports: 1, 0% acted on. Trust: - of 5.", told[^1]);
        Assert.Equal(replies["Kisumu"], (await subscribers["Kisumu"].RepliesAsync()).Count);
        Assert.Equal(replies["Mombasa"], (await subscribers["Mombasa"].RepliesAsync()).Count);
        var after = await app.QueryAsync(db => db.PublishedScorecards.OrderBy(p => p.CountyCode).Select(p => new { p.CountyCode, p.DataJson, p.Overall }).ToListAsync(Ct));
        Assert.Equal(published.Where(p => p.CountyCode != "032"), after.Where(p => p.CountyCode != "032"));
        Assert.Equal(kisumuPage, await PageAsync(app, "/scorecards/042"));
        Assert.StartsWith("Kisumu 2026Q4: behind. Targets: 0 surpassed, 0 on track, 1 behind. Citizen reports: 1, 0% acted on.", await subscribers["Kisumu"].SendAsync("SCORE Kisumu"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuarterWhoseWordsWereFrozenBeforeSmallCountProtectionIsShownAndSentWithItsCountsProtected()
    {
        await using var app = new JukwaaApp();
        // The schema as it was, and a row frozen as it was then: the exact small counts beside "fewer than 5" give SGBV = 1.
        var data = JsonSerializer.Serialize(new ScorecardSnapshot(
            [new IndicatorSnapshot("firearms_recovered", 20, 25, Grade.Surpassed)], new Dictionary<string, int> { ["other"] = 2, ["gangs"] = 1, ["sgbv"] = 1 },
            4, 0, 0, null, null, 0, Grade.Behind, Grade.NoData, Grade.NoData));
        const string Full = "Nakuru scorecard 2026Q4: on track\n- Illegal firearms recovered: 25 / 20 firearms (surpassed)\nCitizen reports: 4\n"
            + "  Other: 2\n  Organised gangs: 1\n  SGBV/child protection: fewer than 5\nActed on: 0%, closed 0% (behind)";
        var at = new DateTime(2027, 1, 1, 6, 0, 0, DateTimeKind.Utc);
        await app.QueryAsync(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync("ScorecardWithdrawAndCorrect", Ct);
            return await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO published_scorecards ("Quarter", "CountyCode", "Overall", "SummaryEn", "SummarySw", "FullEn", "FullSw", "DataJson", "PublishedAt", "Revision") VALUES ('2026Q4', '032', {(int)Grade.OnTrack}, 'Nakuru 2026Q4', 'Nakuru 2026Q4', {Full}, {Full}, {data}, {at}, 0)""", Ct);
        });
        await app.Services.MigrateJukwaaDatabaseAsync(Ct);
        var smallExactCount = new Regex(@"^  .+: [1-4]$", RegexOptions.Multiline);

        var chat = app.Telegram();
        var shown = await chat.SendAsync("/score Nakuru");
        Assert.Contains("  SGBV/child protection: fewer than 5", shown, StringComparison.Ordinal);
        Assert.DoesNotMatch(smallExactCount, shown);

        // A subscriber who has not had this quarter is sent it when the quarter is published (again).
        await chat.SendAsync("/subscribe Nakuru");
        app.Clock.SetUtcNow(AfterQ4);
        Assert.Equal(1, (await PublishAsync(app, "2026Q4")).Sent);
        var sent = chat.Render((await chat.OutboxAsync()).Last(m => m.Kind == OutboxKind.Message));
        Assert.Contains("  SGBV/child protection: fewer than 5", sent, StringComparison.Ordinal);
        Assert.DoesNotMatch(smallExactCount, sent);
    }

    private static async Task<string> CitizenReportsAsync(JukwaaApp app, string county)
    {
        var phone = app.Sms();
        foreach (var step in new[] { "hi", "1", "1", "2", county, "1", "Near the bus stage", "Men collecting protection money", "no" }) await phone.SendAsync(step);
        return Regex.Match(await phone.SendAsync("submit") ?? "", @"\d{3} \d{3} \d{3}").Value;
    }

    private static async Task<TelegramChat> OfficerAsync(JukwaaApp app)
    {
        var chat = app.Telegram();
        var protector = app.Service<PersonalDataProtector>();
        await app.QueryAsync(db =>
        {
            db.Officers.Add(new Officer
            {
                Name = "A. Wanjiku", Role = OfficerRole.Admin, TelegramHash = protector.Hash("tg:" + chat.UserId), CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            });
            return db.SaveChangesAsync(Ct);
        });
        return chat;
    }

    private static async Task<PublishResult> PublishAsync(JukwaaApp app, string quarter)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().PublishAsync(Quarter.Parse(quarter)!.Value, Ct);
    }

    private static async Task ImportAsync(JukwaaApp app, string csv)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (rows, errors) = ScorecardImport.Read(new StringReader(csv), app.Service<Core.Dialogs.DialogCatalog>(), DateTime.UtcNow);
        Assert.Empty(errors);
        await scope.ServiceProvider.GetRequiredService<IScorecardStore>().UpsertAsync(rows, Ct);
    }

    [Fact]
    public async Task PublishingSendsEachSubscriberTheirCountyOnceInTheirLanguageSkippingStoppedPeople()
    {
        await using var app = new JukwaaApp();
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\nKisumu,2026Q4,ids_issued,1000,700,NRB\n");

        var english = app.Sms();
        await english.SendAsync("SUBSCRIBE Nakuru");
        var swahili = app.Sms();
        await swahili.SendAsync("JIANDIKISHE Kisumu");
        var stopped = app.Sms();
        await stopped.SendAsync("SUBSCRIBE Nakuru");
        await stopped.SendAsync("STOP");
        var telegram = app.Telegram();
        await telegram.SendAsync("/start");
        await telegram.PressAsync("2");
        await telegram.SendAsync("/subscribe Nakuru");

        app.Clock.SetUtcNow(AfterQ4);
        var first = await PublishAsync(app, "2026Q4");
        Assert.Equal(new PublishResult(47, 3, 1, 0), first);
        Assert.Equal("Nakuru 2026Q4: surpassed. Targets: 1 surpassed, 0 on track, 0 behind. Citizen reports: 0, - acted on. Trust: - of 5.", (await english.RepliesAsync())[^1]);
        Assert.Equal("Kisumu 2026Q4: iko nyuma. Malengo: 0 yamezidi, 0 njiani, 1 nyuma. Ripoti za wananchi: 0, - zimeshughulikiwa. Imani: - kati ya 5.", (await swahili.RepliesAsync())[^1]);
        var full = (await telegram.OutboxAsync()).Last(m => m.Kind == OutboxKind.Message);
        Assert.StartsWith("Kadi ya alama ya Nakuru 2026Q4: imezidi lengo\n- Silaha haramu zilizopatikana: 25 / 20 silaha (imezidi lengo)", telegram.Render(full), StringComparison.Ordinal);
        Assert.DoesNotContain("2026Q4", (await stopped.RepliesAsync())[^1], StringComparison.Ordinal);

        var again = await PublishAsync(app, "2026Q4");
        Assert.Equal(new PublishResult(47, 0, 1, 3), again);
        Assert.Equal(47, await app.QueryAsync(db => db.PublishedScorecards.CountAsync(Ct)));
        Assert.Equal(3, await app.QueryAsync(db => db.ScorecardDeliveries.CountAsync(Ct)));
    }

    [Fact]
    public async Task APublishedQuarterIsFrozenAndShownByScoreOnEveryChannel()
    {
        await using var app = new JukwaaApp();
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\n");
        app.Clock.SetUtcNow(AfterQ4);
        await PublishAsync(app, "2026Q4");
        // A correction after publication does not change what was published.
        await ImportAsync(app, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,5,Corrected return\n");
        await PublishAsync(app, "2026Q4");

        var phone = app.Sms();
        Assert.StartsWith("Nakuru 2026Q4: surpassed. Targets: 1 surpassed", await phone.SendAsync("SCORE nakuru"), StringComparison.Ordinal);
        using var call = app.Call();
        await call.DialAsync();
        await call.SendAsync("1");
        await call.SendAsync("4");
        Assert.StartsWith("END Nakuru 2026Q4: surpassed.", await call.SendAsync("032"), StringComparison.Ordinal);
        var chat = app.Telegram();
        Assert.StartsWith("Nakuru scorecard 2026Q4: surpassed\n- Illegal firearms recovered: 25 / 20 firearms (surpassed)\nCitizen reports: 0",
            await chat.SendAsync("/score Nakuru"), StringComparison.Ordinal);
    }
}
