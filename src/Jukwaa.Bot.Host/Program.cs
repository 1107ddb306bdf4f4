using Jukwaa.Bot.Host.Cli;
using Jukwaa.Bot.Host.Hosting;

// The executable is also the command line: `migrate`, `dialogs check`, `dialogs graph`, `simulate`.
if (Verbs.IsVerb(args)) return await Verbs.RunAsync(args);
if (args is ["serve", .. var rest]) args = rest;

var builder = WebApplication.CreateBuilder(args);
builder.AddJukwaa();

var app = builder.Build();
await app.PrepareAsync();
app.MapJukwaa();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
