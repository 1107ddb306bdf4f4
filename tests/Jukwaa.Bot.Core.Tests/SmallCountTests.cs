using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Scorecards;

namespace Jukwaa.Bot.Core.Tests;

/// <summary>
/// DESIGN.md: a count under 5 in a sensitive category reads "fewer than 5", and nothing published beside
/// it lets anyone work it out. Each case is a county's report counts; we read the scorecard as published
/// (the full text of Telegram SCORE and <c>scorecards show</c>; the web page draws the same figures from
/// <see cref="SmallCounts"/>) and solve for each hidden sensitive count from everything shown: the total,
/// every exact count, "fewer than 5" meaning 0 to 4, a category not listed meaning none (unless no
/// category is listed), and that at least one hidden sensitive count is 1 to 4. It must keep at least two
/// possible values.
/// </summary>
public class SmallCountTests
{
    private static readonly DialogCatalog s_catalog = DialogDriver.Catalog;

    public static TheoryData<string> Named() =>
    [
        "other=2,gangs=1,sgbv=1",            // the issue's case: 4 - 2 - 1 gave SGBV = 1
        "gangs=6,sgbv=2",
        "sgbv=3",
        "sgbv=1,terrorism=1",
        "sgbv=4,terrorism=4",
        "sgbv=2,terrorism=7",
        "sgbv=1,terrorism=5,gangs=9,smuggling=5,alcohol_drugs=5,firearms=5,stock_theft=5,boda_boda=5,land=5,id_services=5,administration=5,other=5",
        "sgbv=4,terrorism=4,gangs=4,smuggling=4,alcohol_drugs=4,firearms=4,stock_theft=4,boda_boda=4,land=4,id_services=4,administration=4,other=4",
        "sgbv=4,terrorism=9,gangs=4,smuggling=4,alcohol_drugs=4,firearms=4,stock_theft=4,boda_boda=4,land=4,id_services=4,administration=4,other=4",
    ];

    [Theory]
    [MemberData(nameof(Named))]
    public void NoHiddenCountCanBeWorkedOutFromTheFiguresBesideIt(string counts) =>
        AssertNothingDerivable(counts.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture)));

    [Fact]
    public void NoHiddenCountCanBeWorkedOutInThousandsOfGeneratedCounties()
    {
        var random = new Random(11);
        for (var n = 0; n < 5000; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var category in s_catalog.Categories)
            {
                var roll = random.NextDouble();
                var count = roll < 0.4 ? 0 : roll < 0.75 ? random.Next(1, 5) : roll < 0.9 ? random.Next(5, 8) : random.Next(8, 40);
                if (count > 0) counts[category.Id] = count;
            }
            AssertNothingDerivable(counts);
        }
    }

    [Fact]
    public void WithoutASmallSensitiveCountEveryCountIsShownAsItIs()
    {
        var published = SmallCounts.Publish(new Dictionary<string, int> { ["gangs"] = 6, ["other"] = 2, ["sgbv"] = 5 }, s_catalog.Categories);
        Assert.False(published.Withheld);
        Assert.Equal([("gangs", (int?)6), ("sgbv", 5), ("other", 2)], published.Shown.Select(c => (c.Id, c.Count)));
    }

    private static void AssertNothingDerivable(Dictionary<string, int> counts)
    {
        var total = counts.Values.Sum();
        var card = new CountyScorecard(s_catalog.Counties[0], new Quarter(2026, 3), [],
            new CitizenMeasures(counts, total, 0, 0, null, null, 0, 0, Grade.NoData, Grade.NoData, Grade.NoData), Grade.NoData);
        var text = ScorecardText.Full(card, s_catalog, Languages.English);
        var what = string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}")) + "\n" + text;

        var lines = text.Split('\n');
        var totalLine = Array.FindIndex(lines, l => l.StartsWith("Citizen reports: ", StringComparison.Ordinal));
        Assert.Equal(total, int.Parse(lines[totalLine]["Citizen reports: ".Length..], CultureInfo.InvariantCulture));
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(totalLine + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)))
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            var category = s_catalog.Categories.Single(c => c.Label.Get(Languages.English) == line[2..colon]);
            shown[category.Id] = line[(colon + 2)..];
        }

        // What a reader knows of each category: its exact count, or the range it lies in.
        var bounds = s_catalog.Categories.ToDictionary(c => c.Id, c => shown.TryGetValue(c.Id, out var value)
            ? value == "fewer than 5" ? (0, 4) : (int.Parse(value, CultureInfo.InvariantCulture), int.Parse(value, CultureInfo.InvariantCulture))
            : shown.Count == 0 ? (0, total) : (0, 0));
        foreach (var (id, (low, high)) in bounds.Where(b => b.Value.Item1 == b.Value.Item2))
        {
            Assert.True(counts.GetValueOrDefault(id) == low, $"{id} shown as {low}: {what}");
        }
        var hiddenSensitive = s_catalog.Categories.Where(c => c.Sensitive && shown.GetValueOrDefault(c.Id) == "fewer than 5").Select(c => c.Id).ToHashSet();

        foreach (var category in s_catalog.Categories.Where(c => c.Sensitive && counts.GetValueOrDefault(c.Id) is > 0 and < SmallCounts.Threshold))
        {
            var (low, high) = bounds[category.Id];
            Assert.True(low != high, $"{category.Id} = {counts[category.Id]} is shown exactly: {what}");
            var possible = Enumerable.Range(low, high - low + 1).Where(v => Feasible(category.Id, v)).ToList();
            Assert.True(possible.Count >= 2, $"{category.Id} can only be {string.Join(" or ", possible)}: {what}");
        }

        // Can the others take values within their ranges that add up to the total, with a hidden sensitive count of 1 to 4?
        bool Feasible(string id, int value)
        {
            var reachable = new HashSet<(int Sum, bool Small)> { (value, hiddenSensitive.Contains(id) && value is >= 1 and <= 4) };
            foreach (var (other, (low, high)) in bounds.Where(b => b.Key != id))
            {
                reachable = [.. from state in reachable
                                from v in Enumerable.Range(low, high - low + 1)
                                where state.Sum + v <= total
                                select (state.Sum + v, state.Small || (hiddenSensitive.Contains(other) && v is >= 1 and <= 4))];
            }
            return reachable.Contains((total, true)) || (hiddenSensitive.Count == 0 && reachable.Contains((total, false)));
        }
    }
}
