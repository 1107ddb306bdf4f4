using Jukwaa.Bot.Channels.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>
/// Every update must carry <c>X-Telegram-Bot-Api-Secret-Token</c> equal to <c>SecretToken</c> (compared in
/// constant time); otherwise 403 before anything is read. Outside Development, Telegram off answers
/// 404; in Development, with no secret configured, updates are accepted so the channel can be tried.
/// </summary>
public sealed class TelegramSecretFilter(IOptions<TelegramOptions> options, IHostEnvironment environment) : IEndpointFilter
{
    public const string Header = "X-Telegram-Bot-Api-Secret-Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.Value;
        if (!settings.IsConfigured && !environment.IsDevelopment())
        {
            return ChannelSettings.NotEnabled("Telegram");
        }
        var expected = settings.SecretToken;
        if (string.IsNullOrEmpty(expected)) return await next(context);   // Development without a secret, to try it out
        var given = context.HttpContext.Request.Headers[Header].ToString();
        return WebhookChecks.FixedTimeEquals(expected, given)
            ? await next(context)
            : WebhookChecks.Forbidden("Missing or wrong " + Header + ".");
    }
}
