using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Conversations;

/// <summary>
/// The unit of work behind one turn. Everything added or changed through it is saved together by
/// <see cref="SaveAsync"/>, in one transaction.
/// </summary>
public interface IConversationStore
{
    Task<Person?> FindPersonAsync(string addressHash, CancellationToken cancellationToken);

    Task<Person?> FindTelegramPersonAsync(string telegramHash, CancellationToken cancellationToken);

    void AddPerson(Person person);

    Task<Conversation?> FindConversationAsync(Channel channel, string providerSessionId, CancellationToken cancellationToken);

    Task<Conversation?> FindConversationAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The person's most recent unfinished conversation on a channel, updated since <paramref name="since"/>, that is not <paramref name="except"/>.</summary>
    Task<Conversation?> FindResumableAsync(Guid personId, Channel channel, DateTime since, Guid except, CancellationToken cancellationToken);

    void AddConversation(Conversation conversation);

    void AddMessage(MessageRecord message);

    /// <summary>Whether an inbound message with this provider id was stored already (durable dedupe).</summary>
    Task<bool> InboundSeenAsync(string providerMessageId, CancellationToken cancellationToken);

    /// <summary>Queues an outbound message in this turn's transaction.</summary>
    void AddOutbox(OutboxMessage message);

    /// <summary>Saves the turn. Throws <see cref="ConcurrentStepException"/> when another delivery of the same step won.</summary>
    Task SaveAsync(CancellationToken cancellationToken);

    /// <summary>Forgets everything loaded or pending, before a retry.</summary>
    void Reset();
}

public interface IReportStore
{
    Task<bool> ReferenceExistsAsync(string reference, CancellationToken cancellationToken);

    Task<Report?> FindByReferenceAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Added to the current turn; saved with it.</summary>
    void Add(Report report);
}

/// <summary>Another request changed the same conversation (or created the same person) first.</summary>
public sealed class ConcurrentStepException(string message, Exception inner) : Exception(message, inner);
