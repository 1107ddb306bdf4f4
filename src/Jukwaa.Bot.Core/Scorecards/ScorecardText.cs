using System.Globalization;
using System.Text;
using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>A scorecard in words: the full version (Telegram, the command line). Category counts as <see cref="SmallCounts"/> publishes them.</summary>
public static class ScorecardText
{
    public static string Full(CountyScorecard card, DialogCatalog catalog, string language)
    {
        string T(string key, params (string, string)[] args) => catalog.Text(key, language, args.ToDictionary(a => a.Item1, a => a.Item2));
        string G(Grade grade) => T("scorecard.grade." + grade.ToString().ToLowerInvariant());
        var text = new StringBuilder()
            .AppendLine(T("scorecard.title", ("county", card.County.Name), ("quarter", card.Quarter.ToString()), ("grade", G(card.Overall))));
        foreach (var line in card.Indicators.Where(l => l.Grade != Grade.NoData))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {line.Indicator.Name.Get(language)}: {Number(line.Achieved!.Value)} / {Number(line.Target!.Value)} {line.Indicator.Unit.Get(language)} ({G(line.Grade)})");
        }
        var citizens = card.Citizens;
        text.AppendLine(T("scorecard.reports", ("count", citizens.Received.ToString(CultureInfo.InvariantCulture))));
        var categories = SmallCounts.Publish(citizens.ReportsByCategory, catalog.Categories);
        foreach (var figure in categories.Shown)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Label(figure, language)}: {Count(figure, language, catalog)}");
        }
        if (categories.Withheld) text.AppendLine(T("scorecard.categories_withheld"));
        text.AppendLine(T("scorecard.actioned", ("actioned", Percent(citizens.Actioned, citizens.Received)), ("closed", Percent(citizens.Closed, citizens.Received)), ("grade", G(citizens.ActionedGrade))));
        text.AppendLine(T("scorecard.speed", ("days", citizens.MedianDaysToAction is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "-"), ("grade", G(citizens.SpeedGrade))));
        text.AppendLine(T("scorecard.trust", ("mean", citizens.MeanTrust is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) : "-"),
            ("responses", citizens.QuestionnaireResponses.ToString(CultureInfo.InvariantCulture)), ("grade", G(citizens.TrustGrade))));
        return text.ToString().TrimEnd();
    }

    /// <summary>One USSD screen or SMS part: the overall grade, how the targets stand, reports acted on, trust.</summary>
    public static string Summary(CountyScorecard card, DialogCatalog catalog, string language)
    {
        string G(Grade grade) => catalog.Text("scorecard.grade." + grade.ToString().ToLowerInvariant(), language);
        var citizens = card.Citizens;
        return catalog.Text("scorecard.short", language, new Dictionary<string, string>
        {
            ["county"] = card.County.Name,
            ["quarter"] = card.Quarter.ToString(),
            ["grade"] = G(card.Overall),
            ["surpassed"] = card.Indicators.Count(l => l.Grade == Grade.Surpassed).ToString(CultureInfo.InvariantCulture),
            ["behind"] = card.Indicators.Count(l => l.Grade == Grade.Behind).ToString(CultureInfo.InvariantCulture),
            ["reports"] = citizens.Received.ToString(CultureInfo.InvariantCulture),
            ["actioned"] = Percent(citizens.Actioned, citizens.Received),
            ["trust"] = citizens.MeanTrust is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) : "-",
        });
    }

    /// <summary>A category's count as published (<see cref="SmallCounts"/>): a number, or "fewer than 5".</summary>
    public static string Count(CategoryFigure figure, string language, DialogCatalog catalog) =>
        figure.Count is { } count ? count.ToString(CultureInfo.InvariantCulture) : catalog.Text("scorecard.fewer_than_5", language);

    public static string Label(CategoryFigure figure, string language) => figure.Category?.Label.Get(language) ?? figure.Id;

    private static string Percent(int part, int whole) => whole == 0 ? "-" : ((double)part / whole).ToString("0%", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(value == decimal.Truncate(value) ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);
}
