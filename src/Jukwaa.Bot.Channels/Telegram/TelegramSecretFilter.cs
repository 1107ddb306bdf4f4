using Jukwaa.Bot.Channels.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>
/// Every update must carry <c>X-Telegram-Bot-Api-Secret-Token</c> equal to <c>SecretToken</c> (compared in
/// constant time); otherwise 403 before anything is read. With no secret configured, Development
/// accepts updates so the channel can be tried; other environments refuse them.
/// </summary>
public sealed class TelegramSecretFilter(IOptionsMonitor<TelegramOptions> options, IHostEnvironment environment) : IEndpointFilter
{
    public const string Header = "X-Telegram-Bot-Api-Secret-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.CurrentValue.SecretToken;
        if (string.IsNullOrEmpty(expected))
        {
            return environment.IsDevelopment() ? await next(context) : WebhookChecks.Forbidden("Telegram is not configured (Channels:Telegram:SecretToken).");
        }
        var given = context.HttpContext.Request.Headers[Header].ToString();
        return WebhookChecks.FixedTimeEquals(expected, given)
            ? await next(context)
            : WebhookChecks.Forbidden("Missing or wrong " + Header + ".");
    }
}
