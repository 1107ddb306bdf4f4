using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// The web console in a real browser (Debian's Chromium driven by Playwright), as a county officer uses it on a
/// phone and at a desk: the link printed by <c>officers signin-link</c>, the overview and its map, the queue, a
/// report in another county, a triage button, a forged POST, both languages. Screenshots are kept with the results.
/// </summary>
public class ConsoleBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACountyOfficerSignsInWithThePrintedLinkReadsTheMapAndTriagesInEitherLanguage()
    {
        await using var app = new JukwaaApp();
        app.UseKestrel(0);
        app.StartServer();
        // The verb runs in its own process on the real clock; the host's clock agrees with it.
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var address = TestBrowser.Address(app);

        await OfficerConsoleTests.OfficerAsync(app, "J. Otieno", OfficerRole.County, "032");
        var (nakuru, reporter) = await OfficerConsoleTests.CitizenReportsAsync(app, "Nakuru");
        var (kisumu, _) = await OfficerConsoleTests.CitizenReportsAsync(app, "Kisumu");
        var officerId = await app.QueryAsync(db => db.Officers.Where(o => o.Name == "J. Otieno").Select(o => o.Id).SingleAsync(Ct));

        // The verb, as an administrator runs it against the same database and keys.
        var environment = app.Settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["Console__PublicBaseUrl"] = address;
        var (exit, printed, said) = await CommandLineTests.RunAsync(environment, "officers", "signin-link", officerId.ToString());
        Assert.True(exit == 0, said);
        var link = printed.Trim();
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/console/signin\?token=[A-Za-z0-9_-]+$", link);
        Assert.Contains("For J. Otieno only", said, StringComparison.Ordinal);

        await using var chromium = await TestBrowser.LaunchAsync();
        var browser = chromium.Browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text} ({message.Location})");
        page.PageError += (_, error) => console.Add("page error: " + error);

        // Signing in: the link shows who it is for; the button signs in and lands on the overview.
        await page.GotoAsync(link);
        Assert.Equal("Sign in to the console as J. Otieno?", await page.Locator("main p, main h1").Filter(new LocatorFilterOptions { HasText = "J. Otieno" }).First.InnerTextAsync());
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        Assert.Equal(address + "/console", page.Url);
        Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator("script").CountAsync());

        // The map: 47 counties, each with a name a screen reader reads; Nakuru a link with its open count, Kisumu grey.
        var map = page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Open reports by county" });
        Assert.Equal(47, await map.Locator("path").CountAsync());
        var names = await map.Locator("path").EvaluateAllAsync<string[]>("paths => paths.map(p => (p.closest('a') ?? p).getAttribute('aria-label') ?? '')");
        Assert.Equal(47, names.Distinct().Count(name => name.Length > 0));
        Assert.Equal(1, await map.GetByRole(AriaRole.Link).CountAsync());
        Assert.Equal("/console/counties/032", await map.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Nakuru: 1 open" }).GetAttributeAsync("href"));
        Assert.Contains("Kisumu: outside your counties", names);
        Assert.Equal(["0", "1", "2", "3", "4+", "outside your counties"], (await page.Locator("ul.map-legend li").AllInnerTextsAsync()).Select(t => t.Trim()));
        var caption = await page.Locator("figcaption").First.InnerTextAsync();
        Assert.StartsWith("County boundaries (c) OpenStreetMap contributors", caption, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(caption, "openstreetmap.org/copyright"));
        await TestBrowser.ScreenshotAsync(page, "console-overview-390.png");
        Assert.Equal("", await TestBrowser.WiderThanThePageAsync(page));

        // Another county's report, typed into the address bar: not found, as on Telegram.
        var elsewhere = await page.GotoAsync($"{address}/console/reports/{Digits(kisumu)}");
        Assert.Equal(404, elsewhere!.Status);

        // The queue leads to the report; a triage button moves it and the reporter is told.
        await page.GotoAsync(address + "/console/reports");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = nakuru }).ClickAsync();
        Assert.Equal($"Report {nakuru}", await page.Locator("h1").InnerTextAsync());
        await TestBrowser.ScreenshotAsync(page, "console-report-390.png");
        Assert.Equal("", await TestBrowser.WiderThanThePageAsync(page));

        // A POST from elsewhere, with the officer's cookie but without the form's anti-forgery token, changes nothing.
        var forged = await context.APIRequest.PostAsync($"{address}/console/reports/{Digits(nakuru)}", new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("action", "Review").Set("version", "0").Set("note", "forged"),
        });
        Assert.Equal(400, forged.Status);
        Assert.Equal(ReportStatus.Received, await StatusAsync(app, nakuru));

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start review" }).ClickAsync();
        Assert.Equal("Done: Received -> Under review. The reporter has been told, in English.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Equal("Under review", await page.Locator("dt:text('Status') + dd strong").InnerTextAsync());
        Assert.Equal(ReportStatus.UnderReview, await StatusAsync(app, nakuru));
        Assert.Equal($"Your report {nakuru} is now: Under review.", (await reporter.RepliesAsync())[^1]);

        // At a desk, in Kiswahili: the county page with its chart and table.
        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync(address + "/console/counties/032");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Kiswahili" }).ClickAsync();
        Assert.Equal("sw", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("Nakuru", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("svg").First.IsVisibleAsync());
        await TestBrowser.ScreenshotAsync(page, "console-county-sw-1366.png");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Muhtasari" }).ClickAsync();
        Assert.Equal("Muhtasari", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(47, await page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Ripoti zilizo wazi kwa kaunti" }).Locator("path").CountAsync());
        await TestBrowser.ScreenshotAsync(page, "console-overview-sw-1366.png");

        // Sign-out is a POST; afterwards the console asks to sign in again.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Toka" }).ClickAsync();
        await page.GotoAsync(address + "/console/reports");
        Assert.Equal(address + "/console", page.Url);
        Assert.Contains("Hujaingia", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || line.StartsWith("page error", StringComparison.Ordinal));
        // The only errors: the 404 asked for on purpose, and the favicon we do not have.
        Assert.DoesNotContain(console, line => line.StartsWith("error", StringComparison.Ordinal)
            && !line.Contains("/favicon.ico", StringComparison.Ordinal) && !line.Contains(Digits(kisumu), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnalystReadsQuestionnaireResultsOnAPhoneAndAtADeskInEitherLanguage()
    {
        await using var app = new JukwaaApp();
        app.UseKestrel(0);
        app.StartServer();
        var address = TestBrowser.Address(app);
        await ConsoleResultsTests.SeedAsync(app);
        var analyst = await ConsoleTests.AddOfficerAsync(app, "M. Wanjiku", OfficerRole.Analyst);
        string link;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var token = scope.ServiceProvider.GetRequiredService<SignInLinks>().Issue(analyst, app.Clock.GetUtcNow().UtcDateTime);
            await scope.ServiceProvider.GetRequiredService<Core.Conversations.IConversationStore>().SaveAsync(Ct);
            link = SignInLinks.Link(address, token);
        }

        await using var chromium = await TestBrowser.LaunchAsync();
        var browser = chromium.Browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Results", Exact = true }).ClickAsync();
        Assert.Equal("Questionnaire results", await page.Locator("h1").InnerTextAsync());
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Forum questionnaire" }).ClickAsync();
        Assert.Equal("Forum questionnaire, version 1", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.True(await page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "You are answering as" }).IsVisibleAsync());
        await TestBrowser.ScreenshotAsync(page, "console-results-390.png");
        Assert.Equal("", await TestBrowser.WiderThanThePageAsync(page));

        // The filter form: only SMS; the figures follow.
        await page.Locator("select[name=channel]").SelectOptionAsync("sms");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).ClickAsync();
        Assert.EndsWith("channel=sms&from=&to=", page.Url, StringComparison.Ordinal);
        Assert.Equal("3", await page.Locator("dt:text('Respondents') + dd").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Read the answers" }).ClickAsync();
        Assert.Contains("Taa za barabarani sokoni", await page.Locator("ol.free-text").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("", await TestBrowser.WiderThanThePageAsync(page));

        await page.SetViewportSizeAsync(1366, 900);
        await page.GotoAsync(address + "/console/results/forum/1?lang=sw");
        Assert.Equal("Hojaji ya jukwaa, toleo 1", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Unajibu kama" }).IsVisibleAsync());
        await TestBrowser.ScreenshotAsync(page, "console-results-sw-1366.png");
        await page.SetViewportSizeAsync(390, 844);
        Assert.Equal("", await TestBrowser.WiderThanThePageAsync(page));
    }

    private static string Digits(string reference) => reference.Replace(" ", "", StringComparison.Ordinal);

    private static Task<ReportStatus> StatusAsync(JukwaaApp app, string reference) =>
        app.QueryAsync(db => db.Reports.Where(r => r.Reference == Digits(reference)).Select(r => r.Status).SingleAsync(Ct));
}
