using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.People;

/// <summary>
/// Finds people the way every channel must: by a keyed hash of their phone number (the same phone is
/// the same person on USSD and SMS) or of their Telegram id, creating them on first contact. The
/// address itself is kept only encrypted.
/// </summary>
public sealed class PersonDirectory(IConversationStore store, PersonalDataProtector protector)
{
    public string PhoneHash(string e164) => protector.Hash("tel:" + e164);

    public string TelegramHash(string userId) => protector.Hash("tg:" + userId);

    public async Task<Person> FindOrAddByPhoneAsync(string e164, DateTime now, CancellationToken cancellationToken)
    {
        var hash = PhoneHash(e164);
        if (await store.FindPersonAsync(hash, cancellationToken) is { } person) return person;
        person = new Person { AddressHash = hash, AddressSealed = protector.Seal(e164), CreatedAt = now };
        store.AddPerson(person);
        return person;
    }

    /// <summary>A Telegram user is known only by Telegram until they share their phone number (LINK).</summary>
    public async Task<Person> FindOrAddByTelegramAsync(string userId, DateTime now, CancellationToken cancellationToken)
    {
        var hash = TelegramHash(userId);
        if (await store.FindTelegramPersonAsync(hash, cancellationToken) is { } person) return person;
        person = new Person
        {
            AddressHash = hash, AddressSealed = protector.Seal("tg:" + userId), TelegramHash = hash,
            TelegramChatSealed = protector.Seal(userId), CreatedAt = now,
        };
        store.AddPerson(person);
        return person;
    }
}
