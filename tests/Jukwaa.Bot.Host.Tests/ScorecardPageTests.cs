using System.Net;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The public pages as a hostile client sees them: what comes back for crafted query values, and the headers on every page.</summary>
public class ScorecardPageTests
{
    private const string Script = "\"><script>alert(1)</script>";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task PublishNakuruAsync(JukwaaApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (rows, errors) = ScorecardImport.Read(new StringReader("county,quarter,indicator,target,achieved,source\nNakuru,2026Q3,firearms_recovered,20,25,County return\n"),
            app.Service<Core.Dialogs.DialogCatalog>(), DateTime.UtcNow);
        Assert.Empty(errors);
        await scope.ServiceProvider.GetRequiredService<IScorecardStore>().UpsertAsync(rows, Ct);
        await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().PublishAsync(new Quarter(2026, 3), Ct);
    }

    [Theory]
    [InlineData("/scorecards?sort=" + Script, "sort")]
    [InlineData("/scorecards?lang=" + Script, "lang")]
    [InlineData("/scorecards/032?lang=" + Script, "lang")]
    [InlineData("/scorecards?sort=grade&lang=fr", "lang")]
    public async Task AnUnknownSortOrLanguageIsRefusedAndNeverWrittenIntoAPage(string path, string parameter)
    {
        await using var app = new JukwaaApp();
        using var response = await app.CreateClient().GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith($"{parameter} must be one of", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task TextFromOutsideTheCodeIsEncodedOnThePage()
    {
        await using var app = new JukwaaApp();
        await PublishNakuruAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().WithdrawAsync(new Quarter(2026, 3), "<script>alert(1)</script> & <b>x</b>", Ct);
        }
        var page = await app.CreateClient().GetStringAsync("/scorecards/032", Ct);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EveryPageIsSentWithNosniffAndAStrictContentSecurityPolicy()
    {
        await using var app = new JukwaaApp();
        await PublishNakuruAsync(app);
        var client = app.CreateClient();
        foreach (var path in new[] { "/scorecards", "/scorecards?lang=sw&sort=grade", "/scorecards?sort=trust", "/scorecards/032", "/scorecards/nakuru?lang=sw", "/scorecards/042" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Equal("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", policy);
            Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/scorecards/032"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Single(head.Headers.GetValues("Content-Security-Policy"));
        }
        using var styles = await client.GetAsync("/assets/pages.css", Ct);
        Assert.Equal("text/css", styles.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", styles.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
