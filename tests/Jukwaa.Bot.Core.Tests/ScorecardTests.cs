using Jukwaa.Bot.Core.Scorecards;

namespace Jukwaa.Bot.Core.Tests;

public class ScorecardTests
{
    [Theory]
    [InlineData(500, 600, true, Grade.Surpassed)]      // Annex III: firearms recovered
    [InlineData(2000, 1100, true, Grade.Behind)]       // units operationalised
    [InlineData(1000, 950, true, Grade.OnTrack)]
    [InlineData(1000, 1000, true, Grade.OnTrack)]
    [InlineData(1000, 899, true, Grade.Behind)]
    [InlineData(30000, 62000, false, Grade.Behind)]    // prison inmates against capacity: lower is better
    [InlineData(30000, 25000, false, Grade.Surpassed)]
    [InlineData(0, 10, true, Grade.NoData)]
    public void AnIndicatorIsGradedAgainstItsTargetTheRightWayRound(int target, int achieved, bool higherIsBetter, Grade grade) =>
        Assert.Equal(grade, Grading.Indicator(target, achieved, higherIsBetter));

    [Fact]
    public void MissingValuesAreNoData()
    {
        Assert.Equal(Grade.NoData, Grading.Indicator(null, 5, true));
        Assert.Equal(Grade.NoData, Grading.ShareActioned(0, 0));
        Assert.Equal(Grade.NoData, Grading.MedianDaysToAction(null));
        Assert.Equal(Grade.NoData, Grading.Trust(4.5, 4));
        Assert.Equal(Grade.NoData, Grading.Overall([Grade.NoData, Grade.NoData]));
    }

    [Fact]
    public void CitizenMeasuresAndTheOverallGradeFollowTheRules()
    {
        Assert.Equal(Grade.Surpassed, Grading.ShareActioned(8, 10));
        Assert.Equal(Grade.OnTrack, Grading.ShareActioned(5, 10));
        Assert.Equal(Grade.Behind, Grading.ShareActioned(4, 10));
        Assert.Equal(Grade.Surpassed, Grading.MedianDaysToAction(2));
        Assert.Equal(Grade.OnTrack, Grading.MedianDaysToAction(7));
        Assert.Equal(Grade.Behind, Grading.MedianDaysToAction(7.5));
        Assert.Equal(Grade.OnTrack, Grading.Trust(3.2, 40));
        Assert.Equal(Grade.Surpassed, Grading.Overall([Grade.Surpassed, Grade.Surpassed, Grade.OnTrack, Grade.NoData]));
        Assert.Equal(Grade.OnTrack, Grading.Overall([Grade.Surpassed, Grade.Behind, Grade.OnTrack, Grade.Behind]));
        Assert.Equal(Grade.Behind, Grading.Overall([Grade.Behind, Grade.Behind, Grade.OnTrack]));
    }

    [Theory]
    [InlineData("2026Q1", 2026, 1)]
    [InlineData(" 2027Q4 ", 2027, 4)]
    public void QuartersReadLike2026Q1(string text, int year, int number)
    {
        var quarter = Quarter.Parse(text)!.Value;
        Assert.Equal((year, number), (quarter.Year, quarter.Number));
        Assert.Equal(quarter.Start.AddMonths(3), quarter.End);
    }

    [Theory]
    [InlineData("2026Q5")]
    [InlineData("2026-Q1")]
    [InlineData("Q1 2026")]
    public void OtherQuarterSpellingsAreRefused(string text) => Assert.Null(Quarter.Parse(text));

    [Fact]
    public void AGoodFileIsRead()
    {
        var csv = "county,quarter,indicator,target,achieved,source\nNakuru,2026Q1,firearms_recovered,20,25,County Commissioner return\n032,2026Q1,ids_issued,\"15,000\",14000.5,NRB\n";
        var (rows, errors) = ScorecardImport.Read(new StringReader(csv), DialogDriver.Catalog, DateTime.UtcNow);
        Assert.Empty(errors);
        Assert.Equal([("032", "2026Q1", "firearms_recovered", 20m, 25m), ("032", "2026Q1", "ids_issued", 15000m, 14000.5m)],
            rows.Select(r => (r.CountyCode, r.Quarter, r.IndicatorId, r.Target, r.Achieved)));
    }

    [Fact]
    public void EveryBadRowIsReportedWithItsLineAndReason()
    {
        var csv = string.Join('\n',
            "county,quarter,indicator,target,achieved,source",
            "Atlantis,2026Q1,firearms_recovered,20,25,x",
            "Nakuru,2026Q5,firearms_recovered,20,25,x",
            "Nakuru,2026Q1,guns,20,25,x",
            "Nakuru,2026Q1,ids_issued,-3,many,x",
            "Nakuru,2026Q1,chiefs_trained,1,1,",
            "Nakuru,2026Q1,seedlings_planted,1,1,x",
            "032,2026Q1,seedlings_planted,1,2,y");
        var (_, errors) = ScorecardImport.Read(new StringReader(csv), DialogDriver.Catalog, DateTime.UtcNow);
        Assert.Equal(
            [
                "line 2: 'Atlantis' is not one county (use its name or code)",
                "line 3: quarter '2026Q5' is not like 2026Q1",
                "line 4: no indicator 'guns' in indicators.yaml",
                "line 5: target '-3' is not a number of 0 or more",
                "line 5: achieved 'many' is not a number of 0 or more",
                "line 6: source is empty: say where the figure comes from",
                "line 8: the same county, quarter and indicator as line 7",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void AFileWithoutTheColumnsIsRefused()
    {
        var (_, errors) = ScorecardImport.Read(new StringReader("county;quarter\nNakuru;2026Q1\n"), DialogDriver.Catalog, DateTime.UtcNow);
        Assert.StartsWith("line 1: missing column(s): ", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }
}

public class ScorecardSummaryTests
{
    [Fact]
    public void TheSummaryFitsOneUssdScreenForEveryCountyInBothLanguages()
    {
        var catalog = DialogDriver.Catalog;
        foreach (var county in catalog.Counties)
        {
            foreach (var grade in Enum.GetValues<Grade>())
            {
                var lines = catalog.Indicators.Select(i => new IndicatorLine(i, 1, 1, grade)).ToList();
                var citizens = new CitizenMeasures(new Dictionary<string, int>(), 99_999, 99_999, 99_999, 999.5, 4.96, 99_999, 99_999, grade, grade, grade);
                var card = new CountyScorecard(county, new Quarter(2026, 4), lines, citizens, grade);
                foreach (var language in Jukwaa.Bot.Core.Dialogs.Languages.All)
                {
                    var summary = ScorecardText.Summary(card, catalog, language);
                    Assert.True(summary.Length <= 160, $"{county.Name} {grade} ({language}): {summary.Length} characters: {summary}");
                    Assert.True(Jukwaa.Bot.Core.Text.Gsm7.IsGsm7(summary), summary);
                }
            }
        }
    }
}
