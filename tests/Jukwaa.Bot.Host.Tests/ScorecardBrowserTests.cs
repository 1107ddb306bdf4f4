using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// The public scorecard pages in a real browser: Debian's Chromium driven by Playwright (no browser
/// download). `.ci/run` installs Chromium; elsewhere `apt-get install chromium` first.
/// </summary>
public class ScorecardBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task SeedAndPublishAsync(JukwaaApp app)
    {
        var protector = app.Service<PersonalDataProtector>();
        await using var scope = app.Services.CreateAsyncScope();
        var catalog = app.Service<Core.Dialogs.DialogCatalog>();
        var store = scope.ServiceProvider.GetRequiredService<IScorecardStore>();
        foreach (var (quarter, achieved) in new[] { ("2026Q3", 12), ("2026Q4", 25) })
        {
            var (rows, errors) = ScorecardImport.Read(new StringReader(
                $"county,quarter,indicator,target,achieved,source\nNakuru,{quarter},firearms_recovered,20,{achieved},County return\nNakuru,{quarter},prison_inmates,300,450,KPS\n"), catalog, DateTime.UtcNow);
            Assert.Empty(errors);
            await store.UpsertAsync(rows, Ct);
        }
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.QueryAsync(db =>
        {
            var person = new Person { AddressHash = "web", AddressSealed = protector.Seal("+254700000010"), CreatedAt = now };
            db.People.Add(person);
            foreach (var category in new[] { "sgbv", "sgbv", "gangs", "gangs", "gangs", "gangs", "gangs", "gangs" })
            {
                db.Reports.Add(new Report
                {
                    Reference = Core.Domain.ReferenceNumber.New(), Category = category, CountyCode = "032", PlaceSealed = "p", DetailsSealed = "d",
                    ReporterId = person.Id, CreatedAt = now.AddDays(-3), StatusChangedAt = now, FirstActionAt = now.AddDays(-2),
                });
            }
            return db.SaveChangesAsync(Ct);
        });
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 6, 0, 0, TimeSpan.Zero));     // 2026Q4 has ended
        var publisher = scope.ServiceProvider.GetRequiredService<ScorecardPublisher>();
        await publisher.PublishAsync(Quarter.Parse("2026Q3")!.Value, Ct);
        await publisher.PublishAsync(Quarter.Parse("2026Q4")!.Value, Ct);
    }

    [Fact]
    public async Task APersonReadsTheScorecardsInABrowserInEitherLanguage()
    {
        await using var app = new JukwaaApp(settings: ScorecardPdfTests.Settings);
        app.UseKestrel(0);
        app.StartServer();
        await SeedAndPublishAsync(app);
        var address = TestBrowser.Address(app);

        await using var chromium = await TestBrowser.LaunchAsync();
        var browser = chromium.Browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });   // a phone
        // What the browser reports: a CSP violation (our own stylesheet blocked, or anything inline) is a console error.
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text} ({message.Location})");
        page.PageError += (_, error) => console.Add("page error: " + error);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        var crafted = await page.GotoAsync(address + "/scorecards?sort=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
        Assert.Equal(400, crafted!.Status);
        Assert.Equal(0, dialogs);

        await page.GotoAsync(address + "/scorecards");
        Assert.Equal("960px", await page.EvaluateAsync<string>("getComputedStyle(document.body).maxWidth"));      // pages.css applied
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Equal("County scorecards", await page.Locator("h1").InnerTextAsync());
        var nakuru = page.Locator("tr", new PageLocatorOptions { Has = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Nakuru", Exact = true }) });
        Assert.Contains("2026Q4", await nakuru.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("surpassed", await nakuru.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("no data", await page.Locator("tr", new PageLocatorOptions { HasText = "Mombasa" }).InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Grade", Exact = true }).ClickAsync();
        Assert.Equal("Nakuru", await page.Locator("tbody tr th").First.InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Nakuru", Exact = true }).ClickAsync();
        Assert.Equal("Nakuru 2026Q4", await page.Locator("h1").InnerTextAsync());
        var chart = page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Target / Achieved" });
        Assert.True(await chart.IsVisibleAsync());
        Assert.Equal(2, await chart.Locator("rect.achieved:not([x='100'])").CountAsync());
        // On a phone each indicator is a block of named cells (the table's header is there for screen readers).
        var firearms = page.Locator("tr", new PageLocatorOptions { HasText = "Illegal firearms recovered" });
        Assert.Equal(["Illegal firearms recovered", "Target: 20", "Achieved: 25 firearms", "Grade: surpassed", "Source: County return"], await Cells(firearms));
        Assert.Contains("2026Q3", await page.Locator("table").Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("fewer than 5", await page.Locator("dt:text('SGBV/child protection') + dd").InnerTextAsync());
        Assert.Equal("6", await page.Locator("dt:text('Organised gangs') + dd").InnerTextAsync());

        await TestBrowser.ScreenshotAsync(page, "scorecard-nakuru.png");

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Kiswahili" }).ClickAsync();
        Assert.Equal("sw", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(["Silaha haramu zilizopatikana", "Lengo: 20", "Kilichofikiwa: 25 silaha", "Daraja: imezidi lengo", "Chanzo: County return"],
            await Cells(page.Locator("tr", new PageLocatorOptions { HasText = "Silaha haramu" })));
        Assert.Equal("chini ya 5", await page.Locator("dt:text('Dhuluma za kijinsia/watoto') + dd").InnerTextAsync());
        Assert.Equal("rgb(27, 94, 32)", await page.Locator(".grade.surpassed").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || line.StartsWith("page error", StringComparison.Ordinal));
        // The only errors: the refused crafted request, and the favicon we do not have.
        Assert.DoesNotContain(console, line => line.StartsWith("error", StringComparison.Ordinal) && !line.Contains("/favicon.ico", StringComparison.Ordinal) && !line.Contains("script%3E", StringComparison.Ordinal));
    }

    /// <summary>A row's cells as a reader sees them: the heading cell, then each value with the column name the page writes before it.</summary>
    private static async Task<string[]> Cells(ILocator row) =>
        [.. (await row.Locator("th, td").EvaluateAllAsync<string[]>(
            "cells => cells.map(c => ((getComputedStyle(c, '::before').content || '').replace(/^\"|\"$/g, '').replace(/^none$/, '') + c.innerText).trim())"))];

    [Fact]
    public async Task TheMapTheTablesAndTheExplanationsFitAPhoneAndADesktopInBothLanguages()
    {
        await using var app = new JukwaaApp(settings: ScorecardPdfTests.Settings);
        app.UseKestrel(0);
        app.StartServer();
        await SeedAndPublishAsync(app);
        var address = TestBrowser.Address(app);

        await using var chromium = await TestBrowser.LaunchAsync();
        var browser = chromium.Browser;
        foreach (var width in new[] { 390, 1366 })
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 844 } });
            foreach (var language in new[] { "en", "sw" })
            {
                var english = language == "en";
                await page.GotoAsync($"{address}/scorecards?lang={language}");
                // The map comes first: 47 counties, each a link to its page named with its grade; a legend; the OpenStreetMap attribution.
                var map = page.Locator("figure.map");
                Assert.Equal("figure", await page.Locator("main > h1 ~ *:not(p)").First.EvaluateAsync<string>("e => e.localName"));
                Assert.Equal(47, await map.Locator("svg a").CountAsync());
                var nakuru = map.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = english ? "Nakuru: surpassed" : "Nakuru: imezidi lengo", Exact = true });
                Assert.Equal($"/scorecards/032?lang={language}", await nakuru.GetAttributeAsync("href"));
                Assert.Equal("rgb(254, 204, 92)", await nakuru.Locator("path").EvaluateAsync<string>("e => getComputedStyle(e).fill"));
                Assert.Equal(english ? "Mombasa: no data" : "Mombasa: hakuna data",
                    await map.Locator("svg a").First.GetAttributeAsync("aria-label"));
                Assert.Equal(english ? ["not published or no data", "surpassed", "on track", "behind"] : ["haijachapishwa au hakuna data", "imezidi lengo", "iko njiani", "iko nyuma"],
                    await map.Locator(".map-legend li").AllInnerTextsAsync());
                Assert.Equal("https://www.openstreetmap.org/copyright", await map.Locator("figcaption a").GetAttributeAsync("href"));
                Assert.Contains("OpenStreetMap", await map.Locator("figcaption").InnerTextAsync(), StringComparison.Ordinal);
                var row = page.Locator("tr", new PageLocatorOptions { Has = page.Locator("th a", new PageLocatorOptions { HasText = "Nakuru" }) });
                Assert.Contains(english ? "surpassed" : "imezidi lengo", await row.InnerTextAsync(), StringComparison.Ordinal);
                Assert.Equal("1 / 0 / 1", (await row.Locator("td").Last.InnerTextAsync()).Trim());     // targets surpassed / on track / behind
                await AssertFitsAsync(page, width);
                await TestBrowser.ScreenshotAsync(page, $"scorecards-{language}-{width}.png");

                await nakuru.ClickAsync();
                Assert.Equal("Nakuru 2026Q4", await page.Locator("h1").InnerTextAsync());
                var main = await page.Locator("main").InnerTextAsync();
                Assert.Contains(english ? "The 2026Q4 scorecard (2026-10-01 to 2026-12-31), published on 2027-01-01." : "Kadi ya alama ya 2026Q4 (2026-10-01 hadi 2026-12-31), ilichapishwa tarehe 2027-01-01.", main, StringComparison.Ordinal);
                var prison = page.Locator("tbody tr", new PageLocatorOptions { HasText = english ? "Prison inmates" : "Wafungwa" });
                Assert.Equal(english ? "Prison inmates against capacity (lower is better)" : "Wafungwa ikilinganishwa na uwezo wa magereza (chini ni bora)", (await prison.Locator("th").InnerTextAsync()).Trim());
                Assert.Equal("KPS", (await prison.Locator("td").Last.InnerTextAsync()).Trim());
                Assert.Contains(english ? "What the grades mean" : "Maana ya madaraja", main, StringComparison.Ordinal);
                Assert.Contains(english ? "on track from 90% of the way" : "njiani kuanzia 90% ya safari", main, StringComparison.Ordinal);
                Assert.Contains(english ? "Dial *384*57# on any phone" : "Piga *384*57# kwa simu yoyote", main, StringComparison.Ordinal);
                Assert.Contains(english ? "REPORT / RIPOTI and what happened" : "RIPOTI / REPORT na kilichotokea", main, StringComparison.Ordinal);
                Assert.Contains(english ? "Targets and achievements: County return; KPS" : "Malengo na mafanikio: County return; KPS", main, StringComparison.Ordinal);
                var print = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = english ? "Printable scorecard (PDF, A4)" : "Kadi ya kuchapisha (PDF, A4)" });
                var pdf = await page.APIRequest.GetAsync(address + await print.GetAttributeAsync("href"));
                Assert.Equal(200, pdf.Status);
                Assert.Equal("application/pdf", pdf.Headers["content-type"]);
                Assert.StartsWith($"inline; filename=jukwaa-scorecard-nakuru-2026Q4-{language}.pdf", pdf.Headers["content-disposition"], StringComparison.Ordinal);
                await AssertFitsAsync(page, width);
                await TestBrowser.ScreenshotAsync(page, $"scorecard-nakuru-{language}-{width}.png");
            }
            await page.CloseAsync();
        }
    }

    /// <summary>Nothing sticks out sideways or is cut off: the page is no wider than the window, no table scrolls inside itself.</summary>
    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("innerWidth"));
        var wide = scroll <= inner ? [] : await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth).slice(-3).map(e => e.localName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 30))");
        Assert.True(scroll <= inner, $"{page.Url} at {width} px is {scroll} px wide, wider than the window ({inner} px): {string.Join(" | ", wide)}");
        // A table that scrolls inside its box hides columns just the same: none may need to.
        var clipped = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth).map(e => e.innerText.slice(0, 40))");
        Assert.True(clipped.Length == 0, $"{page.Url} at {width} px cuts off a table: {string.Join(" | ", clipped)}");
    }
}
