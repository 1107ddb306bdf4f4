using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

public class ScorecardPublicationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

        var first = await PublishAsync(app, "2026Q4");
        Assert.Equal(new PublishResult(47, 3, 1, 0), first);
        Assert.Equal("Nakuru 2026Q4: surpassed. Targets: 1 surpassed, 0 behind. Citizen reports: 0, - acted on. Trust: - of 5.", (await english.RepliesAsync())[^1]);
        Assert.Equal("Kisumu 2026Q4: iko nyuma. Malengo: 0 yamezidi, 1 nyuma. Ripoti za wananchi: 0, - zimeshughulikiwa. Imani: - kati ya 5.", (await swahili.RepliesAsync())[^1]);
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
