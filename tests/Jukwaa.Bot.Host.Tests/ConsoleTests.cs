using System.Net;
using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The web console over HTTP, as a browser uses it: sign-in links, scope, triage, anti-forgery, the audit of sensitive reads.</summary>
public class ConsoleTests
{
    private const string Nakuru = "032";
    private const string Kisumu = "042";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<Officer> AddOfficerAsync(JukwaaApp app, string name, OfficerRole role, string counties = "", bool sensitive = false)
    {
        var officer = new Officer { Name = name, Role = role, Counties = counties, SeesSensitive = sensitive, CreatedAt = app.Clock.GetUtcNow().UtcDateTime };
        await app.QueryAsync(db =>
        {
            db.Officers.Add(officer);
            return db.SaveChangesAsync(Ct);
        });
        return officer;
    }

    /// <summary>A link as the verb and the Telegram command make it.</summary>
    private static async Task<string> LinkAsync(JukwaaApp app, Officer officer)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var token = scope.ServiceProvider.GetRequiredService<SignInLinks>().Issue(officer, app.Clock.GetUtcNow().UtcDateTime);
        await scope.ServiceProvider.GetRequiredService<Core.Conversations.IConversationStore>().SaveAsync(Ct);
        return SignInLinks.Link("http://localhost", token);
    }

    internal static async Task<ConsoleVisitor> SignedInAsync(JukwaaApp app, Officer officer)
    {
        var visitor = new ConsoleVisitor(app);
        using var signedIn = await visitor.SignInAsync(await LinkAsync(app, officer));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return visitor;
    }

    private static string Digits(string reference) => reference.Replace(" ", "", StringComparison.Ordinal);

    private static Task<ReportStatus> StatusAsync(JukwaaApp app, string reference) =>
        app.QueryAsync(db => db.Reports.Where(r => r.Reference == Digits(reference)).Select(r => r.Status).SingleAsync(Ct));

    [Fact]
    public async Task SignedOutTheConsoleSaysHowToSignInAndItsPagesSendYouThere()
    {
        await using var app = new JukwaaApp();
        var visitor = new ConsoleVisitor(app);
        var text = ConsoleVisitor.Text(await visitor.PageAsync("/console"));
        Assert.Contains("You are not signed in", text, StringComparison.Ordinal);
        Assert.Contains("send /console to the Jukwaa bot on Telegram", text, StringComparison.Ordinal);
        var (status, _) = await visitor.GetAsync("/console/reports");
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Contains("Hujaingia", ConsoleVisitor.Text(await visitor.PageAsync("/console?lang=sw")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOfficerSignsInWithALinkFromTelegramOnceAndTheCookieIsStrict()
    {
        await using var app = new JukwaaApp();
        var chat = await OfficerConsoleTests.OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var reply = await chat.SendAsync("/console");
        var link = Regex.Match(reply!, @"http://\S+/console/signin\?token=\S+").Value;
        Assert.StartsWith("Your link to the Jukwaa console, for you only and for one sign-in within 10 minutes:", reply, StringComparison.Ordinal);

        var visitor = new ConsoleVisitor(app);
        Assert.Contains("Sign in to the console as J. Otieno?", ConsoleVisitor.Text(await visitor.PageAsync(new Uri(link).PathAndQuery)), StringComparison.Ordinal);
        // Opening the link (as a link preview does) does not use it up: only the button does.
        Assert.Contains("Sign in to the console as J. Otieno?", ConsoleVisitor.Text(await visitor.PageAsync(new Uri(link).PathAndQuery)), StringComparison.Ordinal);
        using var signedIn = await visitor.SignInAsync(link);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/console", signedIn.Headers.Location?.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jukwaa_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var overview = ConsoleVisitor.Text(await visitor.PageAsync("/console"));
        Assert.Contains("J. Otieno (county officer)", overview, StringComparison.Ordinal);
        Assert.Contains("Your counties: Nakuru.", overview, StringComparison.Ordinal);

        // The same link again, in another browser: used.
        var other = new ConsoleVisitor(app);
        var (status, html) = await other.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("This sign-in link has been used already.", ConsoleVisitor.Text(html), StringComparison.Ordinal);
        Assert.Contains("You are not signed in", ConsoleVisitor.Text(await other.PageAsync("/console")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredForgedOrUsedTokenGetsAClearPageAndChangesNothing()
    {
        await using var app = new JukwaaApp();
        var officer = await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var visitor = new ConsoleVisitor(app);

        var (forged, forgedPage) = await visitor.GetAsync("/console/signin?token=" + new string('A', 43));
        Assert.Equal(HttpStatusCode.NotFound, forged);
        Assert.Contains("This is not a sign-in link we gave out. Nothing has changed.", ConsoleVisitor.Text(forgedPage), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/console/signin")).Status);

        var expiring = await LinkAsync(app, officer);
        var (_, page) = await visitor.GetAsync(new Uri(expiring).PathAndQuery);
        var token = Regex.Match(page, "name=\"token\" value=\"([^\"]+)\"").Groups[1].Value;
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        using var late = await visitor.PostAsync("/console/signin", new Dictionary<string, string> { ["token"] = token });
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("This sign-in link has expired.", ConsoleVisitor.Text(await late.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.False(late.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("jukwaa_console=", StringComparison.Ordinal)));
        Assert.Contains("You are not signed in", ConsoleVisitor.Text(await visitor.PageAsync("/console")), StringComparison.Ordinal);
        Assert.Null(await app.QueryAsync(db => db.SignInTokens.Select(t => t.UsedAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task APostWithoutTheAntiForgeryTokenIsRefusedAndChangesNothing()
    {
        await using var app = new JukwaaApp();
        var officer = await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var (reference, _) = await OfficerConsoleTests.CitizenReportsAsync(app, "Nakuru");

        // Sign-in: the link's own token without the form's anti-forgery token does not sign in or use the link.
        var link = await LinkAsync(app, officer);
        var stranger = new ConsoleVisitor(app);
        using var forgedSignIn = await stranger.PostAsync("/console/signin",
            new Dictionary<string, string> { ["token"] = Uri.UnescapeDataString(link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..]) }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forgedSignIn.StatusCode);
        Assert.Null(await app.QueryAsync(db => db.SignInTokens.Select(t => t.UsedAt).SingleAsync(Ct)));

        var visitor = new ConsoleVisitor(app);
        using (var signedIn = await visitor.SignInAsync(link)) Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var html = await visitor.PageAsync("/console/reports/" + Digits(reference));
        var version = Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        using var forged = await visitor.PostAsync("/console/reports/" + Digits(reference), new Dictionary<string, string> { ["action"] = "Review", ["version"] = version }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(ReportStatus.Received, await StatusAsync(app, reference));
        using var wrong = await visitor.PostAsync("/console/reports/" + Digits(reference),
            new Dictionary<string, string> { ["action"] = "Review", ["version"] = version, ["__RequestVerificationToken"] = "CfDJ8forged" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        using var signOut = await visitor.PostAsync("/console/signout", new Dictionary<string, string>(), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Contains("J. Otieno", ConsoleVisitor.Text(await visitor.PageAsync("/console")), StringComparison.Ordinal);
        Assert.Equal(ReportStatus.Received, await StatusAsync(app, reference));
    }

    [Fact]
    public async Task ATriageButtonMovesTheReportAndTheReporterIsTold()
    {
        await using var app = new JukwaaApp();
        var officer = await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var (reference, reporter) = await OfficerConsoleTests.CitizenReportsAsync(app, "Nakuru");
        var visitor = await SignedInAsync(app, officer);

        var queue = ConsoleVisitor.Text(await visitor.PageAsync("/console/reports"));
        Assert.Contains($"{reference} 28/11/2026", queue, StringComparison.Ordinal);
        var page = ConsoleVisitor.Text(await visitor.PageAsync("/console/reports/" + Digits(reference)));
        Assert.Contains("Where Near the bus stage", page, StringComparison.Ordinal);
        Assert.Contains("What happened Men collecting protection money", page, StringComparison.Ordinal);
        Assert.Contains("Reporter " + PhoneNumber.Mask(PhoneNumber.Normalize(reporter.Phone)!), page, StringComparison.Ordinal);
        Assert.Contains("Start review Reject Escalate", page, StringComparison.Ordinal);

        using var moved = await visitor.PostAsync("/console/reports/" + Digits(reference), new Dictionary<string, string> { ["action"] = "Review", ["version"] = "0", ["note"] = "Calling the chief" });
        Assert.Equal(HttpStatusCode.SeeOther, moved.StatusCode);
        var after = ConsoleVisitor.Text(await visitor.PageAsync(moved.Headers.Location!.OriginalString));
        Assert.Contains("Done: Received -> Under review. The reporter has been told, in English.", after, StringComparison.Ordinal);
        Assert.Contains("Received -> Under review by J. Otieno Calling the chief", after, StringComparison.Ordinal);
        Assert.Equal(ReportStatus.UnderReview, await StatusAsync(app, reference));
        Assert.Equal($"Your report {reference} is now: Under review.", (await reporter.RepliesAsync())[^1]);

        // A rejection needs a reason; without one nothing is done.
        using var bare = await visitor.PostAsync("/console/reports/" + Digits(reference), new Dictionary<string, string> { ["action"] = "Reject", ["version"] = "1" });
        Assert.Equal(HttpStatusCode.Conflict, bare.StatusCode);
        Assert.Contains("Nothing was done: a rejection needs a note", ConsoleVisitor.Text(await bare.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(ReportStatus.UnderReview, await StatusAsync(app, reference));
        using var rejected = await visitor.PostAsync("/console/reports/" + Digits(reference), new Dictionary<string, string> { ["action"] = "Reject", ["version"] = "1", ["note"] = "This is a land matter for the lands office" });
        Assert.Equal(HttpStatusCode.SeeOther, rejected.StatusCode);
        Assert.Equal($"Your report {reference} was not taken forward. The officer wrote: \"This is a land matter for the lands office\"", (await reporter.RepliesAsync())[^1]);
    }

    [Fact]
    public async Task TwoOfficersActAtOnceOneWinsTheOtherSeesTheReportAsItIsNow()
    {
        await using var app = new JukwaaApp();
        var first = await SignedInAsync(app, await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru));
        var second = await SignedInAsync(app, await AddOfficerAsync(app, "A. Wanjiku", OfficerRole.County, Nakuru));
        var (reference, reporter) = await OfficerConsoleTests.CitizenReportsAsync(app, "Nakuru");
        await first.PageAsync("/console/reports/" + Digits(reference));
        await second.PageAsync("/console/reports/" + Digits(reference));

        using var won = await first.PostAsync("/console/reports/" + Digits(reference), new Dictionary<string, string> { ["action"] = "Review", ["version"] = "0" });
        Assert.Equal(HttpStatusCode.SeeOther, won.StatusCode);
        using var lost = await second.PostAsync("/console/reports/" + Digits(reference), new Dictionary<string, string> { ["action"] = "Escalate", ["version"] = "0" });
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        var text = ConsoleVisitor.Text(await lost.Content.ReadAsStringAsync(Ct));
        Assert.Contains($"Report {reference} was changed by J. Otieno on 28/11/2026 09:00: it is now Under review. Nothing was done.", text, StringComparison.Ordinal);
        Assert.Contains("Status Under review", text, StringComparison.Ordinal);
        Assert.Contains("Verify Reject Escalate", text, StringComparison.Ordinal);     // what they may do now
        Assert.Equal(ReportStatus.UnderReview, await StatusAsync(app, reference));
        Assert.Single(await reporter.RepliesAsync(), r => r.StartsWith("Your report", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReportOrCountyOutsideTheOfficersReachIsNotFound()
    {
        await using var app = new JukwaaApp();
        var (kisumu, _) = await OfficerConsoleTests.CitizenReportsAsync(app, "Kisumu");
        var visitor = await SignedInAsync(app, await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru));

        var (status, html) = await visitor.GetAsync("/console/reports/" + Digits(kisumu));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("protection money", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/console/reports/123456789")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/console/counties/" + Kisumu)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/console/reports?county=" + Kisumu)).Status);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/console/counties/" + Nakuru)).Status);
        Assert.DoesNotContain(Digits(kisumu), (await visitor.GetAsync("/console/reports?status=all")).Html, StringComparison.Ordinal);
        using var act = await visitor.PostAsync("/console/reports/" + Digits(kisumu), new Dictionary<string, string> { ["action"] = "Review", ["version"] = "0" });
        Assert.Equal(HttpStatusCode.NotFound, act.StatusCode);
        Assert.Equal(ReportStatus.Received, await StatusAsync(app, kisumu));

        // A national officer reads every county and changes none.
        var national = await SignedInAsync(app, await AddOfficerAsync(app, "Nairobi HQ", OfficerRole.National));
        var page = ConsoleVisitor.Text(await national.PageAsync("/console/reports/" + Digits(kisumu)));
        Assert.DoesNotContain("Move this report", page, StringComparison.Ordinal);
        using var refused = await national.PostAsync("/console/reports/" + Digits(kisumu), new Dictionary<string, string> { ["action"] = "Review", ["version"] = "0" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(ReportStatus.Received, await StatusAsync(app, kisumu));
    }

    [Fact]
    public async Task ReadingASensitiveNarrativeIsRecordedAndShownInTheHistory()
    {
        await using var app = new JukwaaApp();
        var protector = app.Service<PersonalDataProtector>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var report = new Report
        {
            Reference = ReferenceNumber.New(), Category = "sgbv", CountyCode = Nakuru, PlaceSealed = protector.Seal("Behind the market"),
            DetailsSealed = protector.Seal("A girl is kept from school"), Anonymous = true, Channel = Channel.Sms, CreatedAt = now, StatusChangedAt = now,
        };
        await app.QueryAsync(db =>
        {
            var person = new Person { AddressHash = "h", AddressSealed = protector.Seal("+254700111333"), CreatedAt = now };
            db.People.Add(person);
            report.ReporterId = person.Id;
            db.Reports.Add(report);
            return db.SaveChangesAsync(Ct);
        });
        var plain = await SignedInAsync(app, await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru));
        Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync("/console/reports/" + report.Reference)).Status);
        Assert.DoesNotContain(report.Reference, await plain.PageAsync("/console/reports?status=all"), StringComparison.Ordinal);

        var allowed = await AddOfficerAsync(app, "A. Wanjiku", OfficerRole.County, Nakuru, sensitive: true);
        var visitor = await SignedInAsync(app, allowed);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var page = ConsoleVisitor.Text(await visitor.PageAsync("/console/reports/" + report.Reference));
        Assert.Contains("What happened A girl is kept from school", page, StringComparison.Ordinal);
        Assert.Contains("Reporter hidden (asked to stay anonymous)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("0700", page, StringComparison.Ordinal);
        Assert.DoesNotContain("333", page, StringComparison.Ordinal);
        Assert.Contains("28/11/2026 12:05 EAT narrative read by A. Wanjiku", page, StringComparison.Ordinal);
        var reads = await app.QueryAsync(db => db.ReportEvents.Where(e => e.ReportId == report.Id && e.Kind == ReportEventKind.NarrativeRead).ToListAsync(Ct));
        Assert.Equal(allowed.Id, Assert.Single(reads).OfficerId);
        Assert.Equal(now.AddMinutes(5), reads[0].At);
    }

    [Fact]
    public async Task ADisabledOfficersSessionEndsAtTheirNextRequest()
    {
        await using var app = new JukwaaApp();
        var officer = await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var visitor = await SignedInAsync(app, officer);
        Assert.Contains("J. Otieno", ConsoleVisitor.Text(await visitor.PageAsync("/console")), StringComparison.Ordinal);
        await app.QueryAsync(db => db.Officers.Where(o => o.Id == officer.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Disabled, true), Ct));
        Assert.Contains("You are not signed in", ConsoleVisitor.Text(await visitor.PageAsync("/console")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, (await visitor.GetAsync("/console/reports")).Status);
        // And a link issued before cannot sign them in again.
        var again = new ConsoleVisitor(app);
        var (status, _) = await again.GetAsync(new Uri(await LinkAsync(app, officer)).PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task TheOverviewCountsTheOfficersScopeOnly()
    {
        await using var app = new JukwaaApp();
        await OfficerConsoleTests.CitizenReportsAsync(app, "Nakuru");
        await OfficerConsoleTests.CitizenReportsAsync(app, "Nakuru");
        await OfficerConsoleTests.CitizenReportsAsync(app, "Kisumu");
        var visitor = await SignedInAsync(app, await AddOfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru));
        var html = await visitor.PageAsync("/console");
        var text = ConsoleVisitor.Text(html);
        Assert.Contains("New in the last 7 days 2 (the 7 days before: 0)", text, StringComparison.Ordinal);
        Assert.Contains("Open reports 2", text, StringComparison.Ordinal);
        Assert.Contains("Nakuru: 2 open", html, StringComparison.Ordinal);
        Assert.Contains("Kisumu: outside your counties", html, StringComparison.Ordinal);
        Assert.Equal(47, Regex.Count(html, "<path "));
        Assert.Equal(1, Regex.Count(html, "<a href=\"/console/counties/"+ Nakuru + "\" aria-label="));
        var sw = ConsoleVisitor.Text(await visitor.PageAsync("/console?lang=sw"));
        Assert.Contains("Mpya siku 7 zilizopita 2", sw, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.GetAsync("/console?lang=fr")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.GetAsync("/console?shade=%3Cscript%3E")).Status);
        Assert.DoesNotContain("<script", (await visitor.GetAsync("/console/reports?status=%3Cscript%3E")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentTheCookieIsSecureAndLinksNeedThePublicAddress()
    {
        await using var unset = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "true" });
        var chat = await OfficerConsoleTests.OfficerAsync(unset, "J. Otieno", OfficerRole.County, Nakuru);
        Assert.Equal("The web console's address is not configured yet (Console:PublicBaseUrl). Please tell the administrator.", await chat.SendAsync("/console"));

        await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://jukwaa.example.go.ke", ["Database:MigrateOnStart"] = "true" });
        var officer = await OfficerConsoleTests.OfficerAsync(app, "J. Otieno", OfficerRole.County, Nakuru);
        var link = Regex.Match((await officer.SendAsync("/console"))!, @"\S+/console/signin\?token=\S+").Value;
        Assert.StartsWith("https://jukwaa.example.go.ke/console/signin?token=", link, StringComparison.Ordinal);
        var visitor = new ConsoleVisitor(app, new Uri("https://jukwaa.example.go.ke"));
        using var signedIn = await visitor.SignInAsync(link);
        Assert.Contains("secure", signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jukwaa_console=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TwoHostsBehindOneTlsProxyAcceptEachOthersSignInAndFormsWithKeysSealedInTheDatabase()
    {
        var settings = new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "https://jukwaa.example.go.ke", ["Database:MigrateOnStart"] = "true" };
        await using var first = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: settings);
        var officer = await AddOfficerAsync(first, "J. Otieno", OfficerRole.County, Nakuru);
        var (reference, _) = await OfficerConsoleTests.CitizenReportsAsync(first, "Nakuru");
        await using var second = first.Twin();

        // The browser signs in through the proxy, which sent it to the first host; its next requests go to the second.
        var cookies = new CookieContainer();
        var toFirst = ConsoleVisitor.BehindTlsProxy(first, cookies);
        using var signedIn = await toFirst.SignInAsync(await LinkAsync(first, officer));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains("secure", signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jukwaa_console=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        var toSecond = ConsoleVisitor.BehindTlsProxy(second, cookies);
        Assert.Contains("J. Otieno", ConsoleVisitor.Text(await toSecond.PageAsync("/console")), StringComparison.Ordinal);
        await toFirst.PageAsync($"/console/reports/{Digits(reference)}");
        // A form from the first host's page, posted to the second.
        using var moved = await toSecond.PostAsync($"/console/reports/{Digits(reference)}",
            new Dictionary<string, string> { ["action"] = "Review", ["version"] = "0", ["note"] = "", ["__RequestVerificationToken"] = toFirst.FormToken! }, withToken: false);
        Assert.Equal(HttpStatusCode.SeeOther, moved.StatusCode);
        Assert.Equal(ReportStatus.UnderReview, await StatusAsync(first, reference));

        // The key ring is in the database, one key, and what is stored there is sealed with Protection:EncryptionKey.
        var stored = await first.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Ct));
        var key = Assert.Single(stored);
        Assert.Contains("decryptorType=\"Jukwaa.Bot.Host.Web.Console.SealedKeyXmlDecryptor", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APublicAddressThatIsNotHttpsStopsAProductionHost()
    {
        await using var app = new JukwaaApp(webhookSecret: "s3cret", environment: "Production", settings: new Dictionary<string, string?> { ["Console:PublicBaseUrl"] = "http://jukwaa.example.go.ke" });
        var problem = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Console:PublicBaseUrl must be https outside Development", string.Join(" ", Hosting.StartupProblems.From(problem)), StringComparison.Ordinal);
    }
}
