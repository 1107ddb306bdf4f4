using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download; `.ci/run` installs it, elsewhere
/// `apt-get install chromium`), headless and quiet, with what every browser test shares.
/// </summary>
internal sealed class TestBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private TestBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<TestBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new TestBrowser(playwright, browser);
    }

    /// <summary>The address of a host started with <c>UseKestrel(0)</c> and <c>StartServer()</c>, as a browser reaches it.</summary>
    public static string Address(JukwaaApp app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);

    /// <summary>A full-page screenshot kept with the test results (TestResults/ beside the binaries, and attached to the test).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000, $"the screenshot {name} is empty");
        TestContext.Current.AddAttachment(name, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken), "image/png");
    }

    /// <summary>The elements that stick out past the viewport's right edge (empty when nothing does), named for the failure message.</summary>
    public static Task<string> WiderThanThePageAsync(IPage page) => page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} right=${Math.round(e.getBoundingClientRect().right)}`)
          .join('; ')
        """);

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
