using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

public class OfficerConsoleTests
{
    private const string Nakuru = "032";
    private const string Kisumu = "042";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<TelegramChat> OfficerAsync(JukwaaApp app, string name, OfficerRole role, string counties = "", bool sensitive = false)
    {
        var chat = app.Telegram();
        var protector = app.Service<PersonalDataProtector>();
        await app.QueryAsync(db =>
        {
            db.Officers.Add(new Officer
            {
                Name = name, Role = role, Counties = counties, SeesSensitive = sensitive,
                TelegramHash = protector.Hash("tg:" + chat.UserId), CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            });
            return db.SaveChangesAsync(Ct);
        });
        return chat;
    }

    /// <summary>A citizen reports by SMS, as in real life; returns the reference as printed and the citizen's phone.</summary>
    internal static async Task<(string Reference, SmsPhone Reporter)> CitizenReportsAsync(
        JukwaaApp app, string county, string category = "2", bool hidden = false, string language = "1")
    {
        var phone = app.Sms();
        await phone.SendAsync("hi");
        await phone.SendAsync(language);             // 1 English, 2 Kiswahili
        await phone.SendAsync("1");                  // Report an incident
        await phone.SendAsync(category);
        await phone.SendAsync(county);
        await phone.SendAsync("1");
        await phone.SendAsync("Near the bus stage");
        await phone.SendAsync("Men collecting protection money");
        await phone.SendAsync(hidden ? "1" : "2");   // Yes / No
        var done = await phone.SendAsync("1");       // Submit
        return (Regex.Match(done!, @"\d{3} \d{3} \d{3}").Value, phone);
    }

    private static async Task SeedReportAsync(JukwaaApp app, string county, string category, TimeSpan age, ReportStatus status = ReportStatus.Received, TimeSpan? firstActionAfter = null)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var protector = app.Service<PersonalDataProtector>();
        await app.QueryAsync(db =>
        {
            var person = new Person { AddressHash = Guid.NewGuid().ToString("N"), AddressSealed = protector.Seal("+254700111222"), CreatedAt = now };
            db.People.Add(person);
            db.Reports.Add(new Report
            {
                Reference = Core.Domain.ReferenceNumber.New(), Category = category, CountyCode = county, PlaceSealed = protector.Seal("p"), DetailsSealed = protector.Seal("d"),
                ReporterId = person.Id, Channel = Channel.Sms, Status = status, CreatedAt = now - age, StatusChangedAt = now - age,
                FirstActionAt = firstActionAfter is { } after ? now - age + after : null,
                FirstActionMinutes = firstActionAfter is { } minutes ? (int)minutes.TotalMinutes : null,
            });
            return db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task ACitizenCannotUseOfficerCommands()
    {
        await using var app = new JukwaaApp();
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru");
        var citizen = app.Telegram();
        Assert.Equal("This command is for registered officers.", await citizen.SendAsync("/reports Nakuru"));
        Assert.Equal("This command is for registered officers.", await citizen.SendAsync("/report " + reference));
        Assert.Equal("This command is for registered officers.", await citizen.PressAsync($"op:a:{reference.Replace(" ", "", StringComparison.Ordinal)}:Review"));
        Assert.Equal(ReportStatus.Received, await app.QueryAsync(db => db.Reports.Select(r => r.Status).SingleAsync(Ct)));
        // /status with a reference is the citizens' STATUS keyword.
        Assert.StartsWith($"Report {reference}: Received.", await citizen.SendAsync("/status " + reference), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountyStatusCountsOpenReportsNewThisWeekTheMedianFirstActionAndTheOldest()
    {
        await using var app = new JukwaaApp();
        await SeedReportAsync(app, Nakuru, "gangs", TimeSpan.FromDays(2));
        await SeedReportAsync(app, Nakuru, "gangs", TimeSpan.FromDays(3), ReportStatus.UnderReview, firstActionAfter: TimeSpan.FromDays(1));
        await SeedReportAsync(app, Nakuru, "land", TimeSpan.FromDays(10), ReportStatus.Verified, firstActionAfter: TimeSpan.FromDays(2));
        await SeedReportAsync(app, Nakuru, "land", TimeSpan.FromDays(12), ReportStatus.Closed, firstActionAfter: TimeSpan.FromDays(3));
        await SeedReportAsync(app, Nakuru, "sgbv", TimeSpan.FromDays(1));
        await SeedReportAsync(app, Kisumu, "gangs", TimeSpan.FromDays(1));
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);

        var status = await officer.SendAsync("/status nakuru");
        var expected = """
            Nakuru (032) on 28/11/2026
            Open reports: 3
              Organised gangs: 2
              Land dispute/fraud: 1
            New in the last 7 days: 2 (the 7 days before: 2)
            Median time to first action: 2.0 days
            Oldest open report: REF, 10 days, Verified
            Questionnaire responses: none yet
            Sensitive categories are not counted for you.
            """;
        Assert.Equal(expected.Replace("\r", "", StringComparison.Ordinal), Regex.Replace(status!, @"\d{3} \d{3} \d{3}", "REF"));

        var allowed = await OfficerAsync(app, "A. Wanjiku", OfficerRole.County, Nakuru, sensitive: true);
        Assert.Contains("Open reports: 4", await allowed.SendAsync("/status 032"), StringComparison.Ordinal);

        using var elder = app.Call();
        await elder.DialAsync();
        await elder.SendAsync("1");
        await elder.SendAsync("3");
        await elder.SendAsync("Nakuru");
        Assert.Contains("Forum questionnaire: 0 responses complete, 1 not finished", await officer.SendAsync("/status Nakuru"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOfficerOfOneCountyCanNeitherSeeNorChangeAnother()
    {
        await using var app = new JukwaaApp();
        var (reference, _) = await CitizenReportsAsync(app, "Kisumu");
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);

        Assert.Equal("Kisumu is outside your counties.", await officer.SendAsync("/status Kisumu"));
        Assert.Equal("Kisumu is outside your counties.", await officer.SendAsync("/reports Kisumu"));
        Assert.Equal($"No report {reference} in your counties.", await officer.SendAsync("/report " + reference));
        var digits = reference.Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal($"No report {digits} in your counties.", await officer.PressAsync($"op:a:{digits}:Review"));
        Assert.Equal(ReportStatus.Received, await app.QueryAsync(db => db.Reports.Select(r => r.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task TriageMovesTheReportRecordsWhoDidItAndTellsTheReporter()
    {
        await using var app = new JukwaaApp();
        var (reference, reporter) = await CitizenReportsAsync(app, "Nakuru");
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var digits = reference.Replace(" ", "", StringComparison.Ordinal);

        var shown = await officer.SendAsync("/report " + reference);
        Assert.Contains($"Report {reference}\nCategory: Organised gangs\nCounty: Nakuru (032)\nStatus: Received since 28/11/2026", shown, StringComparison.Ordinal);
        Assert.Contains("What happened: Men collecting protection money", shown, StringComparison.Ordinal);
        Assert.EndsWith($"[op:a:{digits}:Review:0: Start review]\n[op:a:{digits}:Reject:0: Reject]\n[op:a:{digits}:Escalate:0: Escalate]", shown, StringComparison.Ordinal);

        Assert.Equal($"Report {reference}: Received -> Under review. The reporter has been told.", await officer.PressAsync($"op:a:{digits}:Review"));
        Assert.Equal($"Your report {reference} is now: Under review.", (await reporter.RepliesAsync())[^1]);
        app.Clock.Advance(TimeSpan.FromHours(5));
        await officer.PressAsync($"op:a:{digits}:Verify");

        var history = await officer.SendAsync("/report " + digits);
        Assert.Contains("History:\n28/11/2026 09:00 Received -> Under review (J. Otieno)\n28/11/2026 14:00 Under review -> Verified (J. Otieno)", history, StringComparison.Ordinal);
        Assert.EndsWith($"[op:a:{digits}:TakeAction:2: Action taken]\n[op:a:{digits}:Escalate:2: Escalate]", history, StringComparison.Ordinal);
        var report = await app.QueryAsync(db => db.Reports.SingleAsync(Ct));
        Assert.Equal((ReportStatus.Verified, new DateTime(2026, 11, 28, 9, 0, 0)), (report.Status, report.FirstActionAt));
        Assert.Equal(2, await app.QueryAsync(db => db.ReportEvents.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task TwoOfficersPressingConflictingButtonsAtOnceMoveEachReportOnce(string provider)
    {
        await using var app = new JukwaaApp(provider: provider);
        for (var i = 0; i < 25; i++) await SeedReportAsync(app, Nakuru, "gangs", TimeSpan.FromDays(1));
        var a = await OfficerAsync(app, "A. Officer", OfficerRole.County, Nakuru);
        var b = await OfficerAsync(app, "B. Officer", OfficerRole.County, Nakuru);
        var references = await app.QueryAsync(db => db.Reports.Select(r => r.Reference).ToListAsync(Ct));

        // Both open every report; then, for each, A presses Review and B presses Escalate at the same moment.
        var presses = new List<(TelegramChat Chat, string Data)>();
        foreach (var reference in references)
        {
            presses.Add((a, Button(await a.SendAsync("/report " + reference), "Review")));
            presses.Add((b, Button(await b.SendAsync("/report " + reference), "Escalate")));
        }
        var before = await app.QueryAsync(db => db.Outbox.MaxAsync(o => o.Id, Ct));
        var statuses = await Task.WhenAll(presses.Select(p => PostAsync(p.Chat, p.Chat.CallbackUpdate(p.Data))));
        Assert.All(statuses, s => Assert.Equal(System.Net.HttpStatusCode.OK, s));

        var events = await app.QueryAsync(db => db.ReportEvents.ToListAsync(Ct));
        var reports = await app.QueryAsync(db => db.Reports.ToDictionaryAsync(r => r.Id, Ct));
        Assert.All(reports.Values, r => Assert.Single(events, e => e.ReportId == r.Id));
        Assert.All(events, e => Assert.Equal((ReportStatus.Received, reports[e.ReportId].Status), (e.From, e.To)));
        var toReporters = await app.QueryAsync(db => db.Outbox.Where(o => o.Channel == Channel.Sms).Select(o => o.PersonId).ToListAsync(Ct));
        Assert.Equal(reports.Values.Select(r => r.ReporterId).Order(), toReporters.Order());

        // Each officer had one answer per press: the winner's change, or the loser's "it changed" with the status now.
        var answers = (await a.OutboxAsync()).Concat(await b.OutboxAsync()).Where(o => o.Kind == OutboxKind.Message && o.Id > before).Select(a.Render).ToList();
        Assert.Equal(50, answers.Count);
        foreach (var report in reports.Values)
        {
            var shown = Core.Domain.ReferenceNumber.Format(report.Reference);
            var status = report.Status == ReportStatus.Escalated ? "Escalated" : "Under review";
            Assert.Single(answers, t => t == $"Report {shown}: Received -> {status}. The reporter has been told.");
            var winner = report.Status == ReportStatus.Escalated ? "B. Officer" : "A. Officer";
            Assert.Single(answers, t => t.StartsWith($"Report {shown} was changed by {winner} on 28/11/2026 09:00: it is now {status}. Nothing was done.", StringComparison.Ordinal));
        }
    }

    /// <summary>The data of the button with this action on a /report screen.</summary>
    private static string Button(string? screen, string action) => Regex.Match(screen!, $@"\[(op:a:\d{{9}}:{action}(?::\d+)?): ").Groups[1].Value;

    private static async Task<System.Net.HttpStatusCode> PostAsync(TelegramChat chat, string update)
    {
        using var response = await chat.PostAsync(update);
        return response.StatusCode;
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task TheDatabaseHoldsOneActiveOfficerPerTelegramAccount(string provider)
    {
        await using var app = new JukwaaApp(provider: provider);
        var hash = app.Service<PersonalDataProtector>().Hash("tg:5551234");
        Officer New(string name, bool disabled = false) => new()
        {
            Name = name, Role = OfficerRole.County, Counties = Nakuru, TelegramHash = hash, Disabled = disabled, CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
        };
        await app.QueryAsync(db =>
        {
            db.Officers.AddRange(New("Old post", disabled: true), New("J. Otieno"));
            return db.SaveChangesAsync(Ct);
        });
        await Assert.ThrowsAsync<DbUpdateException>(() => app.QueryAsync(db =>
        {
            db.Officers.Add(New("A. Wanjiku"));
            return db.SaveChangesAsync(Ct);
        }));
        Assert.Equal(["J. Otieno", "Old post"], await app.QueryAsync(db => db.Officers.OrderBy(o => o.Name).Select(o => o.Name).ToListAsync(Ct)));
    }

    [Fact]
    public async Task RejectingNeedsAReasonAndTheReporterHearsIt()
    {
        await using var app = new JukwaaApp();
        var (reference, reporter) = await CitizenReportsAsync(app, "Nakuru");
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var digits = reference.Replace(" ", "", StringComparison.Ordinal);

        var how = $"To reject, send: /reject {reference} and the reason. The reporter will read your reason word for word (up to 90 characters), in a message in English.";
        Assert.Equal(how, await officer.PressAsync($"op:a:{digits}:Reject"));
        Assert.Equal(how, await officer.SendAsync("/reject " + reference));
        Assert.Equal($"Report {reference}: Received -> Rejected. The reporter has been told, in English, with your reason as you wrote it: \"Same as report 123 456 786\"",
            await officer.SendAsync($"/reject {reference} Same as report 123 456 786"));
        Assert.Equal($"Your report {reference} was not taken forward. The officer wrote: \"Same as report 123 456 786\"", (await reporter.RepliesAsync())[^1]);
        Assert.Contains("Received -> Rejected (J. Otieno): Same as report 123 456 786", await officer.SendAsync("/report " + reference), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKiswahiliReporterReadsTheOfficersReasonQuotedInAKiswahiliSentence()
    {
        await using var app = new JukwaaApp();
        var (reference, reporter) = await CitizenReportsAsync(app, "Nakuru", language: "2");
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var digits = reference.Replace(" ", "", StringComparison.Ordinal);

        // The officer is told, before and after, that the reporter reads Swahili and will see the reason as typed.
        Assert.Equal($"To reject, send: /reject {reference} and the reason. The reporter will read your reason word for word (up to 90 characters), in a message in Swahili.",
            await officer.PressAsync($"op:a:{digits}:Reject"));
        var reason = "Duplicate of an earlier report — “already with the OCS” 👍, and the chief has been told about the traders' complaints at the stage";
        var told = await officer.SendAsync($"/reject {reference} {reason}");
        Assert.Equal($"Report {reference}: Received -> Rejected. The reporter has been told, in Swahili, with your reason as you wrote it: " +
            "\"Duplicate of an earlier report - \"already with the OCS\" ??, and the chief has been told..\"", told);

        // The reporter's sentence is fixed and in Kiswahili; the officer's words are a quote, GSM-7, in one SMS.
        var text = (await reporter.RepliesAsync())[^1];
        Assert.Equal($"Ripoti yako {reference} haikuendelezwa. Afisa aliandika: " +
            "\"Duplicate of an earlier report - \"already with the OCS\" ??, and the chief has been told..\"", text);
        Assert.Equal(1, Core.Text.Gsm7.SmsParts(text));
        Assert.True(Core.Text.Gsm7.IsGsm7(text));
    }

    [Fact]
    public async Task AnAnonymousReporterAppearsInNoOfficerFacingText()
    {
        await using var app = new JukwaaApp();
        var (hidden, anonymous) = await CitizenReportsAsync(app, "Nakuru", hidden: true);
        var (open, named) = await CitizenReportsAsync(app, "Nakuru");
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.Admin);

        Assert.Contains("Reporter: hidden (asked to stay anonymous)", await officer.SendAsync("/report " + hidden), StringComparison.Ordinal);
        Assert.Contains("Reporter: " + PhoneNumber.Mask(named.Phone), await officer.SendAsync("/report " + open), StringComparison.Ordinal);
        await officer.SendAsync("/reports Nakuru");
        await officer.SendAsync("/status Nakuru");
        await officer.PressAsync("op:a:" + hidden.Replace(" ", "", StringComparison.Ordinal) + ":Review");

        var officerTexts = (await officer.OutboxAsync()).Select(officer.Render).ToList();
        Assert.NotEmpty(officerTexts);
        foreach (var text in officerTexts)
        {
            Assert.DoesNotContain(anonymous.Phone[4..], text, StringComparison.Ordinal);
            Assert.DoesNotContain(named.Phone[4..], text, StringComparison.Ordinal);
        }
        Assert.Equal($"Your report {hidden} is now: Under review.", (await anonymous.RepliesAsync())[^1]);
    }

    [Fact]
    public async Task SensitiveReportsReachOnlyOfficersAllowedToSeeThem()
    {
        await using var app = new JukwaaApp();
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru", category: "7");   // SGBV / child protection
        var plain = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var desk = await OfficerAsync(app, "Gender desk", OfficerRole.County, Nakuru, sensitive: true);

        Assert.Equal($"No report {reference} in your counties.", await plain.SendAsync("/report " + reference));
        Assert.Equal("No reports.", await plain.SendAsync("/reports"));
        Assert.Contains("Category: SGBV/child protection", await desk.SendAsync("/report " + reference), StringComparison.Ordinal);
        Assert.Contains(reference, await desk.SendAsync("/reports"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NationalOfficersReadEveryCountyButChangeNothing()
    {
        await using var app = new JukwaaApp();
        var (reference, _) = await CitizenReportsAsync(app, "Kisumu");
        var national = await OfficerAsync(app, "HQ", OfficerRole.National);
        var shown = await national.SendAsync("/report " + reference);
        Assert.DoesNotContain("[op:a:", shown, StringComparison.Ordinal);
        Assert.Equal($"You cannot do that to report {reference} now.", await national.PressAsync("op:a:" + reference.Replace(" ", "", StringComparison.Ordinal) + ":Review"));
    }

    [Fact]
    public async Task AnEscalatedReportWaitsForARegionalOfficer()
    {
        await using var app = new JukwaaApp();
        var (reference, _) = await CitizenReportsAsync(app, "Nakuru");
        var county = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var regional = await OfficerAsync(app, "Rift Valley", OfficerRole.Regional, $"{Nakuru},033");
        var digits = reference.Replace(" ", "", StringComparison.Ordinal);

        Assert.Equal($"Report {reference}: Received -> Escalated. The reporter has been told.", await county.PressAsync($"op:a:{digits}:Escalate"));
        Assert.DoesNotContain("[op:a:", await county.SendAsync("/report " + reference), StringComparison.Ordinal);
        Assert.EndsWith($"[op:a:{digits}:Review:1: Start review]\n[op:a:{digits}:Reject:1: Reject]", await regional.SendAsync("/report " + reference), StringComparison.Ordinal);
        Assert.Equal($"Report {reference}: Escalated -> Under review. The reporter has been told.", await regional.PressAsync($"op:a:{digits}:Review"));
    }

    [Fact]
    public async Task ReportsArePagedWithAButtonForTheNextPage()
    {
        await using var app = new JukwaaApp();
        for (var i = 0; i < 7; i++) await SeedReportAsync(app, Nakuru, "gangs", TimeSpan.FromDays(7 - i));
        await SeedReportAsync(app, Nakuru, "gangs", TimeSpan.FromDays(9), ReportStatus.Closed);
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);

        var first = await officer.SendAsync("/reports");
        Assert.StartsWith("Nakuru: open reports, oldest first, page 1", first, StringComparison.Ordinal);
        Assert.Equal(5, Regex.Count(first!, @"\[op:r:\d{9}: Open"));
        Assert.EndsWith("[op:l:032:0:2: Next page]", first, StringComparison.Ordinal);
        var second = await officer.PressAsync("op:l:032:0:2");
        Assert.StartsWith("Nakuru: open reports, oldest first, page 2", second, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(second!, @"\[op:r:\d{9}: Open"));
        Assert.DoesNotContain("Next page", second, StringComparison.Ordinal);
        Assert.StartsWith("Nakuru: Closed reports, oldest first, page 1", await officer.SendAsync("/reports Nakuru closed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATelegramReporterHearsOnTelegram()
    {
        await using var app = new JukwaaApp();
        var citizen = app.Telegram();
        await citizen.SendAsync("/start");
        await citizen.PressAsync("1");
        await citizen.PressAsync("1");
        await citizen.PressAsync("2");
        await citizen.SendAsync("Nakuru");
        await citizen.PressAsync("1");
        await citizen.SendAsync("Free area");
        await citizen.SendAsync("Extortion of traders");
        await citizen.PressAsync("2");
        var done = await citizen.PressAsync("1");
        var reference = Regex.Match(done!, @"\d{3} \d{3} \d{3}").Value;
        var officer = await OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);

        Assert.Contains("Reporter: Telegram", await officer.SendAsync("/report " + reference), StringComparison.Ordinal);
        await officer.PressAsync("op:a:" + reference.Replace(" ", "", StringComparison.Ordinal) + ":Review");
        var told = (await citizen.OutboxAsync()).Where(m => m.Kind == OutboxKind.Message).Last();
        Assert.Equal($"Your report {reference} is now: Under review.", citizen.Render(told));
    }
}
