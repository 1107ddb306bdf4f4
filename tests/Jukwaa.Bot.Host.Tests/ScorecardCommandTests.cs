using System.Diagnostics;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

/// <summary><c>scorecards import</c> and <c>scorecards show</c>, run as a person runs them, on a database the host filled.</summary>
public class ScorecardCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(JukwaaApp app, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jukwaa.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Jukwaa"] = app.Settings["ConnectionStrings:Jukwaa"]!;
        start.Environment["Protection__HashKey"] = app.Settings["Protection:HashKey"]!;
        start.Environment["Protection__EncryptionKey"] = app.Settings["Protection:EncryptionKey"]!;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await errors);
    }

    private static async Task SeedAsync(JukwaaApp app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;     // 28/11/2026: 2026Q4
        var protector = app.Service<PersonalDataProtector>();
        await app.QueryAsync(db =>
        {
            var person = new Person { AddressHash = "seed", AddressSealed = protector.Seal("+254700000009"), CreatedAt = now };
            db.People.Add(person);
            Report New(string category, ReportStatus status, double? actedAfterDays) => new()
            {
                Reference = Core.Domain.ReferenceNumber.New(), Category = category, CountyCode = "032", PlaceSealed = "p", DetailsSealed = "d",
                ReporterId = person.Id, Status = status, CreatedAt = now.AddDays(-10), StatusChangedAt = now,
                FirstActionAt = actedAfterDays is { } d ? now.AddDays(-10 + d) : null,
            };
            db.Reports.AddRange(New("sgbv", ReportStatus.Received, null), New("sgbv", ReportStatus.UnderReview, 1));
            for (var i = 0; i < 6; i++) db.Reports.Add(New("gangs", i == 0 ? ReportStatus.Closed : ReportStatus.Verified, i < 5 ? 1 + i : null));
            foreach (var trust in new[] { 4, 4, 5, 3, 4 })
            {
                var response = new QuestionnaireResponse
                {
                    QuestionnaireId = "forum", Version = 1, PersonId = person.Id, CountyCode = "032", StartedAt = now, CompletedAt = now,
                };
                db.People.Add(new Person { Id = response.PersonId = Guid.NewGuid(), AddressHash = Guid.NewGuid().ToString("N"), AddressSealed = "x", CreatedAt = now });
                db.QuestionnaireResponses.Add(response);
                db.QuestionnaireAnswers.Add(new QuestionnaireAnswer { ResponseId = response.Id, QuestionId = "trust_police", Value = trust.ToString(System.Globalization.CultureInfo.InvariantCulture), AnsweredAt = now });
            }
            return db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task ImportIsAllOrNothingAndImportingAgainChangesNothing()
    {
        await using var app = new JukwaaApp();
        await app.QueryAsync(db => db.People.CountAsync(Ct));   // the host is up and migrated
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-scorecards-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var good = Path.Combine(folder, "q4.csv");
            await File.WriteAllTextAsync(good, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\n032,2026Q4,prison_inmates,300,450,KPS\n", Ct);
            var bad = Path.Combine(folder, "bad.csv");
            await File.WriteAllTextAsync(bad, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,ids_issued,100,90,NRB\nNakuru,2026Q9,ids_issued,1,1,NRB\n", Ct);

            var refused = await RunAsync(app, "scorecards", "import", bad);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("bad.csv: line 3: quarter '2026Q9' is not like 2026Q1", refused.Errors, StringComparison.Ordinal);
            Assert.Contains("Nothing imported: 1 problem(s).", refused.Errors, StringComparison.Ordinal);
            Assert.Equal(0, await app.QueryAsync(db => db.IndicatorValues.CountAsync(Ct)));

            var first = await RunAsync(app, "scorecards", "import", good);
            Assert.True(first.ExitCode == 0, first.Errors);
            Assert.Equal("Imported 2 rows: 2 new, 0 changed, 0 unchanged.", first.Output.Trim());
            var again = await RunAsync(app, "scorecards", "import", good);
            Assert.Equal("Imported 2 rows: 0 new, 0 changed, 2 unchanged.", again.Output.Trim());
            Assert.Equal(2, await app.QueryAsync(db => db.IndicatorValues.CountAsync(Ct)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AQuarterThatHasNotEndedIsRefusedAPublishedOneCanBeWithdrawnAndReimportingItWarns()
    {
        await using var app = new JukwaaApp();
        await app.QueryAsync(db => db.People.CountAsync(Ct));   // the host is up and migrated
        var refused = await RunAsync(app, "scorecards", "publish", "2099Q1");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("2099Q1 has not ended (it ends at 2099-04-01 00:00 UTC)", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.PublishedScorecards.CountAsync(Ct)));
        var preview = await RunAsync(app, "scorecards", "preview", "2099Q1");
        Assert.True(preview.ExitCode == 0, preview.Errors);
        Assert.Contains("Nakuru 2099Q1: no data.", preview.Output, StringComparison.Ordinal);
        Assert.EndsWith("Preview only: nothing was published or sent.", preview.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.PublishedScorecards.CountAsync(Ct)));

        var file = Path.Combine(Path.GetTempPath(), "jukwaa-q3-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            await File.WriteAllTextAsync(file, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q3,firearms_recovered,20,25,County return\n", Ct);
            Assert.Equal(0, (await RunAsync(app, "scorecards", "import", file)).ExitCode);
            var published = await RunAsync(app, "scorecards", "publish", "2026Q3");    // ended on 30/9/2026
            Assert.True(published.ExitCode == 0, published.Errors);
            await File.WriteAllTextAsync(file, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q3,firearms_recovered,20,5,Corrected return\n", Ct);
            var reimported = await RunAsync(app, "scorecards", "import", file);
            Assert.Equal(0, reimported.ExitCode);
            Assert.Contains("Warning: 2026Q3 is already published; its published figures do not change.", reimported.Errors, StringComparison.Ordinal);

            Assert.NotEqual(0, (await RunAsync(app, "scorecards", "withdraw", "2026Q3")).ExitCode);     // no reason
            var withdrawn = await RunAsync(app, "scorecards", "withdraw", "2026Q3", "--reason", "Wrong county returns");
            Assert.True(withdrawn.ExitCode == 0, withdrawn.Errors);
            Assert.Equal("2026Q3: 47 county scorecards withdrawn; nothing was sent.", withdrawn.Output.Trim());
            Assert.Equal(47, await app.QueryAsync(db => db.PublishedScorecards.CountAsync(p => p.WithdrawnReason == "Wrong county returns", Ct)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AScorecardGradesIndicatorsAndCitizenFeedbackAndHidesSmallSensitiveCounts()
    {
        await using var app = new JukwaaApp();
        await SeedAsync(app);
        var file = Path.Combine(Path.GetTempPath(), "jukwaa-q4-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(file, "county,quarter,indicator,target,achieved,source\nNakuru,2026Q4,firearms_recovered,20,25,County return\nNakuru,2026Q4,prison_inmates,300,450,KPS\n", Ct);
        try
        {
            Assert.Equal(0, (await RunAsync(app, "scorecards", "import", file)).ExitCode);
            var shown = await RunAsync(app, "scorecards", "show", "Nakuru", "2026Q4");
            Assert.True(shown.ExitCode == 0, shown.Errors);
            Assert.Equal(
                """
                Nakuru scorecard 2026Q4: on track
                - Illegal firearms recovered: 25 / 20 firearms (surpassed)
                - Prison inmates against capacity: 450 / 300 inmates (behind)
                Citizen reports: 8
                  Organised gangs: 6
                  Terrorism/radicalisation: fewer than 5
                  Cross-border smuggling: fewer than 5
                  Illicit alcohol/drugs: fewer than 5
                  Illegal firearms: fewer than 5
                  Cattle rustling/stock theft: fewer than 5
                  SGBV/child protection: fewer than 5
                  Boda boda crime: fewer than 5
                  Land dispute/fraud: fewer than 5
                  ID/registration services: fewer than 5
                  Chiefs/administration: fewer than 5
                  Other: fewer than 5
                Acted on: 75%, closed: 13% (on track)
                Median days to first action: 2.5 (on track)
                Trust in security services: 4.0 of 5 from 5 questionnaires (surpassed)
                """.Replace("\r", "", StringComparison.Ordinal),
                shown.Output.Trim());
            var kiswahili = await RunAsync(app, "scorecards", "show", "032", "2026Q4", "--language", "sw");
            Assert.StartsWith("Kadi ya alama ya Nakuru 2026Q4: iko njiani", kiswahili.Output, StringComparison.Ordinal);
            Assert.Contains("Dhuluma za kijinsia/watoto: chini ya 5", kiswahili.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
