using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>One bar of a question's distribution: a choice (or a number, or a range of numbers) and how many gave it.</summary>
public sealed record DistributionRow(string Label, int Count);

/// <summary>
/// What one question's answers add up to: how many answered, the distribution (choices in the questionnaire's order,
/// numbers in order), the mean of a rating or an integer, and whether its answers are free text (counted only here).
/// </summary>
public sealed record QuestionFigures(Question Question, string Label, int Answered, IReadOnlyList<DistributionRow> Rows, double? Mean)
{
    /// <summary>Integers with more distinct values than this are shown in ranges of equal width.</summary>
    public const int MaxIntegerRows = 12;

    public bool IsFreeText => Question.Type == QuestionType.Text;

    /// <summary>A row's share of those who answered, 0–100 (multiple choice shares add up to more than 100).</summary>
    public double Percent(DistributionRow row) => Answered == 0 ? 0 : 100.0 * row.Count / Answered;

    /// <summary>Every question of a questionnaire version with its figures, from the counts the database grouped.</summary>
    public static IReadOnlyList<QuestionFigures> Of(QuestionnaireDefinition definition, IReadOnlyList<AnswerCount> counts, DialogCatalog catalog, string language)
    {
        var byQuestion = counts.ToLookup(c => c.QuestionId, StringComparer.Ordinal);
        return [.. definition.Questions.Select(q => For(definition, q, [.. byQuestion[q.Id]], catalog, language))];
    }

    private static QuestionFigures For(QuestionnaireDefinition definition, Question question, List<AnswerCount> counts, DialogCatalog catalog, string language)
    {
        var label = question.Label.Get(language);
        var answered = counts.Sum(c => c.Count);
        switch (question.Type)
        {
            case QuestionType.Text:
                return new(question, label, answered, [], null);
            case QuestionType.Integer:
                return Integers(question, label, counts);
            case QuestionType.County:
                return new(question, label, answered,
                    [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)
                        .Select(c => new DistributionRow(catalog.County(c.Value)?.Name ?? c.Value, c.Count))], null);
        }
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var count in counts)
        {
            // Multiple choice is stored as the chosen values joined by commas: the database groups each combination.
            foreach (var value in question.Type == QuestionType.Multiple ? count.Value.Split(',') : [count.Value])
            {
                tally[value] = tally.GetValueOrDefault(value) + count.Count;
            }
        }
        var choices = definition.ChoicesFor(question, catalog);
        List<DistributionRow> rows = [.. choices.Select(c => new DistributionRow(c.Label.Get(language), tally.GetValueOrDefault(c.Value)))];
        // A value no choice has any more (a choice removed from the list) is still counted, under its stored value.
        rows.AddRange(tally.Where(t => choices.All(c => c.Value != t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new DistributionRow(t.Key, t.Value)));
        double? mean = null;
        if (question.Type == QuestionType.Rating && answered > 0)
        {
            mean = counts.Sum(c => Number(c.Value) * c.Count) / answered;
        }
        return new(question, label, answered, rows, mean);
    }

    private static QuestionFigures Integers(Question question, string label, List<AnswerCount> counts)
    {
        var numbers = counts.Select(c => (Value: Number(c.Value), c.Count)).Where(n => !double.IsNaN(n.Value)).OrderBy(n => n.Value).ToList();
        var answered = numbers.Sum(n => n.Count);
        double? mean = answered == 0 ? null : numbers.Sum(n => n.Value * n.Count) / answered;
        if (numbers.Count <= MaxIntegerRows)
        {
            return new(question, label, answered, [.. numbers.Select(n => new DistributionRow(Format(n.Value), n.Count))], mean);
        }
        var low = (long)numbers[0].Value;
        var high = (long)numbers[^1].Value;
        var width = (long)Math.Ceiling((high - low + 1) / (double)(MaxIntegerRows - 2));
        var rows = new List<DistributionRow>();
        for (var start = low; start <= high; start += width)
        {
            var end = start + width - 1;
            var inRange = numbers.Where(n => n.Value >= start && n.Value <= end).Sum(n => n.Count);
            rows.Add(new DistributionRow(string.Create(CultureInfo.InvariantCulture, $"{start}–{end}"), inRange));
        }
        return new(question, label, answered, rows, mean);
    }

    private static double Number(string value) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
