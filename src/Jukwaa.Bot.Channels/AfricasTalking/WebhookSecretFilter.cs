using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>
/// Africa's Talking signs nothing: when <c>WebhookSecret</c> is set, a callback without the matching
/// <c>secret</c> query parameter gets 403 before anything is read or stored.
/// </summary>
public sealed class WebhookSecretFilter(IOptionsMonitor<AfricasTalkingOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.CurrentValue.WebhookSecret;
        if (string.IsNullOrEmpty(expected)) return next(context);
        var given = context.HttpContext.Request.Query["secret"].ToString();
        return FixedTimeEquals(expected, given)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Text("Missing or wrong secret.", "text/plain", Encoding.UTF8, StatusCodes.Status403Forbidden));
    }

    public static bool FixedTimeEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
