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

    /// <summary>A Kisumu officer on Telegram.</summary>
    private static async Task<TelegramChat> OfficerAsync(JukwaaApp app)
    {
        var chat = app.Telegram();
        var protector = app.Service<Core.Privacy.PersonalDataProtector>();
        await app.QueryAsync(db =>
        {
            db.Officers.Add(new Core.Officers.Officer
            {
                Name = "J. Otieno", Role = Core.Officers.OfficerRole.County, Counties = "042",
                TelegramHash = protector.Hash("tg:" + chat.UserId), CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            });
            return db.SaveChangesAsync(Ct);
        });
        return chat;
    }

    [Fact]
    public async Task ExportListsEverythingSentToThePersonAndTheirReportsHistory()
    {
        await using var app = new JukwaaApp();
        var phone = await ReporterAsync(app);
        var reference = await app.QueryAsync(db => db.Reports.Select(r => r.Reference).SingleAsync(Ct));
        var officer = await OfficerAsync(app);
        await officer.SendAsync($"/reject {reference} Already reported by the chief");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (rows, errors) = Core.Scorecards.ScorecardImport.Read(new StringReader("county,quarter,indicator,target,achieved,source\nKisumu,2026Q3,ids_issued,1000,700,NRB\n"),
                app.Service<Core.Dialogs.DialogCatalog>(), DateTime.UtcNow);
            Assert.Empty(errors);
            await scope.ServiceProvider.GetRequiredService<Core.Scorecards.IScorecardStore>().UpsertAsync(rows, Ct);
            await scope.ServiceProvider.GetRequiredService<Core.Scorecards.ScorecardPublisher>().PublishAsync(Core.Scorecards.Quarter.Parse("2026Q3")!.Value, Ct);
        }
        var sent = await phone.RepliesAsync();
        await JukwaaApp.EventuallyAsync(async () => await app.QueryAsync(db => db.Outbox.AllAsync(o => o.Status == OutboxStatus.Sent, Ct)), "everything is sent");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var text = (await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ExportAsync(phone.Phone, Ct))!;
            // The status notification and the scorecard, which no conversation recorded, and every reply.
            Assert.Contains($"Sent to the person ({sent.Count}):", text, StringComparison.Ordinal);
            Assert.Contains($"sms   sent        Your report {Core.Domain.ReferenceNumber.Format(reference)} was not taken forward. The officer wrote: \"Already reported by the chief\"", text, StringComparison.Ordinal);
            Assert.Contains("sms   sent        Kisumu 2026Q3: behind.", text, StringComparison.Ordinal);
            Assert.All(sent, body => Assert.Contains(body.Replace("\n", " / ", StringComparison.Ordinal), text, StringComparison.Ordinal));
            Assert.Contains("    2026-11-28 09:00 Received -> Rejected: Already reported by the chief", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ForgettingAlsoErasesTheNarrativeFromOfficersScreens()
    {
        await using var app = new JukwaaApp();
        var phone = await ReporterAsync(app);
        var reference = await app.QueryAsync(db => db.Reports.Select(r => r.Reference).SingleAsync(Ct));
        var officer = await OfficerAsync(app);
        Assert.Contains("Gang extorting traders at Kibuye", await officer.SendAsync("/report " + reference), StringComparison.Ordinal);
        await officer.SendAsync("/reports Kisumu");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ForgetAsync(phone.Phone, DateTime.UtcNow, Ct));
        }
        var protector = app.Service<Core.Privacy.PersonalDataProtector>();
        var bodies = (await app.QueryAsync(db => db.Outbox.ToListAsync(Ct))).Select(o => o.BodySealed.Length == 0 ? "" : protector.Unseal(o.BodySealed)).ToList();
        Assert.DoesNotContain(bodies, b => b.Contains("extorting", StringComparison.Ordinal));
        // The officer's other screens, which carry none of it, stay.
        Assert.Contains(bodies, b => b.StartsWith("Kisumu: open reports", StringComparison.Ordinal));
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
