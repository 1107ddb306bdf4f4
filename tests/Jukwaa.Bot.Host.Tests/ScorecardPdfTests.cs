using System.Net;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Scorecards;
using Jukwaa.Bot.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The printed scorecard (<c>GET /scorecards/{county}/scorecard.pdf</c>) read back as a person reads the sheet: its text, page by page.</summary>
public class ScorecardPdfTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly Dictionary<string, string?> Settings = new()
    {
        ["Channels:AfricasTalking:UssdServiceCode"] = "*384*57#",
        ["Channels:AfricasTalking:SenderId"] = "22384",
    };

    /// <summary>
    /// Nakuru 2026Q4: firearms surpassed, chiefs trained on track, prison inmates (lower is better) behind, each with its
    /// source; two SGBV reports (a small sensitive count) among six gang reports, all acted on within a day.
    /// </summary>
    internal static async Task PublishNakuruAsync(JukwaaApp app, string csv =
        "Nakuru,2026Q4,firearms_recovered,20,25,County return\nNakuru,2026Q4,chiefs_trained,100,95,NGAO training register\nNakuru,2026Q4,prison_inmates,300,450,Kenya Prisons Service\n")
    {
        var protector = app.Service<PersonalDataProtector>();
        await using var scope = app.Services.CreateAsyncScope();
        var (rows, errors) = ScorecardImport.Read(new StringReader("county,quarter,indicator,target,achieved,source\n" + csv),
            app.Service<Core.Dialogs.DialogCatalog>(), DateTime.UtcNow);
        Assert.Empty(errors);
        await scope.ServiceProvider.GetRequiredService<IScorecardStore>().UpsertAsync(rows, Ct);
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.QueryAsync(db =>
        {
            var person = new Person { AddressHash = "pdf", AddressSealed = protector.Seal("+254700000011"), CreatedAt = now };
            db.People.Add(person);
            foreach (var category in new[] { "sgbv", "sgbv", "gangs", "gangs", "gangs", "gangs", "gangs", "gangs" })
            {
                db.Reports.Add(new Report
                {
                    Reference = ReferenceNumber.New(), Category = category, CountyCode = "032", PlaceSealed = "p", DetailsSealed = "d",
                    ReporterId = person.Id, CreatedAt = now, StatusChangedAt = now, FirstActionAt = now.AddHours(12),
                });
            }
            return db.SaveChangesAsync(Ct);
        });
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 2, 6, 0, 0, TimeSpan.Zero));
        await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().PublishAsync(new Quarter(2026, 4), Ct);
    }

    /// <summary>The words on each page in reading order, joined by single spaces.</summary>
    private static List<string> Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(page => string.Join(' ', page.GetWords().Select(w => w.Text)))];
    }

    [Fact]
    public async Task AChiefPrintsTheCountysPublishedScorecardInEnglish()
    {
        await using var app = new JukwaaApp(settings: Settings);
        await PublishNakuruAsync(app);
        using var response = await app.CreateClient().GetAsync("/scorecards/nakuru/scorecard.pdf", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("jukwaa-scorecard-nakuru-2026Q4-en.pdf", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        var pdf = await response.Content.ReadAsByteArrayAsync(Ct);
        using (var document = PdfDocument.Open(pdf))
        {
            var page = document.GetPage(1);
            Assert.Equal(595, page.Width, 0);      // A4: 210 × 297 mm in points
            Assert.Equal(842, page.Height, 0);
        }
        var pages = Pages(pdf);
        var text = string.Join(' ', pages);

        Assert.StartsWith("County security scorecard Nakuru 2026Q4 Grade: on track", pages[0], StringComparison.Ordinal);
        Assert.Contains("The 2026Q4 scorecard (2026-10-01 to 2026-12-31), published on 2027-01-02.", text, StringComparison.Ordinal);
        Assert.Contains("Indicator Target Achieved Grade Source", text, StringComparison.Ordinal);
        Assert.Contains("Illegal firearms recovered 20 firearms 25 firearms surpassed County return", text, StringComparison.Ordinal);
        Assert.Contains("Chiefs and assistant chiefs trained 100 officers 95 officers on track NGAO training register", text, StringComparison.Ordinal);
        // A cell that wraps continues on the next line of the row, read after the other cells' first lines.
        Assert.Contains("Prison inmates against capacity 300 inmates 450 inmates behind Kenya Prisons (lower is better) Service", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Stolen livestock", text, StringComparison.Ordinal);      // no value this quarter: not printed

        Assert.Contains("Citizen reports 8 Organised gangs 6 Terrorism/radicalisation fewer than 5", text, StringComparison.Ordinal);
        Assert.Contains("SGBV/child protection fewer than 5", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SGBV/child protection 2", text, StringComparison.Ordinal);
        Assert.Contains("Acted on 100% (surpassed)", text, StringComparison.Ordinal);

        Assert.Contains("Dial *384*57# on any phone and choose Report an incident.", text, StringComparison.Ordinal);
        Assert.Contains("Or send an SMS to 22384: REPORT / RIPOTI and what happened: report an incident", text, StringComparison.Ordinal);
        Assert.Contains("SCORE / ALAMA and the county: its latest scorecard", text, StringComparison.Ordinal);
        Assert.Contains("What the grades mean", text, StringComparison.Ordinal);
        Assert.Contains("Targets and achievements: County return; NGAO training register; Kenya Prisons Service", text, StringComparison.Ordinal);
        Assert.EndsWith("Nakuru 2026Q4, page 1/1", Assert.Single(pages), StringComparison.Ordinal);     // one sheet for the notice board
    }

    [Fact]
    public async Task TheSameScorecardPrintsInKiswahili()
    {
        await using var app = new JukwaaApp(settings: Settings);
        await PublishNakuruAsync(app);
        using var response = await app.CreateClient().GetAsync("/scorecards/032/scorecard.pdf?lang=sw", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("jukwaa-scorecard-nakuru-2026Q4-sw.pdf", response.Content.Headers.ContentDisposition?.FileName);
        var text = string.Join(' ', Pages(await response.Content.ReadAsByteArrayAsync(Ct)));
        Assert.StartsWith("Kadi ya alama ya usalama ya kaunti Nakuru 2026Q4 Daraja: iko njiani", text, StringComparison.Ordinal);
        Assert.Contains("ilichapishwa tarehe 2027-01-02", text, StringComparison.Ordinal);
        Assert.Contains("Silaha haramu zilizopatikana 20 silaha 25 silaha imezidi lengo County return", text, StringComparison.Ordinal);
        Assert.Contains("(chini ni bora)", text, StringComparison.Ordinal);
        Assert.Contains("Dhuluma za kijinsia/watoto chini ya 5", text, StringComparison.Ordinal);
        Assert.Contains("Piga *384*57# kwa simu yoyote na uchague Ripoti tukio.", text, StringComparison.Ordinal);
        Assert.Contains("RIPOTI / REPORT na kilichotokea: ripoti tukio", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Illegal firearms", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACorrectedScorecardPrintsTheCorrectionAndItsReason()
    {
        await using var app = new JukwaaApp(settings: Settings);
        await PublishNakuruAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (rows, _) = ScorecardImport.Read(new StringReader("county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,5,County return (corrected)\n"),
                app.Service<Core.Dialogs.DialogCatalog>(), DateTime.UtcNow);
            await scope.ServiceProvider.GetRequiredService<IScorecardStore>().UpsertAsync(rows, Ct);
            await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().CorrectAsync(new Quarter(2026, 4), "The county return counted 25 instead of 5", Ct);
        }
        var text = string.Join(' ', Pages(await app.CreateClient().GetByteArrayAsync("/scorecards/nakuru/scorecard.pdf", Ct)));
        Assert.Contains("Corrected on 2027-01-02: The county return counted 25 instead of 5", text, StringComparison.Ordinal);
        Assert.Contains("Illegal firearms recovered 20 firearms 5 firearms behind County return (corrected)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAUssdCodeTheSheetNamesTheSmsKeywordsOnly()
    {
        await using var app = new JukwaaApp();
        await PublishNakuruAsync(app);
        var text = string.Join(' ', Pages(await app.CreateClient().GetByteArrayAsync("/scorecards/nakuru/scorecard.pdf", Ct)));
        Assert.DoesNotContain("Dial", text, StringComparison.Ordinal);
        Assert.Contains("How to report Or send an SMS: REPORT / RIPOTI", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/scorecards/mombasa/scorecard.pdf", "No scorecard has been published for Mombasa yet, so there is nothing to print.")]
    [InlineData("/scorecards/001/scorecard.pdf?lang=sw", "Bado hakuna kadi ya alama iliyochapishwa kwa Mombasa, kwa hiyo hakuna cha kuchapisha.")]
    public async Task ACountyWithNothingPublishedHasNoSheetAndSaysSo(string path, string said)
    {
        await using var app = new JukwaaApp(settings: Settings);     // nothing published yet (publishing a quarter publishes all 47 counties)
        using var response = await app.CreateClient().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(said, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AWithdrawnQuarterIsNotPrintedAsTheLatest()
    {
        await using var app = new JukwaaApp(settings: Settings);
        await PublishNakuruAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().WithdrawAsync(new Quarter(2026, 4), "Figures under review", Ct);
        }
        using var response = await app.CreateClient().GetAsync("/scorecards/nakuru/scorecard.pdf", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There is no scorecard of Nakuru to print. The 2026Q4 scorecard was withdrawn on 2027-01-02: Figures under review",
            await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AUssdCodeThatCannotBeDialledStopsTheHost()
    {
        await using var app = new JukwaaApp(settings: new Dictionary<string, string?> { ["Channels:AfricasTalking:UssdServiceCode"] = "384*57" });
        var problem = Assert.Single(StartupProblems.From(Record.Exception(() => app.CreateClient())!));
        Assert.StartsWith("Channels:AfricasTalking:UssdServiceCode '384*57' is not a USSD code such as *384*57#", problem, StringComparison.Ordinal);
    }
}
