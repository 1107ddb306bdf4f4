using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Messaging;
using global::Twilio.Clients;
using global::Twilio.Exceptions;
using global::Twilio.Http;
using global::Twilio.Rest.Api.V2010.Account;
using global::Twilio.Types;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Twilio;

/// <summary>Sends SMS through Twilio's REST API with the Twilio package, at <c>Channels:Twilio:ApiBaseUrl</c>.</summary>
public sealed class TwilioSmsSender(IHttpClientFactory httpClients, IOptions<TwilioOptions> options) : IMessageSender
{
    public const string Name = "twilio";
    public const string HttpClientName = "twilio";
    public const string StatusCallbackPath = "/webhooks/sms/twilio/status";
    /// <summary>The recipient has opted out (replied STOP): in a send's answer or a status callback.</summary>
    public const int OptedOutCode = 21610;
    private const int TooManyRequests = 20429;

    public string Provider => Name;

    public bool IsConfigured => options.Value.IsConfigured;

    public string ConfigurationSection => TwilioOptions.Section;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = new TwilioRestClient(settings.AccountSid, settings.AuthToken, settings.AccountSid,
            httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
        var create = new CreateMessageOptions(new PhoneNumber(message.To))
        {
            From = new PhoneNumber(settings.FromNumber),
            Body = message.Body,
            StatusCallback = settings.PublicBaseUrl is { } publicUrl ? new Uri(publicUrl, StatusCallbackPath) : null,
        };
        var retryAfter = RetryAfter.Open();
        try
        {
            var sent = await MessageResource.CreateAsync(create, client);
            return new SendResult.Sent(sent.Sid);
        }
        catch (ApiException ex) when (ex.InnerException is Newtonsoft.Json.JsonException)
        {
            // The SDK could not read a 2xx answer: accepted, but we cannot tell how; sending it again could send it twice.
            return new SendResult.Sent(null, $"twilio accepted it but its answer could not be read ({ex.Message}); not sent again");
        }
        catch (ApiException ex) when (ex.Status == 429 || ex.Code == TooManyRequests || ex.Status >= 500)
        {
            return new SendResult.Retry($"twilio HTTP {ex.Status} error {ex.Code}", retryAfter.Value);
        }
        catch (ApiException ex)
        {
            return new SendResult.Failed($"twilio HTTP {ex.Status} error {ex.Code}: {ex.Message}", OptedOut: ex.Code == OptedOutCode);
        }
        catch (ApiConnectionException ex)
        {
            return new SendResult.Retry("twilio connection: " + ex.Message);
        }
    }
}
