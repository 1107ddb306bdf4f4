using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>What the officer console reads and writes, in the same unit of work as <see cref="Conversations.IConversationStore"/>.</summary>
public interface IOfficerStore
{
    Task<Officer?> FindOfficerByTelegramAsync(string telegramHash, CancellationToken cancellationToken);

    /// <summary>A report by reference, tracked: changes are saved with the turn.</summary>
    Task<Report?> FindReportAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Every report of a county (read-only).</summary>
    Task<IReadOnlyList<Report>> CountyReportsAsync(string countyCode, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReportEvent>> EventsAsync(Guid reportId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<Guid, string>> OfficerNamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    Task<Person?> FindPersonByIdAsync(Guid id, CancellationToken cancellationToken);

    void AddEvent(ReportEvent reportEvent);

    void AddOfficer(Officer officer);

    Task<IReadOnlyList<Officer>> OfficersAsync(CancellationToken cancellationToken);

    Task<Officer?> FindOfficerAsync(Guid id, CancellationToken cancellationToken);
}
