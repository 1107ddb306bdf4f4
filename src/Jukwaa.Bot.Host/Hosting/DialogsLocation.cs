namespace Jukwaa.Bot.Host.Hosting;

/// <summary>Where <c>dialogs/</c> is: <c>Dialogs:Path</c>, else the nearest folder named <c>dialogs</c> above the working directory or the program.</summary>
public static class DialogsLocation
{
    public const string ConfigurationKey = "Dialogs:Path";

    public static string Find(IConfiguration configuration)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } configured) return Path.GetFullPath(configured);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "dialogs");
                if (File.Exists(Path.Combine(candidate, "main.yaml"))) return candidate;
            }
        }
        throw new InvalidOperationException($"No dialogs folder found above {Directory.GetCurrentDirectory()}; set {ConfigurationKey}.");
    }
}
