using System.Collections.Specialized;
using global::Twilio.Security;
using Jukwaa.Bot.Channels.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Twilio;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the Twilio package's validator against the URL Twilio called
/// (<c>PublicBaseUrl</c> when the host is behind a proxy). A missing or wrong signature gets 403 before
/// anything is stored. Outside Development a Twilio channel that is off answers 404; in Development,
/// with no auth token, unsigned requests are accepted so SMS can be tried with nothing configured.
/// </summary>
public sealed class TwilioSignatureFilter(IOptions<TwilioOptions> options, IHostEnvironment environment) : IEndpointFilter
{
    public const string Header = "X-Twilio-Signature";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var settings = options.Value;
        if (!settings.IsConfigured && !environment.IsDevelopment())
        {
            return ChannelSettings.NotEnabled("SMS through Twilio");
        }
        var token = settings.AuthToken;
        if (string.IsNullOrEmpty(token)) return await next(context);   // Development without a token: unsigned, to try it out
        var signature = request.Headers[Header].ToString();
        if (signature.Length == 0) return WebhookChecks.Forbidden("Missing X-Twilio-Signature.");

        // The signature covers the form's fields, so the form is read (within the webhook limits) before it can be checked.
        var (form, refusal) = await Forms.ReadAsync(request, context.HttpContext.RequestAborted);
        if (form is null) return refusal;
        var parameters = new NameValueCollection();
        foreach (var (key, values) in form)
        {
            foreach (var value in values) parameters.Add(key, value);
        }
        return new RequestValidator(token).Validate(SignedUrl(request, settings.PublicBaseUrl), parameters, signature)
            ? await next(context)
            : WebhookChecks.Forbidden("Wrong X-Twilio-Signature.");
    }

    /// <summary>The full URL Twilio signed: scheme, host, path and query, as the public sees it.</summary>
    public static string SignedUrl(HttpRequest request, Uri? publicBaseUrl)
    {
        var pathAndQuery = request.PathBase + request.Path + request.QueryString;
        return publicBaseUrl is null
            ? $"{request.Scheme}://{request.Host}{pathAndQuery}"
            : publicBaseUrl.GetLeftPart(UriPartial.Authority) + publicBaseUrl.AbsolutePath.TrimEnd('/') + pathAndQuery;
    }
}
