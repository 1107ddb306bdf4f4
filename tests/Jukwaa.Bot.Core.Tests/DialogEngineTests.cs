using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Tests;

public class DialogEngineTests
{
    private static async Task<DialogDriver> AtSummaryAsync()
    {
        var driver = new DialogDriver();
        await driver.StartAsync("report");
        await driver.SendAsync("2");            // organised gangs
        await driver.SendAsync("kisumu");
        await driver.SendAsync("1");            // Kisumu
        await driver.SendAsync("Kibuye market");
        await driver.SendAsync("Traders threatened");
        var summary = await driver.SendAsync("2"); // not hidden
        Assert.Equal("summary", driver.Conversation.State);
        Assert.Contains("Organised gangs, Kisumu. At: Kibuye market. Traders threatened Hidden: No", summary.Text, StringComparison.Ordinal);
        return driver;
    }

    [Fact]
    public async Task SubmittingStoresTheReportAndEndsWithItsReference()
    {
        var driver = await AtSummaryAsync();
        var done = await driver.SendAsync("1");

        Assert.True(done.Ends);
        var report = Assert.Single(driver.Reports.Saved);
        Assert.Equal(("gangs", "042", false, ReportStatus.Received), (report.Category, report.CountyCode, report.Anonymous, report.Status));
        Assert.Equal("Traders threatened", DialogDriver.Protector.Unseal(report.DetailsSealed));
        Assert.Contains(ReferenceNumber.Format(report.Reference), done.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("details", driver.Data.Keys);
    }

    [Fact]
    public async Task CorrectingAnAnswerReturnsToTheSummary()
    {
        var driver = await AtSummaryAsync();
        await driver.SendAsync("2");                   // correct something
        var county = await driver.SendAsync("2");      // county
        Assert.Contains("Which county?", county.Text, StringComparison.Ordinal);
        await driver.SendAsync("Nakuru");
        var summary = await driver.SendAsync("1");

        Assert.Equal("summary", driver.Conversation.State);
        Assert.Contains("Organised gangs, Nakuru.", summary.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongChoiceIsAskedAgainSayingWhatIsAccepted()
    {
        var driver = new DialogDriver();
        await driver.StartAsync("report");
        var again = await driver.SendAsync("13");
        Assert.Equal("category", driver.Conversation.State);
        Assert.StartsWith("Please reply with a number from 1 to 12.", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLongATextIsRefusedWithItsLength()
    {
        var driver = await AtSummaryAsync();
        await driver.SendAsync("2");
        await driver.SendAsync("4");   // what happened
        var refused = await driver.SendAsync(new string('x', 301));
        Assert.Equal("details", driver.Conversation.State);
        Assert.StartsWith("Too long: 301 characters. Please use at most 300.", refused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCountyIsSaidAndAskedAgain()
    {
        var driver = new DialogDriver("sw");
        await driver.StartAsync("report");
        await driver.SendAsync("1");
        var again = await driver.SendAsync("Atlantis");
        Assert.Equal("county", driver.Conversation.State);
        Assert.StartsWith("Hakuna kaunti inayolingana na \"Atlantis\".", again.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChoosingALanguageRemembersItAndOpensTheMainMenu()
    {
        var driver = new DialogDriver(language: null!);
        await driver.StartAsync("language");
        var menu = await driver.SendAsync("2");
        Assert.Equal("main", driver.Conversation.DialogId);
        Assert.Contains("Ripoti tukio", DialogDriver.Show(menu), StringComparison.Ordinal);
    }
}
