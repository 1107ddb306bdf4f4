using System.Text;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Twilio;

public static class TwilioSmsEndpoints
{
    public const string Route = "/webhooks/sms/twilio";
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    /// <summary>Binds <c>Channels:Twilio</c> (validated at start), the signature filter and the Twilio sender (an HTTP client at <c>ApiBaseUrl</c>, 35 s per call).</summary>
    public static IServiceCollection AddTwilioChannel(this IServiceCollection services)
    {
        services.AddChannelOptions<TwilioOptions>(TwilioOptions.Section);
        services.AddSingleton<TwilioSignatureFilter>();
        services.AddHttpClient(TwilioSmsSender.HttpClientName, client => client.Timeout = SendTimeout.PerCall)
            .AddHttpMessageHandler(sp => new ProviderBaseUrlHandler(() => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.ApiBaseUrl));
        services.AddSingleton<IMessageSender, TwilioSmsSender>();
        return services;
    }

    /// <summary>Maps inbound SMS and status callbacks, both behind the signature filter.</summary>
    public static RouteGroupBuilder MapTwilioSms(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route).AddEndpointFilter<TwilioSignatureFilter>().DisableAntiforgery();
        group.MapPost("/", InboundAsync);
        group.MapPost("/status", StatusAsync);
        return group;
    }

    /// <summary>Stores and processes the message, answers empty TwiML: the reply leaves through the outbox.</summary>
    private static async Task<IResult> InboundAsync(HttpRequest request, ConversationService conversations, CancellationToken cancellationToken) =>
        await InboundSms.AcceptAsync(request, conversations, TwilioSmsSender.Name, "MessageSid", "From", "Body", cancellationToken)
            ?? Results.Text(EmptyTwiml, "text/xml", Encoding.UTF8);

    private static async Task<IResult> StatusAsync(HttpRequest request, IOutboxStore outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (form, refusal) = await Forms.ReadAsync(request, cancellationToken);
        if (form is null) return refusal!;
        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString() switch
        {
            "queued" or "accepted" or "scheduled" or "sending" or "sent" => OutboxStatus.Sent,
            "delivered" => OutboxStatus.Delivered,
            "undelivered" => OutboxStatus.Undelivered,
            "failed" => OutboxStatus.Failed,
            "read" => OutboxStatus.Read,
            _ => (OutboxStatus?)null,
        };
        if (sid.Length == 0 || status is null) return Forms.BadRequest("MessageSid and a known MessageStatus are required.");
        var code = form["ErrorCode"].ToString();
        await outbox.ApplyDeliveryReportAsync(TwilioSmsSender.Name, sid, status.Value, code.Length > 0 ? "twilio error " + code : null,
            optedOut: int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number == TwilioSmsSender.OptedOutCode, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return Results.Ok();
    }
}
