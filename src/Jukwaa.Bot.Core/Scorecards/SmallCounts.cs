using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>One category of a published scorecard: its count, or null for "fewer than 5".</summary>
public sealed record CategoryFigure(string Id, Category? Category, int? Count);

/// <summary>The reports-by-category figures as published; <see cref="Withheld"/>: none are shown.</summary>
public sealed record CategoryFigures(IReadOnlyList<CategoryFigure> Shown, bool Withheld);

/// <summary>
/// Small-count protection for every surface that publishes a scorecard (web pages, Telegram, SMS, the
/// command line). A sensitive category with 1 to 4 reports reads "fewer than 5"; the total stays exact,
/// so the hidden count must not be recoverable by subtraction. Complementary suppression: when any
/// sensitive count is hidden, every category under 5, none included, reads "fewer than 5", so the
/// remainder is spread over many cells of 0 to 4. Where even that leaves a hidden count with one possible
/// value (every hidden cell at 4, or a single hidden cell), no category is shown that quarter.
/// </summary>
public static class SmallCounts
{
    public const int Threshold = 5;

    public static CategoryFigures Publish(IReadOnlyDictionary<string, int> counts, IReadOnlyList<Category> categories)
    {
        var all = categories.Select(c => (c.Id, Category: (Category?)c))
            .Concat(counts.Keys.Where(id => categories.All(c => c.Id != id)).Order(StringComparer.Ordinal).Select(id => (Id: id, Category: (Category?)null)))
            .Select(c => (c.Id, c.Category, Count: counts.GetValueOrDefault(c.Id), Sensitive: c.Category?.Sensitive ?? false))
            .ToList();
        var exact = all.Where(c => c.Count >= Threshold).OrderByDescending(c => c.Count).ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new CategoryFigure(c.Id, c.Category, c.Count)).ToList();
        if (!all.Any(c => c.Sensitive && c.Count is > 0 and < Threshold))
        {
            return new([.. exact, .. all.Where(c => c.Count is > 0 and < Threshold).OrderByDescending(c => c.Count).ThenBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => new CategoryFigure(c.Id, c.Category, c.Count))], false);
        }

        // Hidden in catalog order (never by size, which would rank them); each lies in 0..4 and together they make the remainder.
        var hidden = all.Where(c => c.Count < Threshold).ToList();
        var remainder = hidden.Sum(c => c.Count);
        var sensitiveHidden = hidden.Count(c => c.Sensitive);
        bool Ambiguous(bool sensitive) => Enumerable.Range(0, Threshold).Count(v =>
            remainder - v >= 0 && remainder - v <= (Threshold - 1) * (hidden.Count - 1)
            && (v > 0 || (sensitiveHidden > 1 && remainder > 0) || !sensitive)) >= 2;
        return hidden.Where(c => c.Sensitive && c.Count > 0).All(c => Ambiguous(c.Sensitive))
            ? new([.. exact, .. hidden.Select(c => new CategoryFigure(c.Id, c.Category, null))], false)
            : new([], true);
    }
}
