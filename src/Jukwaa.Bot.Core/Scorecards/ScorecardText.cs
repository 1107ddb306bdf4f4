using System.Globalization;
using System.Text;
using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>
/// A scorecard in words, drawn from its figures (<see cref="ScorecardSnapshot"/>) whenever it is shown or
/// sent, never stored: the full version (Telegram, the command line) and the summary (USSD, SMS). Category
/// counts as <see cref="SmallCounts"/> publishes them, the same rule as the web pages.
/// </summary>
public static class ScorecardText
{
    public static string Full(CountyScorecard card, DialogCatalog catalog, string language) =>
        Full(card.County.Name, card.Quarter.ToString(), card.Overall, ScorecardSnapshot.Of(card), catalog, language);

    public static string Full(PublishedScorecard card, DialogCatalog catalog, string language) =>
        Full(CountyName(card, catalog), card.Quarter, card.Overall, card.Snapshot, catalog, language);

    /// <summary>One USSD screen or SMS part: the overall grade, how many targets are surpassed, on track and behind, reports acted on, trust.</summary>
    public static string Summary(CountyScorecard card, DialogCatalog catalog, string language) =>
        Summary(card.County.Name, card.Quarter.ToString(), card.Overall, ScorecardSnapshot.Of(card), catalog, language);

    public static string Summary(PublishedScorecard card, DialogCatalog catalog, string language) =>
        Summary(CountyName(card, catalog), card.Quarter, card.Overall, card.Snapshot, catalog, language);

    private static string Full(string county, string quarter, Grade overall, ScorecardSnapshot data, DialogCatalog catalog, string language)
    {
        string T(string key, params (string, string)[] args) => catalog.Text(key, language, args.ToDictionary(a => a.Item1, a => a.Item2));
        string G(Grade grade) => T("scorecard.grade." + grade.ToString().ToLowerInvariant());
        var text = new StringBuilder().AppendLine(T("scorecard.title", ("county", county), ("quarter", quarter), ("grade", G(overall))));
        foreach (var line in data.Indicators.Where(l => l.Grade != Grade.NoData))
        {
            var indicator = catalog.Indicator(line.Id);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {indicator?.Name.Get(language) ?? line.Id}: {Amount(line.Achieved!.Value)} / {Amount(line.Target!.Value)} {indicator?.Unit.Get(language)} ({G(line.Grade)})");
        }
        text.AppendLine(T("scorecard.reports", ("count", data.Received.ToString(CultureInfo.InvariantCulture))));
        var categories = SmallCounts.Publish(data.ReportsByCategory, catalog.Categories);
        foreach (var figure in categories.Shown)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Label(figure, language)}: {Count(figure, language, catalog)}");
        }
        if (categories.Withheld) text.AppendLine(T("scorecard.categories_withheld"));
        text.AppendLine(T("scorecard.actioned", ("actioned", Percent(data.Actioned, data.Received)), ("closed", Percent(data.Closed, data.Received)), ("grade", G(data.ActionedGrade))));
        text.AppendLine(T("scorecard.speed", ("days", OneDecimal(data.MedianDaysToAction)), ("grade", G(data.SpeedGrade))));
        text.AppendLine(T("scorecard.trust", ("mean", OneDecimal(data.MeanTrust)),
            ("responses", data.QuestionnaireResponses.ToString(CultureInfo.InvariantCulture)), ("grade", G(data.TrustGrade))));
        return text.ToString().TrimEnd();
    }

    private static string Summary(string county, string quarter, Grade overall, ScorecardSnapshot data, DialogCatalog catalog, string language) =>
        catalog.Text("scorecard.short", language, new Dictionary<string, string>
        {
            ["county"] = county,
            ["quarter"] = quarter,
            ["grade"] = catalog.Text("scorecard.grade." + overall.ToString().ToLowerInvariant(), language),
            ["surpassed"] = data.Indicators.Count(l => l.Grade == Grade.Surpassed).ToString(CultureInfo.InvariantCulture),
            ["ontrack"] = data.Indicators.Count(l => l.Grade == Grade.OnTrack).ToString(CultureInfo.InvariantCulture),
            ["behind"] = data.Indicators.Count(l => l.Grade == Grade.Behind).ToString(CultureInfo.InvariantCulture),
            ["reports"] = data.Received.ToString(CultureInfo.InvariantCulture),
            ["actioned"] = Percent(data.Actioned, data.Received),
            ["trust"] = OneDecimal(data.MeanTrust),
        });

    private static string CountyName(PublishedScorecard card, DialogCatalog catalog) => catalog.County(card.CountyCode)?.Name ?? card.CountyCode;

    /// <summary>A category's count as published (<see cref="SmallCounts"/>): a number, or "fewer than 5".</summary>
    public static string Count(CategoryFigure figure, string language, DialogCatalog catalog) =>
        figure.Count is { } count ? count.ToString(CultureInfo.InvariantCulture) : catalog.Text("scorecard.fewer_than_5", language);

    public static string Label(CategoryFigure figure, string language) => figure.Category?.Label.Get(language) ?? figure.Id;

    /// <summary>A share as every surface prints it: "40%", or "-" of nothing.</summary>
    public static string Percent(int part, int whole) => whole == 0 ? "-" : ((double)part / whole).ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>An indicator's target or achievement: "1,200" or "2.5".</summary>
    public static string Amount(decimal value) => value.ToString(value == decimal.Truncate(value) ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A mean or a median: "3.4", or "-" when there is none.</summary>
    public static string OneDecimal(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
