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
    private const string Chromium = "/usr/bin/chromium";

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
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.");
        await using var app = new JukwaaApp();
        app.UseKestrel(0);
        app.StartServer();
        await SeedAndPublishAsync(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
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
        var nakuru = page.Locator("tr", new PageLocatorOptions { Has = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Nakuru" }) });
        Assert.Contains("2026Q4", await nakuru.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("surpassed", await nakuru.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("no data", await page.Locator("tr", new PageLocatorOptions { HasText = "Mombasa" }).InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Grade", Exact = true }).ClickAsync();
        Assert.Equal("Nakuru", await page.Locator("tbody tr th").First.InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Nakuru" }).ClickAsync();
        Assert.Equal("Nakuru 2026Q4", await page.Locator("h1").InnerTextAsync());
        var chart = page.GetByRole(AriaRole.Img, new PageGetByRoleOptions { Name = "Target / Achieved" });
        Assert.True(await chart.IsVisibleAsync());
        Assert.Equal(2, await chart.Locator("rect.achieved:not([x='100'])").CountAsync());
        var firearms = page.Locator("tr", new PageLocatorOptions { HasText = "Illegal firearms recovered" });
        Assert.Equal("Illegal firearms recovered\t20\t25 firearms\tsurpassed", (await firearms.InnerTextAsync()).Trim());
        Assert.Contains("2026Q3", await page.Locator("table").Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("fewer than 5", await page.Locator("dt:text('SGBV/child protection') + dd").InnerTextAsync());
        Assert.Equal("6", await page.Locator("dt:text('Organised gangs') + dd").InnerTextAsync());

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "scorecard-nakuru.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is empty");
        TestContext.Current.AddAttachment("scorecard-nakuru.png", await File.ReadAllBytesAsync(screenshot, Ct), "image/png");

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Kiswahili" }).ClickAsync();
        Assert.Equal("sw", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Silaha haramu zilizopatikana\t20\t25 silaha\timezidi lengo", (await page.Locator("tr", new PageLocatorOptions { HasText = "Silaha haramu" }).InnerTextAsync()).Trim());
        Assert.Equal("chini ya 5", await page.Locator("dt:text('Dhuluma za kijinsia/watoto') + dd").InnerTextAsync());
        Assert.Equal("rgb(27, 94, 32)", await page.Locator(".grade.surpassed").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || line.StartsWith("page error", StringComparison.Ordinal));
        // The only errors: the refused crafted request, and the favicon we do not have.
        Assert.DoesNotContain(console, line => line.StartsWith("error", StringComparison.Ordinal) && !line.Contains("/favicon.ico", StringComparison.Ordinal) && !line.Contains("script%3E", StringComparison.Ordinal));
    }
}
