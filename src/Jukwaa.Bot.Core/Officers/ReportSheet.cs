using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Officers;

public sealed record ReportHistoryEntry(DateTime At, string Who, ReportEventKind Kind, ReportStatus From, ReportStatus To, string? Note);

/// <summary>
/// A report as an officer may read it: the reporter as a masked number, "Telegram", or hidden when they asked
/// to stay anonymous (never their identity); the place and the narrative; the history; and the moves this
/// officer may make now.
/// </summary>
public sealed record ReportView(
    Report Report, string Place, string Narrative, string? Reporter, bool Sensitive, IReadOnlyList<ReportHistoryEntry> History,
    IReadOnlyList<ReportAction> Allowed, string ReporterLanguage)
{
    /// <summary>The reporter asked to stay anonymous.</summary>
    public bool ReporterHidden => Report.Anonymous;
}

/// <summary>
/// Shows a report to an officer (both consoles). Reading the narrative of a report in a sensitive category is
/// recorded in its history (who, when), in the caller's unit of work.
/// </summary>
public sealed class ReportSheet(Triage triage, IOfficerStore officers, ReportAccess access, PersonalDataProtector protector)
{
    public const string TelegramReporter = "Telegram";

    public async Task<ReportView?> ReadAsync(Officer officer, string typedReference, DateTime now, CancellationToken cancellationToken)
    {
        if (await triage.FindReadableAsync(officer, typedReference, cancellationToken) is not { } report) return null;
        var sensitive = access.IsSensitive(report);
        var events = (await officers.EventsAsync(report.Id, cancellationToken)).ToList();
        if (sensitive)
        {
            var read = new ReportEvent { ReportId = report.Id, OfficerId = officer.Id, At = now, From = report.Status, To = report.Status, Kind = ReportEventKind.NarrativeRead };
            officers.AddEvent(read);
            events.Add(read);
        }
        var names = await officers.OfficerNamesAsync([.. events.Select(e => e.OfficerId).OfType<Guid>().Distinct()], cancellationToken);
        var history = events.Select(e => new ReportHistoryEntry(
            e.At, e.OfficerId is { } id && names.TryGetValue(id, out var name) ? name : "-", e.Kind, e.From, e.To,
            e.NoteSealed is null ? null : protector.Unseal(e.NoteSealed))).ToList();
        var reporter = await officers.FindPersonByIdAsync(report.ReporterId, cancellationToken);
        return new ReportView(
            report, protector.Unseal(report.PlaceSealed), protector.Unseal(report.DetailsSealed), report.Anonymous ? null : Describe(reporter), sensitive, history,
            access.CanChange(officer, report) ? new ReportLifecycle(report, officer).Allowed : [], Triage.ReporterLanguage(report, reporter));
    }

    private string Describe(Person? person)
    {
        if (person is null) return "-";
        var address = protector.Unseal(person.AddressSealed);
        return address.StartsWith("tg:", StringComparison.Ordinal) ? TelegramReporter : PhoneNumber.Mask(address);
    }
}
