using Jukwaa.Bot.Channels.AfricasTalking;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Channels.Telegram;
using Jukwaa.Bot.Channels.Twilio;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Scorecards;
using Jukwaa.Bot.Host.Web;
using Jukwaa.Bot.Host.Web.Console;
using Jukwaa.Bot.Host.Workers;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Hosting;

public static partial class JukwaaHostingExtensions
{
    /// <summary>
    /// Everything the host runs: dialogs (loaded and validated now, so a bad definition stops the
    /// start with file and line), the conversation service, storage, channels and health checks.
    /// </summary>
    public static IHostApplicationBuilder AddJukwaa(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        ProtectionOptions.AddProtection(services, builder.Environment);
        services.AddSingleton(TimeProvider.System);

        services.AddDialogs(DialogsLocation.Find(configuration));
        services.AddHostSections(builder.Environment.IsDevelopment());
        services.AddSingleton(sp =>
        {
            var conversations = sp.GetRequiredService<ConversationOptions>();
            return new SenderThrottle(conversations.ThrottleLimit, conversations.ThrottleWindow, sp.GetRequiredService<TimeProvider>());
        });
        services.AddScoped<PersonDirectory>();
        services.AddScoped<ConversationService>();
        // The officers' rules and figures, shared by the Telegram console and the web console.
        services.AddSingleton<ReportAccess>();
        services.AddScoped<ReportFigures>();
        services.AddScoped<Triage>();
        services.AddScoped<ReportSheet>();
        services.AddScoped<SignInLinks>();
        services.AddHttpContextAccessor();
        services.AddScoped<QuestionnaireResults>();
        services.AddScoped<ScorecardCalculator>();
        services.AddScoped<ScorecardPublisher>();
        services.AddScoped<ITelegramCommandHandler, OfficerCommands>();

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        if (builder.Environment.IsDevelopment()) services.AddSingleton<IMessageSender, LocalSmsSender>();   // elsewhere messages wait for their provider
        services.AddHostedService<OutboxWorker>();
        // Long enough for a send in flight (35 s at most) to finish and be recorded when the host stops.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        services.AddHostedService<RetentionWorker>();
        // Officers hear of new reports on Telegram: urgent ones at once (a stored report wakes the worker), the rest in a digest.
        services.AddSingleton<AlertSignal>();
        services.AddScoped<OfficerAlerts>();
        services.AddHostedService<AlertWorker>();
        services.AddScoped<PersonalDataService>();

        services.AddJukwaaStorage(configuration, builder.Environment.ContentRootPath);
        services.AddAfricasTalkingChannel();
        services.AddTwilioChannel();
        services.AddTelegramChannel();
        services.AddHealthChecks().AddCheck<DatabaseReadiness>("database", tags: ["ready"]);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddProblemDetails();
        services.AddRazorComponents();
        services.AddConsoleKeys();     // data-protection keys in the database, sealed: every host accepts every cookie
        services.AddConsoleSession(builder.Environment.IsDevelopment());     // the pages are Razor components rendered on the server (RazorComponentResult)
        return builder;
    }

    /// <summary>
    /// The dialog engine and the C# actions and option sources that dialog files may name. The
    /// catalog is loaded from <paramref name="dialogsPath"/> when first needed.
    /// </summary>
    public static IServiceCollection AddDialogs(this IServiceCollection services, string dialogsPath)
    {
        services.AddSingleton<IDialogAction, CountySearchAction>();
        services.AddSingleton<IDialogAction, SubmitReportAction>();
        services.AddSingleton<IDialogAction, ReportStatusAction>();
        services.AddSingleton<IDialogAction, SetLanguageAction>();
        services.AddSingleton<IDialogAction, StopAction>();
        services.AddSingleton<IDialogAction, StartAction>();
        services.AddSingleton<IOptionSource, CategoryOptions>();
        services.AddSingleton<IOptionSource, CountyMatchOptions>();
        services.AddSingleton<IDialogAction, ListQuestionnairesAction>();
        services.AddSingleton<IDialogAction, StartQuestionnaireAction>();
        services.AddSingleton<IOptionSource, OpenQuestionnaireOptions>();
        services.AddSingleton<IScreenHandler, AnswerQuestionnaireScreen>();
        services.AddSingleton<IDialogAction, ShowScorecardAction>();
        services.AddSingleton<IDialogAction, SubscribeAction>();
        services.AddSingleton<IDialogAction, UnsubscribeAction>();
        services.AddSingleton<DialogRegistry>();
        services.AddSingleton(sp => new DialogCatalogLoader(sp.GetRequiredService<DialogRegistry>()).LoadOrThrow(dialogsPath));
        services.AddSingleton<DialogEngine>();
        return services;
    }

    /// <summary>The webhook and health routes of DESIGN.md.</summary>
    public static WebApplication MapJukwaa(this WebApplication app)
    {
        app.UseForwardedHeaders();     // first: the scheme and client a proxy on this machine saw (ConsoleKeys)
        app.UseExceptionHandler();
        app.UsePageHeaders();
        app.MapAfricasTalkingUssd();
        app.MapAfricasTalkingSms();
        app.MapTwilioSms();
        app.MapTelegramWebhook();
        app.MapScorecardPages();
        app.MapConsole();
        // Probes read; a POST to them is a mistake worth a 405, not a 200.
        string[] probes = [HttpMethods.Get, HttpMethods.Head];
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(new HttpMethodMetadata(probes));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReadiness })
            .WithMetadata(new HttpMethodMetadata(probes));
        app.MapGet("/", () => Results.Text("Jukwaa Bot is running. USSD: POST /webhooks/ussd/africastalking"));
        return app;
    }

    /// <summary>"Healthy", or the status and what is wrong, so that whoever probes knows what to fix.</summary>
    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var problems = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy && e.Description is not null).Select(e => e.Description);
        return context.Response.WriteAsync(string.Join(" ", [report.Status.ToString(), .. problems]));
    }

    /// <summary>
    /// Validates the configuration, loads the dialogs (refusing to start on an invalid definition) and, in Development or when
    /// <c>Database:MigrateOnStart</c> is true, applies migrations. Elsewhere run the <c>migrate</c> verb.
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        // Every options section first, so that a misconfigured host names every bad key at once.
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Services.GetRequiredService<DialogCatalog>();
        // Once every options section has been validated (at start), say which channels are on.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var channels = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Jukwaa.Bot.Channels");
            foreach (var settings in app.Services.GetServices<IChannelSettings>())
            {
                foreach (var sentence in settings.Describe(app.Environment.IsDevelopment())) LogChannel(channels, sentence);
            }
        });
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Database:MigrateOnStart"))
        {
            await app.Services.MigrateJukwaaDatabaseAsync();
            ConsoleKeys.EnsureKey(app.Services);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel}")]
    private static partial void LogChannel(ILogger logger, string channel);
}
