namespace Jukwaa.Bot.Tests;

/// <summary>Finds the repository's folders from a test's output directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Dialogs => Path.Combine(Root, "dialogs");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jukwaa.Bot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Jukwaa.Bot.sln not found above " + AppContext.BaseDirectory);
    }
}
