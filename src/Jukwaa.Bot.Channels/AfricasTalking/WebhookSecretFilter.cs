using Jukwaa.Bot.Channels.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>
/// Africa's Talking signs nothing: when <c>WebhookSecret</c> is set, a callback without the matching
/// <c>secret</c> query parameter gets 403 before anything is read or stored.
/// </summary>
public sealed class WebhookSecretFilter(IOptions<AfricasTalkingOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(expected)) return next(context);
        var given = context.HttpContext.Request.Query["secret"].ToString();
        return WebhookChecks.FixedTimeEquals(expected, given)
            ? next(context)
            : ValueTask.FromResult<object?>(WebhookChecks.Forbidden("Missing or wrong secret."));
    }
}
