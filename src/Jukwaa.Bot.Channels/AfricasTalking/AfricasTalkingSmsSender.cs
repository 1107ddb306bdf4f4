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
public sealed class AfricasTalkingSmsSender(HttpClient http, IOptions<AfricasTalkingOptions> options) : IMessageSender
{
    public const string Name = "africastalking";
    private const int UserInBlacklist = 406;

    /// <summary>The recipient has blocked the sender: in a send's answer and as a delivery report's failure reason.</summary>
    public const string Blacklisted = "UserInBlacklist";

    public string Provider => Name;

    public bool IsConfigured => options.Value.IsConfigured;

    public string ConfigurationSection => AfricasTalkingOptions.Section;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
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
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // Accepted, but we cannot tell how: sending it again could send it twice.
            return new SendResult.Sent(null, $"africastalking accepted it (HTTP {(int)response.StatusCode}) but its answer could not be read ({ex.Message}); not sent again");
        }
        var recipient = body?.Data?.Recipients?.FirstOrDefault();
        if (recipient is null) return new SendResult.Failed("africastalking: " + (body?.Data?.Message ?? "no recipient in the answer"));
        // The status code decides; an answer without one is read by its status name.
        return (recipient.StatusCode, recipient.Status) switch
        {
            (>= 100 and <= 102, _) or (null, "Success" or "Sent" or "Queued" or "Processed") => new SendResult.Sent(recipient.MessageId),
            (UserInBlacklist, _) or (null, Blacklisted) => new SendResult.Failed("africastalking: " + recipient.Status, OptedOut: true),
            (>= 500, _) or (null, "InternalServerError" or "GatewayError") => new SendResult.Retry("africastalking: " + recipient.Status),
            _ => new SendResult.Failed($"africastalking: {recipient.Status} ({recipient.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no status code"})"),
        };
    }

    private sealed record SendResponse([property: JsonPropertyName("SMSMessageData")] MessageData? Data);

    private sealed record MessageData(
        [property: JsonPropertyName("Message")] string? Message,
        [property: JsonPropertyName("Recipients")] List<Recipient>? Recipients);

    private sealed record Recipient(
        [property: JsonPropertyName("statusCode")] int? StatusCode,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("messageId")] string? MessageId);
}
