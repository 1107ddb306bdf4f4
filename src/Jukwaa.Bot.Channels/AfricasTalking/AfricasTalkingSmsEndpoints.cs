using System.Text;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.AfricasTalking;

public static class AfricasTalkingSmsEndpoints
{
    public const string Route = "/webhooks/sms/africastalking";

    /// <summary>
    /// Maps inbound SMS (<c>from</c>, <c>to</c>, <c>text</c>, <c>date</c>, <c>id</c>, <c>linkId</c>) and delivery
    /// reports, behind the secret filter; outside Development they answer 404 while SMS is off (no account).
    /// </summary>
    public static RouteGroupBuilder MapAfricasTalkingSms(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route).AddEndpointFilter<WebhookSecretFilter>().AddEndpointFilter(SmsEnabledAsync).DisableAntiforgery();
        group.MapPost("/", InboundAsync);
        group.MapPost("/delivery", DeliveryAsync);
        return group;
    }

    private static async ValueTask<object?> SmsEnabledAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var services = context.HttpContext.RequestServices;
        return services.GetRequiredService<IOptions<AfricasTalkingOptions>>().Value.IsConfigured || services.GetRequiredService<IHostEnvironment>().IsDevelopment()
            ? await next(context)
            : ChannelSettings.NotEnabled("SMS through Africa's Talking");
    }

    private static async Task<IResult> InboundAsync(HttpRequest request, ConversationService conversations, CancellationToken cancellationToken) =>
        await InboundSms.AcceptAsync(request, conversations, AfricasTalkingSmsSender.Name, "id", "from", "text", cancellationToken)
            ?? Results.Text("OK", "text/plain", Encoding.UTF8);

    private static async Task<IResult> DeliveryAsync(HttpRequest request, IOutboxStore outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (form, refusal) = await Forms.ReadAsync(request, cancellationToken);
        if (form is null) return refusal!;
        var id = form["id"].ToString();
        var status = form["status"].ToString() switch
        {
            "Sent" or "Buffered" => OutboxStatus.Sent,
            "Success" => OutboxStatus.Delivered,
            "Rejected" or "Failed" or "Expired" => OutboxStatus.Failed,
            _ => (OutboxStatus?)null,
        };
        if (id.Length == 0 || status is null) return Forms.BadRequest("id and a known status are required.");
        var reason = form["failureReason"].ToString();
        await outbox.ApplyDeliveryReportAsync(AfricasTalkingSmsSender.Name, id, status.Value, reason.Length > 0 ? "africastalking: " + reason : null,
            optedOut: string.Equals(reason, AfricasTalkingSmsSender.Blacklisted, StringComparison.OrdinalIgnoreCase), clock.GetUtcNow().UtcDateTime, cancellationToken);
        return Results.Text("OK", "text/plain", Encoding.UTF8);
    }
}
