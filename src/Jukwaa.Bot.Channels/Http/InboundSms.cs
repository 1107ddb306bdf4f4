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
        var (form, error) = await Forms.ReadAsync(request, cancellationToken);
        if (form is null) return Forms.BadRequest(error!);
        var id = form[idField].ToString();
        if (id.Length is 0 or > MaxIdLength) return Forms.BadRequest($"{idField} is missing or too long.");
        if (Core.Privacy.PhoneNumber.Normalize(form[fromField]) is not { } from) return Forms.BadRequest($"{fromField} is missing or not a phone number.");
        await conversations.HandleAsync(
            new InboundMessage(Channel.Sms, from, form[textField].ToString(), $"{provider}:{id}", null, false, provider), cancellationToken);
        return null;
    }
}
