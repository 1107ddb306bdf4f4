using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Microsoft.AspNetCore.Http;

namespace Jukwaa.Bot.Channels.Http;

/// <summary>An SMS provider's inbound form, whatever its field names: checked, then handed to the conversation service.</summary>
public static class InboundSms
{
    public const int MaxIdLength = 128;

    /// <summary>Null when the message was taken (stored, deduplicated, answered through the outbox); otherwise the 400 to answer.</summary>
    public static async Task<IResult?> AcceptAsync(
        HttpRequest request, ConversationService conversations, string provider, string idField, string fromField, string textField,
        CancellationToken cancellationToken)
    {
        var (form, refusal) = await Forms.ReadAsync(request, cancellationToken);
        if (form is null) return refusal!;
        var id = form[idField].ToString();
        if (id.Length is 0 or > MaxIdLength) return Forms.BadRequest($"{idField} is missing or too long.");
        // Twilio relays WhatsApp on the same webhook; answering it by SMS would reach the person on the wrong channel.
        if (form[fromField].ToString().StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            return Forms.BadRequest("WhatsApp is not enabled on this host: this route takes SMS only.");
        }
        if (Core.Privacy.PhoneNumber.Normalize(form[fromField]) is not { } from) return Forms.BadRequest($"{fromField} is missing or not a phone number.");
        if (!form.TryGetValue(textField, out var text)) return Forms.BadRequest($"Missing form field: {textField}.");
        if (text.ToString().Length > WebhookLimits.MaxText) return WebhookLimits.TextTooLong(textField, text.ToString().Length);
        await conversations.HandleAsync(
            new InboundMessage(Channel.Sms, from, text.ToString(), $"{provider}:{id}", null, false, provider), cancellationToken);
        return null;
    }
}
