using System.Globalization;
using System.Text;
using System.Text.Json;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using global::Telegram.Bot;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.Enums;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Channels.Telegram;

public static class TelegramEndpoints
{
    public const string Route = "/webhooks/telegram";

    /// <summary>Binds <c>Channels:Telegram</c> (validated at start), the secret-token filter, per-chat ordering and the sender (a typed HTTP client, 35 s per call).</summary>
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services)
    {
        services.AddChannelOptions<TelegramOptions>(TelegramOptions.Section);
        services.AddSingleton<TelegramSecretFilter>();
        services.AddSingleton<ChatLocks>();
        services.AddHttpClient<IMessageSender, TelegramSender>(client => client.Timeout = SendTimeout.PerCall);
        return services;
    }

    /// <summary>Maps <c>POST /webhooks/telegram</c> behind the secret-token filter.</summary>
    public static RouteHandlerBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, UpdateAsync).AddEndpointFilter<TelegramSecretFilter>().DisableAntiforgery();

    private static async Task<IResult> UpdateAsync(
        HttpRequest request, ConversationService conversations, IEnumerable<ITelegramCommandHandler> commands, ChatLocks locks, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await WebhookLimits.ReadBodyAsync(request, WebhookLimits.MaxJsonBytes, cancellationToken);
        if (body is null) return tooLarge!;
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options);
        }
        catch (JsonException ex)
        {
            return Forms.BadRequest("Not a Telegram update: " + ex.Message);
        }
        if (update is null || update.Id <= 0) return Forms.BadRequest("Not a Telegram update: update_id is missing.");
        if (update.Message?.Text is { Length: > WebhookLimits.MaxText } text) return WebhookLimits.TextTooLong("message.text", text.Length);
        if (Parse(update) is not { } inbound)
        {
            // Not for us (an edited message, a group, a sticker): acknowledged so Telegram does not resend it.
            return Results.Ok();
        }
        using (await locks.LockAsync(inbound.Address, cancellationToken))
        {
            foreach (var command in commands)
            {
                if (await command.TryHandleAsync(inbound, cancellationToken)) return Results.Ok();
            }
            await conversations.HandleAsync(inbound, cancellationToken);
        }
        return Results.Ok();
    }

    /// <summary>A private chat's text, pressed button or shared contact, as a channel-neutral message.</summary>
    public static InboundMessage? Parse(Update update)
    {
        var id = $"{TelegramSender.Name}:{update.Id.ToString(CultureInfo.InvariantCulture)}";
        InboundMessage Message(User from, string text, string? callback = null, string? phone = null, bool own = false) =>
            new(Channel.Telegram, from.Id.ToString(CultureInfo.InvariantCulture), text, id, null, false, TelegramSender.Name, callback, phone, own);

        return update switch
        {
            { Message: { Chat.Type: ChatType.Private, From: { IsBot: false } from, Contact: { } contact } } =>
                Message(from, "", phone: Core.Privacy.PhoneNumber.Normalize(WithPlus(contact.PhoneNumber)), own: contact.UserId == from.Id),
            { Message: { Chat.Type: ChatType.Private, From: { IsBot: false } from, Text: { } text } } => Message(from, text),
            { CallbackQuery: { From: { IsBot: false } from, Data: { } data, Id: { } callback } } => Message(from, data, callback),
            _ => null,
        };
    }

    /// <summary>Telegram sends contacts' numbers without the leading '+'.</summary>
    private static string WithPlus(string number) => number.StartsWith('+') ? number : "+" + number;

}

/// <summary>Handles some updates before the citizen dialogs (the officer console). True when it took the update.</summary>
public interface ITelegramCommandHandler
{
    Task<bool> TryHandleAsync(InboundMessage message, CancellationToken cancellationToken);
}
