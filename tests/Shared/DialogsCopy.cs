namespace Jukwaa.Bot.Tests;

/// <summary>A throw-away copy of dialogs/ to break on purpose.</summary>
internal sealed class DialogsCopy : IDisposable
{
    public DialogsCopy()
    {
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml"))
        {
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
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

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
