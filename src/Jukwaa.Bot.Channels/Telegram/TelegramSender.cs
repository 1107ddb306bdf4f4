using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using global::Telegram.Bot.Types.ReplyMarkups;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>Sends through the Bot API with Telegram.Bot's client, at <c>Channels:Telegram:ApiBaseUrl</c>.</summary>
public sealed class TelegramSender(HttpClient http, IOptions<TelegramOptions> options) : IMessageSender
{
    public const string Name = "telegram";
    private const int Blocked = 403;
    private const int TooManyRequests = 429;

    public string Provider => Name;

    public bool IsConfigured => options.Value.IsConfigured;

    public string ConfigurationSection => TelegramOptions.Section;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The outbox does the waiting on 429, durably; the client must not sleep inside a send.
        var clientOptions = new TelegramBotClientOptions(settings.BotToken!, settings.ApiBaseUrl.ToString().TrimEnd('/')) { RetryCount = 0 };
        var client = new TelegramBotClient(clientOptions, http);
        try
        {
            switch (message.Kind)
            {
                case OutboxKind.CallbackAnswer:
                    await client.AnswerCallbackQuery(message.To, cancellationToken: cancellationToken);
                    return new SendResult.Sent(null);
                case OutboxKind.ContactRequest:
                    var share = new KeyboardButton(message.Buttons.Count > 0 ? message.Buttons[0].Label : "Share my phone number") { RequestContact = true };
                    var asked = await client.SendMessage(long.Parse(message.To, System.Globalization.CultureInfo.InvariantCulture), message.Body,
                        replyMarkup: new ReplyKeyboardMarkup(share) { OneTimeKeyboard = true, ResizeKeyboard = true }, cancellationToken: cancellationToken);
                    return new SendResult.Sent(asked.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                default:
                    // Buttons carry the option's key, exactly what a person would type.
                    var keyboard = message.Buttons.Count == 0
                        ? (ReplyMarkup)new ReplyKeyboardRemove()
                        : new InlineKeyboardMarkup(message.Buttons.Select(b => new[] { InlineKeyboardButton.WithCallbackData(b.Label, b.Key) }));
                    var sent = await client.SendMessage(long.Parse(message.To, System.Globalization.CultureInfo.InvariantCulture), message.Body,
                        replyMarkup: keyboard, cancellationToken: cancellationToken);
                    return new SendResult.Sent(sent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == TooManyRequests || ex.ErrorCode >= 500)
        {
            var wait = ex.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            return new SendResult.Retry($"telegram {ex.ErrorCode}: {ex.Message}", wait);
        }
        catch (ApiRequestException ex)
        {
            return new SendResult.Failed($"telegram {ex.ErrorCode}: {ex.Message}", OptedOut: ex.ErrorCode == Blocked);
        }
        catch (RequestException ex) when (ex.HttpStatusCode is { } status && (int)status is >= 200 and < 300)
        {
            // Accepted, but we cannot tell how: sending it again could send it twice.
            return new SendResult.Sent(null, $"telegram accepted it (HTTP {(int)status}) but its answer could not be read ({ex.Message}); not sent again");
        }
        catch (RequestException ex)
        {
            return new SendResult.Retry("telegram connection: " + ex.Message);
        }
    }
}
