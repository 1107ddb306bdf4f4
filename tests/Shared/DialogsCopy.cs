namespace Jukwaa.Bot.Tests;

/// <summary>A throw-away copy of dialogs/ to break on purpose.</summary>
internal sealed class DialogsCopy : IDisposable
{
    public DialogsCopy()
    {
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(RepoPaths.Dialogs, file);
            if (relative.StartsWith("tests", StringComparison.Ordinal)) continue;
            var target = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "jukwaa-dialogs-" + Guid.NewGuid().ToString("N"));

    /// <summary>Changes one file; fails the test if the change did nothing (the text to break was not found).</summary>
    public void Edit(string file, Func<string, string> change)
    {
        var path = System.IO.Path.Combine(Path, file);
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }

    /// <summary>Adds a file (e.g. a new questionnaire version).</summary>
    public void Add(string file, string text) => File.WriteAllText(System.IO.Path.Combine(Path, file), text);

    public string Read(string file) => File.ReadAllText(System.IO.Path.Combine(Path, file));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
