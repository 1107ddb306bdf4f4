using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

public class QuestionnaireTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An English caller in the forum questionnaire, past the county and "answering as".</summary>
    private static async Task<UssdCall> TwoAnswersInAsync(JukwaaApp app)
    {
        var call = app.Call();
        await call.DialAsync();
        await call.SendAsync("1");
        await call.SendAsync("3");
        await call.SendAsync("Kisumu");
        Assert.Contains("Top security concerns", await call.SendAsync("1"), StringComparison.Ordinal);
        return call;
    }

    [Fact]
    public async Task EachAnswerIsSavedAsItIsGiven()
    {
        await using var app = new JukwaaApp();
        await TwoAnswersInAsync(app);
        var response = await app.QueryAsync(db => db.QuestionnaireResponses.SingleAsync(Ct));
        Assert.Equal(("forum", 1, "042", (DateTime?)null), (response.QuestionnaireId, response.Version, response.CountyCode, response.CompletedAt));
        var answers = await app.QueryAsync(db => db.QuestionnaireAnswers.OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal([("county", "042"), ("respondent", "elder")], answers.Select(a => (a.QuestionId, a.Value)));
    }

    [Fact]
    public async Task ADroppedSessionResumesAtTheNextUnansweredQuestion()
    {
        await using var app = new JukwaaApp();
        var call = await TwoAnswersInAsync(app);
        await call.SendAsync("2,6");
        Assert.Contains("You did not finish: Answer a questionnaire.", await call.DialAsync(), StringComparison.Ordinal);
        Assert.StartsWith("CON How much do you trust the police?", await call.SendAsync("1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComingBackThroughTheMenuContinuesTheSameResponse()
    {
        await using var app = new JukwaaApp();
        var call = await TwoAnswersInAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await call.DialAsync();
        Assert.StartsWith("CON Top security concerns", await call.SendAsync("3"), StringComparison.Ordinal);
        Assert.Equal(1, await app.QueryAsync(db => db.QuestionnaireResponses.CountAsync(Ct)));
    }

    [Fact]
    public async Task SomeoneHalfWayWhenANewVersionArrivesFinishesOnTheirVersion()
    {
        using var dialogs = new DialogsCopy();
        var first = new JukwaaApp(dialogsPath: dialogs.Path);
        var call = first.Call();
        await call.DialAsync();
        await call.SendAsync("1");
        await call.SendAsync("3");
        await call.SendAsync("Kisumu");

        // Version 2 asks something new first; the person half-way through version 1 must not see it.
        var v2 = dialogs.Read("questionnaires/forum.yaml").Replace("version: 1", "version: 2", StringComparison.Ordinal)
            .Replace("questions:\n", "questions:\n  - id: age\n    type: integer\n    min: 10\n    max: 120\n    label: {en: How old are you?, sw: Una umri gani?}\n", StringComparison.Ordinal);
        dialogs.Add("questionnaires/forum.v2.yaml", v2);
        await using var second = first.Restart(new Dictionary<string, string?> { ["Dialogs:Path"] = dialogs.Path });
        await first.DisposeAsync();

        second.Clock.Advance(TimeSpan.FromMinutes(11));
        using var again = second.Call(call.Phone);
        await again.DialAsync();
        Assert.StartsWith("CON You are answering as", await again.SendAsync("3"), StringComparison.Ordinal);
        foreach (var answer in new[] { "1", "2", "3", "3", "3", "2", "99", "1" }) await again.SendAsync(answer);
        Assert.StartsWith("END Thank you", await again.SendAsync("99"), StringComparison.Ordinal);

        await again.DialAsync();
        Assert.StartsWith("CON How old are you?", await again.SendAsync("3"), StringComparison.Ordinal);
        var responses = await second.QueryAsync(db => db.QuestionnaireResponses.OrderBy(r => r.Version).ToListAsync(Ct));
        Assert.Equal([(1, true), (2, false)], responses.Select(r => (r.Version, r.CompletedAt is not null)));
    }

    [Fact]
    public async Task TheQuestionnaireRunsOnTelegramWithButtons()
    {
        await using var app = new JukwaaApp();
        var chat = app.Telegram();
        await chat.SendAsync("/start");
        await chat.PressAsync("1");
        Assert.StartsWith("Which county do you live in?", await chat.PressAsync("3"), StringComparison.Ordinal);
        var respondent = await chat.SendAsync("Nakuru");
        Assert.Contains("[1: Village elder]", respondent, StringComparison.Ordinal);
        Assert.Contains("Top security concerns", await chat.PressAsync("4"), StringComparison.Ordinal);
        Assert.Contains("How much do you trust the police?", await chat.SendAsync("1,2"), StringComparison.Ordinal);
        var response = await app.QueryAsync(db => db.QuestionnaireResponses.SingleAsync(Ct));
        Assert.Equal((Channel.Telegram, "032"), (response.Channel, response.CountyCode));
    }

    [Fact]
    public async Task ResultsCountChoicesAverageRatingsAndExportNoIdentityOrFreeText()
    {
        await using var app = new JukwaaApp();
        var answersOf = new[]
        {
            new[] { "Kisumu", "1", "2,6", "4", "5", "3", "1", "6", "2", "1", "Night patrols at Kondele" },
            new[] { "Kisumu", "2", "2", "2", "3", "1", "2", "99", "2", "99" },
        };
        var phones = new List<string>();
        foreach (var answers in answersOf)
        {
            using var call = app.Call();
            phones.Add(call.Phone);
            await call.DialAsync();
            await call.SendAsync("1");
            await call.SendAsync("3");
            foreach (var answer in answers) await call.SendAsync(answer);
        }
        using (var halfway = app.Call())
        {
            await halfway.DialAsync();
            await halfway.SendAsync("1");
            await halfway.SendAsync("3");
            await halfway.SendAsync("Nakuru");
        }

        await using var scope = app.Services.CreateAsyncScope();
        var results = scope.ServiceProvider.GetRequiredService<QuestionnaireResults>();
        var summary = await results.SummaryAsync("forum", null, Ct);
        Assert.Contains("Respondents: 3; responses complete 2, incomplete 1", summary, StringComparison.Ordinal);
        Assert.Contains("Responses by county: Kisumu 2, Nakuru 1", summary, StringComparison.Ordinal);
        Assert.Contains("concerns (multiple): Terrorism 0, Gangs 2, Smuggling 0, Alcohol/drugs 0, Illegal guns 0, Stock theft 1,", summary, StringComparison.Ordinal);
        Assert.Contains("trust_police (rating): mean 3.00 (n=2); 1 Very low 0, 2 Low 1, 3 Fair 0, 4 High 1, 5 Very high 0", summary, StringComparison.Ordinal);
        Assert.Contains("id_weeks (integer): mean 6.00 (n=1); 1 answered", summary, StringComparison.Ordinal);
        Assert.Contains("suggestion (text): 1 answered (free text is not shown)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Kondele", summary, StringComparison.Ordinal);
        Assert.Contains("Respondents: 2; responses complete 2, incomplete 0", await results.SummaryAsync("forum", "042", Ct), StringComparison.Ordinal);

        using var csv = new StringWriter();
        Assert.Equal(3, await results.ExportAsync(new ResultsFilter("forum"), freeText: false, new CsvResultsSheet(csv), Ct));
        var lines = csv.ToString().TrimEnd().Split('\n');
        Assert.Equal("response,questionnaire,version,county,county_name,language,channel,started,completed,respondent,concerns.terrorism,concerns.gangs,concerns.smuggling,"
            + "concerns.alcohol_drugs,concerns.firearms,concerns.stock_theft,concerns.sgbv,concerns.boda_boda,concerns.land,concerns.other,"
            + "trust_police,trust_chiefs,trust_ngao,id_applied,id_weeks,police_response,attended", lines[0]);
        Assert.True(lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @"^[0-9a-f]{32},forum,1,042,Kisumu,en,ussd,2026-11-28T09:00:00Z,2026-11-28T09:00:00Z,elder,0,1,0,0,0,1,0,0,0,0,4,5,3,yes,6,day,yes$")) == 1, string.Join("\n", lines));
        Assert.Single(lines, l => l.EndsWith(",Kisumu,en,ussd,2026-11-28T09:00:00Z,2026-11-28T09:00:00Z,youth,0,1,0,0,0,0,0,0,0,0,2,3,1,no,,,no", StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.EndsWith(",forum,1,032,Nakuru,en,ussd,2026-11-28T09:00:00Z,,,,,,,,,,,,,,,,,,,", StringComparison.Ordinal)) == 1, string.Join("\n", lines));
        foreach (var phone in phones) Assert.DoesNotContain(phone[4..], csv.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Kondele", csv.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportHeaderNamesEveryColumnOnceAndGivesTheCountyNameAndLanguage()
    {
        // Regression: the county question's column repeated the fixed "county" column, and a spreadsheet read 032 as 32.
        await using var app = new JukwaaApp();
        using (var call = app.Call())
        {
            await call.DialAsync();
            await call.SendAsync("2");      // Kiswahili
            await call.SendAsync("3");
            await call.SendAsync("Nakuru");
        }
        await using var scope = app.Services.CreateAsyncScope();
        using var csv = new StringWriter();
        await scope.ServiceProvider.GetRequiredService<QuestionnaireResults>().ExportAsync(new ResultsFilter("forum"), freeText: false, new CsvResultsSheet(csv), Ct);
        var lines = csv.ToString().TrimEnd().Split('\n');
        var header = lines[0].Split(',');
        Assert.Equal(header.Length, header.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["response", "questionnaire", "version", "county", "county_name", "language"], header[..6]);
        Assert.Equal(["032", "Nakuru", "sw"], lines[1].Split(',')[3..6]);
    }
}
