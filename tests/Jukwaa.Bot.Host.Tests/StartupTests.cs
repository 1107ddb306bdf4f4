using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Tests;

namespace Jukwaa.Bot.Host.Tests;

public class StartupTests
{
    [Fact]
    public async Task TheHostRefusesToStartOnAnInvalidDialogNamingFileAndLine()
    {
        var broken = Path.Combine(Path.GetTempPath(), "jukwaa-broken-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(broken);
        try
        {
            foreach (var file in Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml")) File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
            var report = Path.Combine(broken, "report.yaml");
            File.WriteAllText(report, File.ReadAllText(report).Replace("next: details", "next: detials", StringComparison.Ordinal));

            await using var app = new JukwaaApp(dialogsPath: broken);
            var error = Assert.Throws<DefinitionException>(() => app.CreateClient());
            Assert.Contains("report.yaml:", error.Message, StringComparison.Ordinal);
            Assert.Contains("names state 'detials', which does not exist", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }
}
