using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Tests;

namespace Jukwaa.Bot.Core.Tests;

/// <summary>What the console's result charts show, from the counts the database grouped.</summary>
public class QuestionFiguresTests
{
    private static readonly DialogCatalog s_catalog = new DialogCatalogLoader(DialogDriver.Registry()).LoadOrThrow(RepoPaths.Dialogs);

    private static QuestionFigures Figures(string question, params AnswerCount[] counts) =>
        QuestionFigures.Of(s_catalog.Questionnaire("forum")!, counts, s_catalog, Languages.English).Single(f => f.Question.Id == question);

    [Fact]
    public void MultipleChoiceCombinationsAreSplitIntoChoicesAndSharesAreOfThoseWhoAnswered()
    {
        var concerns = Figures("concerns", new AnswerCount("concerns", "gangs,land", 2), new AnswerCount("concerns", "gangs", 1), new AnswerCount("concerns", "land,sgbv,gangs", 1));
        Assert.Equal(4, concerns.Answered);
        Assert.Equal(10, concerns.Rows.Count);
        var gangs = concerns.Rows.Single(r => r.Label == "Gangs");
        Assert.Equal((4, 100.0), (gangs.Count, concerns.Percent(gangs)));
        Assert.Equal(3, concerns.Rows.Single(r => r.Label == "Land disputes").Count);
        Assert.Null(concerns.Mean);
    }

    [Fact]
    public void RatingsHaveAMeanAndEveryRatingARowEvenWhenNobodyGaveIt()
    {
        var trust = Figures("trust_police", new AnswerCount("trust_police", "5", 3), new AnswerCount("trust_police", "2", 1));
        Assert.Equal(["1 Very low", "2 Low", "3 Fair", "4 High", "5 Very high"], trust.Rows.Select(r => r.Label));
        Assert.Equal([0, 1, 0, 0, 3], trust.Rows.Select(r => r.Count));
        Assert.Equal(4.25, trust.Mean);
    }

    [Fact]
    public void IntegersWithManyValuesAreShownInRangesAndTheMeanIsOfTheValues()
    {
        var few = Figures("id_weeks", new AnswerCount("id_weeks", "2", 2), new AnswerCount("id_weeks", "10", 1));
        Assert.Equal([("2", 2), ("10", 1)], few.Rows.Select(r => (r.Label, r.Count)));
        Assert.Equal(14 / 3.0, few.Mean!.Value, 6);

        var many = Figures("id_weeks", [.. Enumerable.Range(0, 50).Select(n => new AnswerCount("id_weeks", n.ToString(System.Globalization.CultureInfo.InvariantCulture), 1))]);
        Assert.True(many.Rows.Count <= QuestionFigures.MaxIntegerRows, $"{many.Rows.Count} rows");
        Assert.Equal("0–4", many.Rows[0].Label);
        Assert.Equal(50, many.Rows.Sum(r => r.Count));
        Assert.Equal(24.5, many.Mean);
    }

    [Fact]
    public void FreeTextIsCountedNeverShown()
    {
        var suggestion = Figures("suggestion", new AnswerCount("suggestion", "", 7));
        Assert.True(suggestion.IsFreeText);
        Assert.Equal(7, suggestion.Answered);
        Assert.Empty(suggestion.Rows);
    }
}
