using System.Globalization;
using System.Text;
using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>A scorecard in words: the full version (Telegram, the command line). Small counts in sensitive categories read "fewer than 5".</summary>
public static class ScorecardText
{
    public const int SmallCount = 5;

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
        text.AppendLine(T("scorecard.reports", ("count", Count(citizens.Received, false, language, catalog))));
        foreach (var (category, count) in citizens.ReportsByCategory.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var sensitive = catalog.Category(category)?.Sensitive ?? false;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {catalog.Category(category)?.Label.Get(language) ?? category}: {Count(count, sensitive, language, catalog)}");
        }
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

    /// <summary>A count as citizens may see it: under 5 in a sensitive category reads "fewer than 5".</summary>
    public static string Count(int count, bool sensitive, string language, DialogCatalog catalog) =>
        sensitive && count is > 0 and < SmallCount ? catalog.Text("scorecard.fewer_than_5", language) : count.ToString(CultureInfo.InvariantCulture);

    private static string Percent(int part, int whole) => whole == 0 ? "-" : ((double)part / whole).ToString("0%", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(value == decimal.Truncate(value) ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);
}
