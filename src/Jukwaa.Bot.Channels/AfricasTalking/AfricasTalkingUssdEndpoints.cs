using System.Text;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jukwaa.Bot.Channels.AfricasTalking;

public static partial class AfricasTalkingUssdEndpoints
{
    /// <summary>
    /// The most a session may have typed in all. A real session cannot get near it (180 s, short
    /// screens); a longer <c>text</c> is answered with a polite <c>END</c> and stored nowhere.
    /// </summary>
    public const int MaxSessionText = 2000;

    /// <summary>Binds <c>Channels:AfricasTalking</c> (validated at start), the secret filter and the SMS sender (a typed HTTP client, 35 s per call).</summary>
    public static IServiceCollection AddAfricasTalkingChannel(this IServiceCollection services)
    {
        services.AddChannelOptions<AfricasTalkingOptions>(AfricasTalkingOptions.Section);
        services.AddSingleton<WebhookSecretFilter>();
        services.AddHttpClient<IMessageSender, AfricasTalkingSmsSender>(client => client.Timeout = SendTimeout.PerCall);
        return services;
    }

    /// <summary>Maps <c>POST /webhooks/ussd/africastalking</c> and its <c>/events</c> notification, behind the secret filter.</summary>
    public static RouteGroupBuilder MapAfricasTalkingUssd(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/webhooks/ussd/africastalking").AddEndpointFilter<WebhookSecretFilter>();
        group.MapPost("/", StepAsync).DisableAntiforgery();
        group.MapPost("/events", SessionEndedAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<IResult> StepAsync(
        HttpRequest request, ConversationService conversations, DialogCatalog catalog, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (form, refusal) = await Forms.ReadAsync(request, cancellationToken);
        if (form is null) return refusal!;
        var (step, error) = UssdRequest.Parse(form);
        if (step is null) return Forms.BadRequest(error!);

        if (step.Text.Length > MaxSessionText)
        {
            LogTooLong(loggers.CreateLogger(typeof(AfricasTalkingUssdEndpoints)), step.Text.Length);
            return Screen(new Screen(catalog.Text("session.too_long", Languages.English) + "\n" + catalog.Text("session.too_long", Languages.Kiswahili), Ends: true));
        }

        var screen = await conversations.HandleAsync(
            new InboundMessage(Channel.Ussd, step.PhoneNumber, step.Text, ProviderMessageId: null, step.SessionId, CumulativeText: true),
            cancellationToken);
        return Screen(screen ?? throw new InvalidOperationException("A USSD step always has a screen."));
    }

    /// <summary>Africa's Talking's end-of-session report. Field names are not confirmed, so any subset is accepted.</summary>
    private static async Task<IResult> SessionEndedAsync(HttpRequest request, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (form, refusal) = await Forms.ReadAsync(request, cancellationToken);
        if (form is null) return refusal!;
        LogSessionEnded(loggers.CreateLogger(typeof(AfricasTalkingUssdEndpoints)), Short(form["status"]), Short(form["hopsCount"]));
        return Results.Text("OK", "text/plain", Encoding.UTF8);
    }

    /// <summary>The answer the gateway expects: 200, text/plain, <c>CON </c> or <c>END </c>, GSM-7 only.</summary>
    public static IResult Screen(Screen screen) =>
        Results.Text((screen.Ends ? "END " : "CON ") + Gsm7.Sanitize(screen.Text), "text/plain", Encoding.UTF8);

    private static string Short(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString() is { Length: > 0 and <= 32 } s ? s : "-";

    // Logs carry no phone number and no text a person typed.
    [LoggerMessage(Level = LogLevel.Warning, Message = "USSD text of {Length} characters refused")]
    private static partial void LogTooLong(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "USSD session ended with status {Status} after {Hops} steps")]
    private static partial void LogSessionEnded(ILogger logger, string status, string hops);
}
