using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Messaging;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>
/// Sends SMS through Africa's Talking's messaging API (<c>POST {base}/version1/messaging</c>). A 201 can
/// still carry a failed recipient, so the recipient's own status decides.
/// </summary>
public sealed class AfricasTalkingSmsSender(HttpClient http, IOptionsMonitor<AfricasTalkingOptions> options) : IMessageSender
{
    public const string Name = "africastalking";
    private const int UserInBlacklist = 406;

    public string Provider => Name;

    public bool IsConfigured => options.CurrentValue.IsConfigured;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var fields = new Dictionary<string, string> { ["username"] = settings.Username!, ["to"] = message.To, ["message"] = message.Body };
        if (!string.IsNullOrWhiteSpace(settings.SenderId)) fields["from"] = settings.SenderId;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBaseUrl, "version1/messaging")) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("apiKey", settings.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            return new SendResult.Retry($"africastalking HTTP {(int)response.StatusCode}", RetryAfter.From(response));
        }
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new SendResult.Failed($"africastalking HTTP {(int)response.StatusCode}: {text[..Math.Min(text.Length, 200)]}");
        }

        SendResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<SendResponse>(cancellationToken);
        }
        catch (JsonException)
        {
            return new SendResult.Failed("africastalking answered with unreadable JSON");
        }
        var recipient = body?.Data?.Recipients?.FirstOrDefault();
        return recipient switch
        {
            null => new SendResult.Failed("africastalking: " + (body?.Data?.Message ?? "no recipient in the answer")),
            { StatusCode: >= 100 and <= 102 } => new SendResult.Sent(recipient.MessageId),
            { StatusCode: UserInBlacklist } => new SendResult.Failed("africastalking: " + recipient.Status, OptedOut: true),
            { StatusCode: >= 500 } => new SendResult.Retry("africastalking: " + recipient.Status),
            _ => new SendResult.Failed($"africastalking: {recipient.Status} ({recipient.StatusCode})"),
        };
    }

    private sealed record SendResponse([property: JsonPropertyName("SMSMessageData")] MessageData? Data);

    private sealed record MessageData(
        [property: JsonPropertyName("Message")] string? Message,
        [property: JsonPropertyName("Recipients")] List<Recipient>? Recipients);

    private sealed record Recipient(
        [property: JsonPropertyName("statusCode")] int StatusCode,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("messageId")] string? MessageId);
}
