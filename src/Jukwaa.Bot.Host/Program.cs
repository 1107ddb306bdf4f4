using Jukwaa.Bot.Host.Cli;
using Jukwaa.Bot.Host.Hosting;

// The executable is also the command line: `serve` (the default) or a verb (`jukwaa --help` lists them).
if (!Verbs.IsServe(args)) return await Verbs.RunAsync(args);
if (args is ["serve", .. var rest]) args = rest;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddJukwaa();
    builder.QuietUntilStarted();

    var app = builder.Build();
    await app.PrepareAsync();
    app.MapJukwaa();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupProblems.From(ex) is { Count: > 0 } problems && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A misconfigured host says what to fix in a sentence per key, not a stack trace. (Hosted by
    // another program, such as WebApplicationFactory in tests, the exception goes to that program.)
    foreach (var problem in problems) Console.Error.WriteLine("Jukwaa Bot cannot start: " + problem);
    return 1;
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    Console.Error.WriteLine($"Cannot serve: {ex.Message.TrimEnd('.')} (is another host running?). Stop it, or choose another address with --urls.");
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
