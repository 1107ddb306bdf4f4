using Jukwaa.Bot.Host.Cli;
using Jukwaa.Bot.Host.Hosting;

// The executable is also the command line: `migrate`, `dialogs check`, `dialogs graph`, `simulate`.
if (!Verbs.IsServe(args)) return await Verbs.RunAsync(args);
if (args is ["serve", .. var rest]) args = rest;

var builder = WebApplication.CreateBuilder(args);
builder.AddJukwaa();
builder.QuietUntilStarted();

var app = builder.Build();
await app.PrepareAsync();
app.MapJukwaa();
try
{
    await app.RunAsync();
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    Console.Error.WriteLine($"Cannot serve: {ex.Message.TrimEnd('.')} (is another host running?). Stop it, or choose another address with --urls.");
    return 1;
}
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
