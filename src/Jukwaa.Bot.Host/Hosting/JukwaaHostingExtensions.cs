using Jukwaa.Bot.Channels.AfricasTalking;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Jukwaa.Bot.Host.Hosting;

public static class JukwaaHostingExtensions
{
    /// <summary>
    /// Everything the host runs: dialogs (loaded and validated now, so a bad definition stops the
    /// start with file and line), the conversation service, storage, channels and health checks.
    /// </summary>
    public static IHostApplicationBuilder AddJukwaa(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        var protector = ProtectionOptions.CreateProtector(configuration, builder.Environment);
        services.AddSingleton(protector);
        services.AddSingleton(TimeProvider.System);

        services.AddDialogs(DialogsLocation.Find(configuration));
        services.AddSingleton(configuration.GetSection("Conversations").Get<ConversationOptions>() ?? new ConversationOptions());
        services.AddScoped<ConversationService>();

        services.AddJukwaaStorage(configuration, builder.Environment.ContentRootPath);
        services.AddAfricasTalkingChannel(configuration);
        services.AddHealthChecks().AddDbContextCheck<JukwaaDbContext>("database", tags: ["ready"]);
        services.AddProblemDetails();
        RequireSecretsOutsideDevelopment(builder);
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
        services.AddSingleton<IOptionSource, CategoryOptions>();
        services.AddSingleton<IOptionSource, CountyMatchOptions>();
        services.AddSingleton<DialogRegistry>();
        services.AddSingleton(sp => new DialogCatalogLoader(sp.GetRequiredService<DialogRegistry>()).LoadOrThrow(dialogsPath));
        services.AddSingleton<DialogEngine>();
        return services;
    }

    /// <summary>The webhook and health routes of DESIGN.md.</summary>
    public static WebApplication MapJukwaa(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.MapAfricasTalkingUssd();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapGet("/", () => Results.Text("Jukwaa Bot is running. USSD: POST /webhooks/ussd/africastalking"));
        return app;
    }

    /// <summary>
    /// Loads the dialogs (refusing to start on an invalid definition) and, in Development or when
    /// <c>Database:MigrateOnStart</c> is true, applies migrations. Elsewhere run the <c>migrate</c> verb.
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        app.Services.GetRequiredService<DialogCatalog>();
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Database:MigrateOnStart"))
        {
            await app.Services.MigrateJukwaaDatabaseAsync();
        }
    }

    private static void RequireSecretsOutsideDevelopment(IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment()) return;
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AfricasTalkingOptions.Section}:WebhookSecret"]))
        {
            throw new InvalidOperationException(
                "The Africa's Talking USSD callback is enabled but Channels:AfricasTalking:WebhookSecret is not set; outside Development it is required.");
        }
    }
}
