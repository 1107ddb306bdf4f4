using System.Globalization;
using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// Officers hear of new reports on Telegram: urgent categories at once, the rest in a digest at the hour they chose, only
/// within their scope, never twice, never anything about the reporter. Each test reads what the officer's chat was sent.
/// The passes are run here (the worker runs too, woken by reports: whoever gets there first, nothing is sent twice).
/// </summary>
public class OfficerAlertTests
{
    private const string Nakuru = "032";
    private const string Kisumu = "042";
    private const string Gangs = "2";
    private const string Firearms = "5";
    private const string Sgbv = "7";
    private const string Place = "Behind the Mawingu petrol station";
    private const string Narrative = "Two men hiding rifles in a maize store";

    // The fake clock starts at 09:00 UTC: 12:00 in Kenya.
    private static readonly string[] s_alertStarts = ["URGENT:", "New report", "Daily digest", "DHARURA:", "Ripoti mpya", "Muhtasari"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUrgentReportReachesTheCountyOfficerAtOnceAndOnlyOnce()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var elsewhere = await OfficerAsync(app, "K. Achieng", OfficerRole.County, Kisumu);
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru", Firearms);
        var digits = reference.Replace(" ", "", StringComparison.Ordinal);

        await RunAsync(app);
        var expected = $"""
            URGENT: new report {reference}
            Category: Illegal firearms
            County: Nakuru (032)
            Received: 28/11/2026 12:00 (Kenya time)
            Open it with the button or /report {reference}
            [op:r:{digits}: Open {reference}]
            """;
        Assert.Equal(Lf(expected), Assert.Single(await AlertsAsync(officer)));

        // Later passes (and the digest hour, the next morning) send nothing more; the other county hears nothing.
        await RunAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(20));
        await RunAsync(app);
        Assert.Single(await AlertsAsync(officer));
        Assert.Empty(await AlertsAsync(elsewhere));
        var alert = await app.QueryAsync(db => db.OfficerAlerts.SingleAsync(Ct));
        Assert.False(alert.InDigest);

        // The button opens the report.
        Assert.StartsWith($"Report {reference}\nCategory: Illegal firearms", await officer.PressAsync("op:r:" + digits), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoredReportWakesTheWorkerSoAnUrgentAlertLeavesWithoutWaitingForThePoll()
    {
        // The poll is an hour of a clock that does not move: only the report's signal can start a pass.
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Alerts:PollInterval"] = "01:00:00" });
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        await CitizenReportsAsync(app, "Nakuru", Firearms);

        await JukwaaApp.EventuallyAsync(async () => (await AlertsAsync(officer)).Count == 1, "the worker alerted the officer");
        Assert.Contains(app.Logs, l => l.Contains("Alerts: 1 sent at once, 0 digests listing 0 reports", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReportThatIsNotUrgentWaitsForTheDigestAtTheOfficersHourAndComesOnce()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        Assert.StartsWith("Alerts: urgent reports at once, the rest in one message a day at 18:30 (Kenya time).",
            await officer.SendAsync("/alerts digest 18:30"), StringComparison.Ordinal);
        var (gangs, _) = await CitizenReportsAsync(app, "Nakuru", Gangs);
        var (firearms, _) = await CitizenReportsAsync(app, "Nakuru", Firearms);

        await RunAsync(app);
        Assert.Equal($"URGENT: new report {firearms}", FirstLine(Assert.Single(await AlertsAsync(officer))));

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 15, 29, 0, TimeSpan.Zero));   // 18:29 in Kenya
        await RunAsync(app);
        Assert.Single(await AlertsAsync(officer));

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await RunAsync(app);
        await RunAsync(app);
        var digits = gangs.Replace(" ", "", StringComparison.Ordinal);
        var digest = $"""
            Daily digest: new reports in your counties since 27/11/2026 18:31 (Kenya time): 1
            Nakuru (032): 1
              Organised gangs: 1
            Oldest first:
            {gangs} | Organised gangs | Nakuru (032) | 28/11/2026 12:00
            See them all with /reports.
            [op:r:{digits}: Open {gangs}]
            """;
        Assert.Equal(Lf(digest), (await AlertsAsync(officer))[^1]);
        Assert.Equal(2, (await AlertsAsync(officer)).Count);
        Assert.True(await app.QueryAsync(db => db.OfficerAlerts.AnyAsync(a => a.InDigest, Ct)));

        // The next day's digest holds only what came since; a day with nothing new sends nothing.
        app.Clock.Advance(TimeSpan.FromHours(5));
        var (next, _) = await CitizenReportsAsync(app, "Nakuru", Gangs);
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 29, 15, 31, 0, TimeSpan.Zero));
        await RunAsync(app);
        var second = (await AlertsAsync(officer))[^1];
        Assert.StartsWith("Daily digest: new reports in your counties since 28/11/2026 18:31 (Kenya time): 1\n", second, StringComparison.Ordinal);
        Assert.Contains($"{next} | Organised gangs | Nakuru (032) | 28/11/2026 23:31", second, StringComparison.Ordinal);
        Assert.DoesNotContain(gangs, second, StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunAsync(app);
        Assert.Equal(3, (await AlertsAsync(officer)).Count);
    }

    [Fact]
    public async Task ADigestCountsByCountyAndCategoryListsTenAndButtonsFive()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "Rift desk", OfficerRole.Regional, $"{Nakuru},{Kisumu}");
        // Reports through the evening and night; then the morning's digest at 07:00 Kenya time (the default), 04:00 UTC.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < 8; i++) await SeedReportAsync(app, Nakuru, i % 2 == 0 ? "gangs" : "land", TimeSpan.FromHours(12 - i));
        for (var i = 0; i < 4; i++) await SeedReportAsync(app, Kisumu, "other", TimeSpan.FromHours(3 - (i / 2.0)));
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero));
        await RunAsync(app);

        var digest = Assert.Single(await AlertsAsync(officer)).Split('\n');
        Assert.Equal(
            ["Daily digest: new reports in your counties since 28/11/2026 07:00 (Kenya time): 12", "Nakuru (032): 8", "  Land dispute/fraud: 4", "  Organised gangs: 4",
             "Kisumu (042): 4", "  Other: 4", "Oldest first:"],
            digest[..7]);
        Assert.Equal(10, digest.Count(l => Regex.IsMatch(l, @"^\d{3} \d{3} \d{3} \| ")));
        Assert.EndsWith("| Organised gangs | Nakuru (032) | 28/11/2026 18:00", digest[7], StringComparison.Ordinal);
        Assert.Equal(["and 2 more", "See them all with /reports."], digest[17..19]);
        Assert.Equal(5, digest.Count(l => l.StartsWith("[op:r:", StringComparison.Ordinal)));
        Assert.Equal(12, await app.QueryAsync(db => db.OfficerAlerts.CountAsync(a => a.InDigest, Ct)));
    }

    [Fact]
    public async Task ASensitiveReportReachesOnlyTheOfficerAllowedToSeeIt()
    {
        await using var app = new JukwaaApp();
        var plain = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var national = await OfficerAsync(app, "HQ", OfficerRole.National);
        var desk = await OfficerAsync(app, "Gender desk", OfficerRole.County, Nakuru, sensitive: true);
        await plain.SendAsync("/alerts now");
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru", Sgbv);

        await RunAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(22));   // past every digest hour
        await RunAsync(app);

        var alert = Assert.Single(await AlertsAsync(desk));
        Assert.StartsWith($"URGENT: new report {reference}\nCategory: SGBV/child protection\nCounty: Nakuru (032)\n", alert, StringComparison.Ordinal);
        Assert.Empty(await AlertsAsync(plain));
        Assert.Empty(await AlertsAsync(national));
    }

    [Fact]
    public async Task AnAlertSaysNothingOfTheReporterNorWhatTheyWrote()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.Admin, sensitive: true);
        var (hidden, anonymous) = await CitizenReportsAsync(app, "Nakuru", Firearms, hidden: true);
        var (named, known) = await CitizenReportsAsync(app, "Nakuru", Firearms);
        var (quiet, quietReporter) = await CitizenReportsAsync(app, "Nakuru", Gangs, hidden: true);
        await RunAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(20));   // the digest, at 07:00 Kenya time
        await RunAsync(app);

        var alerts = await AlertsAsync(officer);
        Assert.Equal(3, alerts.Count);
        Assert.Contains(alerts, a => a.StartsWith("URGENT: new report " + hidden, StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.StartsWith("URGENT: new report " + named, StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.StartsWith("Daily digest", StringComparison.Ordinal) && a.Contains(quiet, StringComparison.Ordinal));
        foreach (var text in alerts)
        {
            foreach (var phone in new[] { anonymous.Phone, known.Phone, quietReporter.Phone })
            {
                Assert.DoesNotContain(phone[4..], text, StringComparison.Ordinal);
                Assert.DoesNotContain(PhoneNumber.Mask(phone), text, StringComparison.Ordinal);
            }
            foreach (var word in new[] { Place, Narrative, "Mawingu", "rifles", "anonymous", "hidden", "Reporter", "Wanjiru" })
            {
                Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
            }
        }
        // Nor is a copy of the reporter's words kept for them: the outbox row is the officer's alone.
        var rows = await app.QueryAsync(db => db.Outbox.Where(o => o.Channel == Channel.Telegram).ToListAsync(Ct));
        Assert.All(rows.Where(o => IsAlert(officer, o)), o => Assert.Null(o.AboutPersonId));
    }

    [Fact]
    public async Task AnOfficerWhoTurnedAlertsOffHearsNothing()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        Assert.StartsWith("Alerts: off.", await officer.SendAsync("/alerts off"), StringComparison.Ordinal);
        await CitizenReportsAsync(app, "Nakuru", Firearms);
        await CitizenReportsAsync(app, "Nakuru", Gangs);

        await RunAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(22));
        await RunAsync(app);

        Assert.Empty(await AlertsAsync(officer));
        Assert.Equal(0, await app.QueryAsync(db => db.OfficerAlerts.CountAsync(Ct)));
    }

    [Fact]
    public async Task AnOfficerOnAlertsNowHearsOfEveryReportAtOnce()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        Assert.StartsWith("Alerts: every new report in your counties at once.", await officer.SendAsync("/alerts now"), StringComparison.Ordinal);
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru", Gangs);

        await RunAsync(app);
        var expected = $"""
            New report {reference}
            Category: Organised gangs
            County: Nakuru (032)
            Received: 28/11/2026 12:00 (Kenya time)
            Open it with the button or /report {reference}
            [op:r:{reference.Replace(" ", "", StringComparison.Ordinal)}: Open {reference}]
            """;
        Assert.Equal(Lf(expected), Assert.Single(await AlertsAsync(officer)));

        app.Clock.Advance(TimeSpan.FromHours(22));   // no digest on /alerts now
        await RunAsync(app);
        Assert.Single(await AlertsAsync(officer));
    }

    [Fact]
    public async Task AnOfficerWhoChoseKiswahiliIsAlertedInKiswahili()
    {
        await using var app = new JukwaaApp();
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        Assert.Contains("Choose language", await officer.SendAsync("hello"), StringComparison.Ordinal);
        await officer.PressAsync("2");   // Kiswahili
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru", Firearms);

        await RunAsync(app);
        var expected = $"""
            DHARURA: ripoti mpya {reference}
            Aina: Silaha haramu
            Kaunti: Nakuru (032)
            Ilipokelewa: 28/11/2026 12:00 (saa za Kenya)
            Ifungue kwa kitufe au /report {reference}
            [op:r:{reference.Replace(" ", "", StringComparison.Ordinal)}: Fungua {reference}]
            """;
        Assert.Equal(Lf(expected), Assert.Single(await AlertsAsync(officer)));
    }

    [Fact]
    public async Task AnOfficerIsNotAlertedOfReportsFromBeforeTheyWereRegistered()
    {
        await using var app = new JukwaaApp();
        await SeedReportAsync(app, Nakuru, "firearms", TimeSpan.FromHours(1));
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        await RunAsync(app);
        Assert.Empty(await AlertsAsync(officer));
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task TwoHostsAlertingAtOnceTellEachOfficerOfEachReportOnce(string provider)
    {
        await using var a = new JukwaaApp(provider: provider);
        var officers = new List<TelegramChat>();
        for (var i = 0; i < 3; i++) officers.Add(await OfficerAsync(a, "Officer " + i, OfficerRole.County, Nakuru));
        await officers[2].SendAsync("/alerts now");
        for (var i = 0; i < 10; i++) await SeedReportAsync(a, Nakuru, i % 2 == 0 ? "firearms" : "gangs", TimeSpan.Zero);
        await using var b = a.Twin();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => RunAsync(i % 2 == 0 ? a : b)));

        Assert.Equal(5, (await AlertsAsync(officers[0])).Count);
        Assert.Equal(5, (await AlertsAsync(officers[1])).Count);
        Assert.Equal(10, (await AlertsAsync(officers[2])).Count);
        Assert.Equal(20, await a.QueryAsync(db => db.OfficerAlerts.CountAsync(Ct)));
        foreach (var officer in officers)
        {
            var alerts = await AlertsAsync(officer);
            Assert.Equal(alerts.Count, alerts.Select(FirstLine).Distinct().Count());
        }
        Assert.DoesNotContain(a.Logs.Concat(b.Logs), l => l.Contains("Alerts pass failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APollIntervalOfZeroStopsTheHostNamingTheKey()
    {
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Alerts:PollInterval"] = "00:00:00" });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("Alerts:PollInterval must be longer than zero, not 00:00:00.", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An officer registered as <c>officers add --telegram-id</c> does: the id hashed for lookup and kept sealed for sending.</summary>
    private static async Task<TelegramChat> OfficerAsync(JukwaaApp app, string name, OfficerRole role, string counties = "", bool sensitive = false)
    {
        var chat = app.Telegram();
        var protector = app.Service<PersonalDataProtector>();
        var id = chat.UserId.ToString(CultureInfo.InvariantCulture);
        await app.QueryAsync(db =>
        {
            db.Officers.Add(new Officer
            {
                Name = name, Role = role, Counties = counties, SeesSensitive = sensitive,
                TelegramHash = protector.Hash("tg:" + id), TelegramSealed = protector.Seal(id), CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            });
            return db.SaveChangesAsync(Ct);
        });
        return chat;
    }

    /// <summary>A citizen reports by SMS, in English; returns the reference as printed and the citizen's phone.</summary>
    private static async Task<(string Reference, SmsPhone Reporter)> CitizenReportsAsync(JukwaaApp app, string county, string category, bool hidden = false)
    {
        var phone = app.Sms();
        await phone.SendAsync("hi");
        await phone.SendAsync("1");                  // English
        await phone.SendAsync("1");                  // Report an incident
        await phone.SendAsync(category);
        await phone.SendAsync(county);
        await phone.SendAsync("1");
        await phone.SendAsync(Place);
        await phone.SendAsync(Narrative);
        await phone.SendAsync(hidden ? "1" : "2");   // keep hidden: Yes / No
        var done = await phone.SendAsync("1");       // Submit
        return (Regex.Match(done!, @"\d{3} \d{3} \d{3}").Value, phone);
    }

    private static async Task SeedReportAsync(JukwaaApp app, string county, string category, TimeSpan age)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        await app.QueryAsync(db =>
        {
            var person = new Person { AddressHash = Guid.NewGuid().ToString("N"), AddressSealed = protector.Seal(JukwaaApp.RandomPhone()), CreatedAt = now };
            db.People.Add(person);
            db.Reports.Add(new Report
            {
                Reference = ReferenceNumber.New(), Category = category, CountyCode = county, PlaceSealed = protector.Seal(Place), DetailsSealed = protector.Seal(Narrative),
                ReporterId = person.Id, Channel = Channel.Sms, CreatedAt = now - age, StatusChangedAt = now - age,
            });
            return db.SaveChangesAsync(Ct);
        });
    }

    /// <summary>One pass, as the worker makes it, at the fake clock's time.</summary>
    private static async Task RunAsync(JukwaaApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OfficerAlerts>().RunOnceAsync(app.Clock.GetUtcNow().UtcDateTime, Ct);
    }

    /// <summary>The alerts the officer's chat was sent (not the answers to their commands), oldest first, as rendered.</summary>
    private static async Task<List<string>> AlertsAsync(TelegramChat officer) =>
        [.. (await officer.OutboxAsync()).Where(o => IsAlert(officer, o)).Select(officer.Render)];

    private static bool IsAlert(TelegramChat officer, OutboxMessage message) =>
        message.Kind == OutboxKind.Message && s_alertStarts.Any(s => officer.Render(message).StartsWith(s, StringComparison.Ordinal));

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string Lf(string text) => text.Replace("\r", "", StringComparison.Ordinal);
}
