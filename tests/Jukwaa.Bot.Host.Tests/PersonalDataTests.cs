using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The right of access, the right to erasure, and retention of message bodies.</summary>
public class PersonalDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SmsPhone> ReporterAsync(JukwaaApp app)
    {
        var phone = app.Sms();
        await phone.SendAsync("REPORT Gang extorting traders at Kibuye");
        await phone.SendAsync("Kisumu");
        await phone.SendAsync("1");
        await phone.SendAsync("SUBSCRIBE Kisumu");
        return phone;
    }

    [Fact]
    public async Task ExportShowsEverythingHeldAboutThePerson()
    {
        await using var app = new JukwaaApp();
        var phone = await ReporterAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var text = await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ExportAsync(phone.Phone, Ct);
        Assert.NotNull(text);
        Assert.StartsWith($"Person: phone {phone.Phone}, language en, first seen 2026-11-28 09:00 UTC", text, StringComparison.Ordinal);
        Assert.Contains("Scorecard subscription: Kisumu", text, StringComparison.Ordinal);
        Assert.Contains("Reports (1):", text, StringComparison.Ordinal);
        Assert.Contains("other Kisumu Received (identity hidden):  / Gang extorting traders at Kibuye", text, StringComparison.Ordinal);
        Assert.Contains("sms in  REPORT Gang extorting traders at Kibuye", text, StringComparison.Ordinal);
        Assert.Null(await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ExportAsync("+254799999999", Ct));
    }

    [Fact]
    public async Task ForgettingErasesIdentityAndTextButKeepsAnonymousCounts()
    {
        await using var app = new JukwaaApp();
        var phone = await ReporterAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ForgetAsync(phone.Phone, DateTime.UtcNow, Ct));
            Assert.Null(await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ExportAsync(phone.Phone, Ct));
        }

        var report = await app.QueryAsync(db => db.Reports.SingleAsync(Ct));
        Assert.Equal(("other", "042", ReportStatus.Received, "", ""), (report.Category, report.CountyCode, report.Status, report.PlaceSealed, report.DetailsSealed));
        Assert.All(await app.QueryAsync(db => db.Messages.ToListAsync(Ct)), m => Assert.Equal("", m.BodySealed));
        Assert.Equal(8, await app.QueryAsync(db => db.Messages.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.ScorecardSubscriptions.CountAsync(Ct)));
        var forgotten = await app.QueryAsync(db => db.People.SingleAsync(Ct));
        Assert.Equal(("", (string?)null), (forgotten.AddressSealed, forgotten.Language));

        // The same number is a stranger now: asked for a language, with no link to the old report.
        Assert.StartsWith("Jukwaa la Usalama. Choose language", await phone.SendAsync("hello"), StringComparison.Ordinal);
        Assert.Equal(2, await app.QueryAsync(db => db.People.CountAsync(Ct)));
    }

    [Fact]
    public async Task MessageBodiesOlderThanTheRetentionAreBlankedAndReportsStay()
    {
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Retention:Interval"] = "01:00:00" });
        var old = await ReporterAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(80));
        var recent = app.Sms();
        await recent.SendAsync("HELP");
        app.Clock.Advance(TimeSpan.FromDays(11));   // the first messages are now 91 days old

        // The worker passes once an hour of the clock; move the clock on until its next pass has run.
        await JukwaaApp.EventuallyAsync(async () =>
        {
            if (await app.QueryAsync(db => db.Messages.CountAsync(m => m.BodySealed == "", Ct)) == 8) return true;
            app.Clock.Advance(TimeSpan.FromHours(1));
            return false;
        }, "the old message bodies are blanked");
        var bodies = await app.QueryAsync(db => db.Messages.Where(m => m.BodySealed != "").CountAsync(Ct));
        Assert.Equal(2, bodies);   // the recent HELP and its reply
        var report = await app.QueryAsync(db => db.Reports.SingleAsync(Ct));
        Assert.NotEqual("", report.DetailsSealed);
        Assert.Contains("Gang extorting", app.Service<Core.Privacy.PersonalDataProtector>().Unseal(report.DetailsSealed), StringComparison.Ordinal);
        Assert.StartsWith("Jukwaa la Usalama: send REPORT", await old.SendAsync("HELP"), StringComparison.Ordinal);
    }
}
