using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Tests;

public class CountySearchTests
{
    private static List<string> Search(string typed) =>
        [.. CountySearchAction.Search(DialogDriver.Catalog, typed).Select(c => c.Name)];

    [Fact]
    public void EveryCountyIsFoundByItsNameAloneAndByItsCode()
    {
        foreach (var county in DialogDriver.Catalog.Counties)
        {
            Assert.Equal([county.Name], Search(county.Name.ToUpperInvariant()));
            Assert.Equal([county.Name], Search(county.Code));
            Assert.Equal([county.Name], Search(int.Parse(county.Code, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Theory]
    [InlineData("kisumo", "Kisumu")]
    [InlineData("nairobi", "Nairobi City")]
    [InlineData("muranga", "Murang'a")]
    [InlineData("elgeyo marakwet", "Elgeyo-Marakwet")]
    [InlineData("homabay", "Homa Bay")]
    [InlineData("Machakoss", "Machakos")]
    [InlineData("eldoret", "Uasin Gishu")]
    public void CommonSpellingsAndMistakesFindTheCounty(string typed, string county) =>
        Assert.Contains(county, Search(typed));

    [Fact]
    public void APrefixGivesAShortList()
    {
        var found = Search("ka");
        Assert.InRange(found.Count, 2, CountySearchAction.MaxMatches);
        Assert.All(found, name => Assert.StartsWith("Ka", name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zzzzzz")]
    [InlineData("99")]
    [InlineData("!!")]
    public void NonsenseFindsNothing(string typed) => Assert.Empty(Search(typed));
}
