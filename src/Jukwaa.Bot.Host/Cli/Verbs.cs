using System.CommandLine;
using Jukwaa.Bot.Channels.Telegram;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Host.Hosting;
using Jukwaa.Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Cli;

/// <summary>The host's command line. <c>serve</c> (the default) is handled by Program.cs.</summary>
public static class Verbs
{
    private static readonly string[] s_help = ["--help", "-h", "-?", "--version"];

    /// <summary>
    /// Whether the arguments run the web host: none, <c>serve …</c>, or ASP.NET Core's own options
    /// (<c>--urls …</c>, <c>/key value</c>, <c>key=value</c>). Any other first word is a verb, known or not.
    /// </summary>
    public static bool IsServe(string[] args) =>
        args is [] or ["serve", ..] || (!s_help.Contains(args[0]) && (args[0].StartsWith('-') || args[0].StartsWith('/') || args[0].Contains('=')));

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Jukwaa Bot: citizen messaging over USSD, SMS and Telegram. With no verb, or `serve`, runs the web host.")
        {
            Migrate(), Dialogs(), Simulate(), Messages(), Telegram(), OfficerVerbs.Command(BuildApp), ResultsVerbs.Command(BuildApp), ScorecardVerbs.Command(BuildApp), PeopleVerbs.Command(BuildApp), QuestionnaireVerbs.Command(Loader),
        };
        if (!s_help.Contains(args[0]) && root.Subcommands.All(c => c.Name != args[0]))
        {
            Console.Error.WriteLine($"Unknown verb '{args[0]}'. Verbs: serve (the default), {string.Join(", ", root.Subcommands.Select(c => c.Name))}. Add --help to any of them for more.");
            return 1;
        }
        try
        {
            // Our own handler below, not System.CommandLine's (which prints the stack trace).
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (StartupProblems.From(ex) is { Count: > 0 } problems)
        {
            // A misconfigured host says what to fix, one sentence per problem, as `serve` does.
            foreach (var problem in problems) Console.Error.WriteLine($"Jukwaa Bot cannot run '{args[0]}': {problem}");
            return 1;
        }
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "Apply database migrations (Database:Provider, ConnectionStrings:Jukwaa) and exit.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var app = BuildApp();
            var applied = await app.Services.MigrateJukwaaDatabaseAsync(cancellationToken);
            Web.Console.ConsoleKeys.EnsureKey(app.Services);
            foreach (var migration in applied) Console.WriteLine("Applied migration " + migration + ".");
            Console.WriteLine($"Database is up to date ({StorageServiceCollectionExtensions.ProviderFrom(app.Configuration)}"
                + (applied.Count == 0 ? "; nothing to apply)." : ")."));
            return 0;
        });
        return command;
    }

    private static Command Dialogs()
    {
        var path = new Option<string?>("--path") { Description = "The dialogs folder (default: Dialogs:Path, else the nearest dialogs/ folder)." };
        var check = new Command("check", "Validate every file in dialogs/; print file:line: reason for each problem.") { path };
        check.SetAction(parse =>
        {
            var (catalog, errors) = Loader().Load(parse.GetValue(path) ?? DialogsLocation.Find(Configuration()));
            foreach (var error in errors) Console.Error.WriteLine(error);
            if (catalog is null) return 1;
            Console.WriteLine($"OK: {catalog.AllDialogs.Count()} dialogs, {catalog.Keywords.Count} keywords, {catalog.Strings.Count} strings, {catalog.Counties.Count} counties, {catalog.Categories.Count} categories.");
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The dialog to draw, e.g. report." };
        var format = new Option<string>("--format") { Description = "mermaid (default) or dot.", DefaultValueFactory = _ => "mermaid" };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var graph = new Command("graph", "Print a dialog's state machine as a Mermaid or DOT graph.") { id, format, path };
        graph.SetAction(parse =>
        {
            var catalog = Loader().LoadOrThrow(parse.GetValue(path) ?? DialogsLocation.Find(Configuration()));
            var dialogId = parse.GetValue(id)!;
            if (!catalog.HasDialog(dialogId))
            {
                Console.Error.WriteLine($"No dialog '{dialogId}'. Known: {string.Join(", ", catalog.CurrentDialogs.Select(d => d.Id))}.");
                return 1;
            }
            Console.WriteLine(DialogEngine.Graph(catalog.Current(dialogId), dot: parse.GetValue(format) == "dot"));
            return 0;
        });

        return new Command("dialogs", "Check or draw the dialog definitions.") { check, graph };
    }

    private static Command Simulate()
    {
        var url = new Option<string?>("--url") { Description = "A running host, e.g. http://localhost:5047. Without it the simulator runs the dialogs in-process." };
        var phone = new Option<string>("--phone") { Description = "The caller's number.", DefaultValueFactory = _ => "+254700000001" };
        var code = new Option<string>("--service-code") { Description = "The USSD code dialled.", DefaultValueFactory = _ => "*384*57#" };
        var command = new Command("simulate", "A feature phone in the terminal: walk the USSD menus.") { url, phone, code };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Uri? target = null;
            if (parse.GetValue(url) is { } typed && !Uri.TryCreate(typed, UriKind.Absolute, out target))
            {
                Console.Error.WriteLine($"--url '{typed}' is not an absolute URL such as http://localhost:5047.");
                return 2;
            }
            await using var app = target is null ? BuildApp() : null;
            if (app is not null) await app.Services.MigrateJukwaaDatabaseAsync(cancellationToken);
            IUssdGateway gateway = target is null
                ? new InProcessGateway(app!.Services)
                : new HttpGateway(target, Configuration()["Channels:AfricasTalking:WebhookSecret"]);
            using (gateway as IDisposable)
            {
                try
                {
                    return await new PhoneSimulator(gateway, parse.GetValue(phone)!, parse.GetValue(code)!, Console.In, Console.Out)
                        .RunAsync(cancellationToken);
                }
                catch (HttpRequestException ex) when (target is not null)
                {
                    Console.Error.WriteLine($"Cannot reach {target}: {ex.Message} (is the host running?)");
                    return 1;
                }
                catch (TaskCanceledException) when (target is not null && !cancellationToken.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"Cannot reach {target}: no answer within 100 s (is the host running?)");
                    return 1;
                }
            }
        });
        return command;
    }

    private static Command Messages()
    {
        var count = new Option<int>("--count", "-n") { Description = "How many, newest last.", DefaultValueFactory = _ => 20 };
        var tail = new Command("tail", "Show the newest outbound messages: what the local sender kept, or what providers were given.") { count };
        tail.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = BuildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JukwaaDbContext>();
            var protector = app.Services.GetRequiredService<PersonalDataProtector>();
            var newest = await db.Outbox.AsNoTracking().OrderByDescending(o => o.Id).Take(Math.Max(1, parse.GetValue(count))).ToListAsync(cancellationToken);
            foreach (var message in newest.AsEnumerable().Reverse())
            {
                var to = PhoneNumber.Mask(protector.Unseal(message.ToSealed));
                var body = protector.Unseal(message.BodySealed).Replace("\n", " / ", StringComparison.Ordinal);
                if (message.ButtonsJson is { } json)
                {
                    var buttons = System.Text.Json.JsonSerializer.Deserialize<List<ReplyOption>>(json) ?? [];
                    body += " " + string.Join(' ', buttons.Select(b => $"[{b.Key}: {b.Label}]"));
                }
                if (message.Kind == Core.Domain.OutboxKind.CallbackAnswer) body = "(button press answered)";
                Console.WriteLine($"{message.CreatedAt:yyyy-MM-dd HH:mm:ss} {message.Channel.ToString().ToLowerInvariant(),-5} {message.Provider,-14} {message.Status.ToString().ToLowerInvariant(),-11} {to}  {body}");
                // Redacted again: rows stored before provider text was redacted hold it as it came.
                if (message.Error is { } error) Console.WriteLine($"{"",20}! {PhoneNumber.Redact(error)}");
            }
            if (newest.Count == 0) Console.WriteLine("No outbound messages yet.");
            return 0;
        });
        return new Command("messages", "Outbound messages.") { tail };
    }

    private static Command Telegram()
    {
        var url = new Argument<string>("url") { Description = "The host's public base URL, e.g. https://jukwaa.example.org (the route is added)." };
        var setWebhook = new Command("set-webhook", "Register the webhook with Telegram (setWebhook with Channels:Telegram:SecretToken).") { url };
        setWebhook.SetAction(async (parse, cancellationToken) =>
        {
            var options = Configuration().GetSection(TelegramOptions.Section).Get<TelegramOptions>() ?? new TelegramOptions();
            if (!options.IsConfigured || string.IsNullOrWhiteSpace(options.SecretToken))
            {
                Console.Error.WriteLine("Set Channels:Telegram:BotToken and Channels:Telegram:SecretToken first.");
                return 1;
            }
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme != Uri.UriSchemeHttps)
            {
                Console.Error.WriteLine("The URL must be absolute and https (Telegram calls only https webhooks).");
                return 1;
            }
            var webhook = new Uri(baseUrl, TelegramEndpoints.Route).ToString();
            using var http = new HttpClient();
            var client = new global::Telegram.Bot.TelegramBotClient(new global::Telegram.Bot.TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl.ToString().TrimEnd('/')), http);
            await global::Telegram.Bot.TelegramBotClientExtensions.SetWebhook(client, webhook, secretToken: options.SecretToken, cancellationToken: cancellationToken);
            Console.WriteLine($"Telegram will post updates to {webhook}.");
            return 0;
        });
        return new Command("telegram", "Telegram bot set-up.") { setWebhook };
    }

    private static DialogCatalogLoader Loader()
    {
        // Checking definitions needs only the names and outcomes of actions, not real keys or a database.
        var services = new ServiceCollection()
            .AddSingleton(new PersonalDataProtector(PersonalDataProtector.NewKey(), PersonalDataProtector.NewKey()))
            .AddDialogs(".")
            .BuildServiceProvider();
        return new DialogCatalogLoader(services.GetRequiredService<DialogRegistry>());
    }

    private static ConfigurationManager Configuration() => WebApplication.CreateBuilder().Configuration;

    internal static WebApplication BuildApp()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
        builder.AddJukwaa();
        return builder.Build();
    }
}
