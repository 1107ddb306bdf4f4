using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Officers;

public enum TriageOutcome
{
    Changed,
    /// <summary>No such report, or not one this officer may read: the same answer for both.</summary>
    NotFound,
    /// <summary>Someone moved the report after the officer last saw it: nothing was done.</summary>
    ChangedMeanwhile,
    /// <summary>The lifecycle or the officer's role does not allow that move now.</summary>
    NotAllowed,
    /// <summary>A rejection needs a reason the reporter will read.</summary>
    ReasonNeeded,
}

/// <summary>What came of an officer's action, for the console to say. <see cref="LastChange"/> is set when it changed meanwhile.</summary>
public sealed record TriageResult(TriageOutcome Outcome, Report? Report = null, ReportStatus From = default, string ReporterLanguage = Languages.English,
    ReportEvent? LastChange = null, string? LastChangeBy = null);

/// <summary>
/// Moves reports through their lifecycle for both consoles: checks the officer may (<see cref="ReportAccess"/>,
/// <see cref="ReportLifecycle"/>), acts only on the version the officer saw, records who/when/from/to/why, and
/// queues the reporter's notice on the channel they used, in their language. Nothing is saved here: the caller
/// saves the unit of work (and, on <see cref="ConcurrentStepException"/>, asks again to report what happened).
/// </summary>
public sealed class Triage(IConversationStore store, IOfficerStore officers, ReportAccess access, DialogCatalog catalog, PersonalDataProtector protector)
{
    /// <summary>The longest reason a reporter can be sent: it is quoted inside one SMS.</summary>
    public const int MaxReason = 90;

    /// <summary>The report, when it exists and this officer may read it; tracked, so a change is saved with the turn.</summary>
    public async Task<Report?> FindReadableAsync(Officer officer, string typedReference, CancellationToken cancellationToken)
    {
        var check = ReferenceNumber.Check(typedReference);
        if (check.Validity != ReferenceValidity.Valid) return null;
        var report = await officers.FindReportAsync(check.Digits, cancellationToken);
        return report is not null && access.CanRead(officer, report) ? report : null;
    }

    /// <summary>
    /// Applies <paramref name="action"/> when the report is still at version <paramref name="seen"/> (null: as it is now).
    /// </summary>
    public async Task<TriageResult> ChangeAsync(
        Officer officer, string reference, ReportAction action, string? note, int? seen, DateTime now, CancellationToken cancellationToken)
    {
        if (await FindReadableAsync(officer, reference, cancellationToken) is not { } report) return new(TriageOutcome.NotFound);
        var reporter = await officers.FindPersonByIdAsync(report.ReporterId, cancellationToken);
        var reporterLanguage = ReporterLanguage(report, reporter);
        if (seen is { } version && version != report.Version)
        {
            var (last, by) = await LastChangeAsync(report, cancellationToken);
            return new(TriageOutcome.ChangedMeanwhile, report, report.Status, reporterLanguage, last, by);
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (action == ReportAction.Reject && note is null) return new(TriageOutcome.ReasonNeeded, report, report.Status, reporterLanguage);
        var from = report.Status;
        if (!access.CanChange(officer, report) || !new ReportLifecycle(report, officer).Apply(action)) return new(TriageOutcome.NotAllowed, report, from, reporterLanguage);
        report.StatusChangedAt = now;
        if (report.FirstActionAt is null)
        {
            report.FirstActionAt = now;
            report.FirstActionMinutes = (int)Math.Round((now - report.CreatedAt).TotalMinutes);
        }
        report.Version++;
        officers.AddEvent(new ReportEvent
        {
            ReportId = report.Id, OfficerId = officer.Id, At = now, From = from, To = report.Status, Kind = ReportEventKind.StatusChange,
            NoteSealed = note is null ? null : protector.Seal(note),
        });
        NotifyReporter(report, reporter, note, now);
        return new(TriageOutcome.Changed, report, from, reporterLanguage);
    }

    /// <summary>The last change of status and the name of the officer who made it.</summary>
    public async Task<(ReportEvent? Event, string? By)> LastChangeAsync(Report report, CancellationToken cancellationToken)
    {
        var events = await officers.EventsAsync(report.Id, cancellationToken);
        var last = events.LastOrDefault(e => e.Kind == ReportEventKind.StatusChange);
        if (last?.OfficerId is not { } id) return (last, null);
        var names = await officers.OfficerNamesAsync([id], cancellationToken);
        return (last, names.GetValueOrDefault(id));
    }

    /// <summary>The reporter hears of every change, anonymous or not, on the channel they used and in their language.</summary>
    /// <remarks>The officer's reason is never the whole message: it is quoted inside a fixed sentence in the reporter's language.</remarks>
    private void NotifyReporter(Report report, Person? reporter, string? reason, DateTime now)
    {
        if (reporter is null) return;
        var channel = report.Channel == Channel.Telegram ? Channel.Telegram : Channel.Sms;
        if (reporter.IsStopped(channel)) return;
        var language = ReporterLanguage(report, reporter);
        var reference = ReferenceNumber.Format(report.Reference);
        var text = report.Status == ReportStatus.Rejected
            ? catalog.Text("reporter.rejected", language, new Dictionary<string, string> { ["ref"] = reference, ["reason"] = reason ?? "" })
            : catalog.Text("reporter.changed", language, new Dictionary<string, string>
            {
                ["ref"] = reference, ["status"] = catalog.Text("report_status." + ReportStatusAction.StatusKey(report.Status), language),
            });
        var to = channel == Channel.Telegram ? reporter.TelegramChatSealed : reporter.AddressSealed;
        if (to is null) return;
        store.AddOutbox(OutboxMessage.Pending(reporter.Id, channel, report.ReplyProvider, to, protector.Seal(text), Text.Gsm7.SmsParts(text), now));
    }

    public static string ReporterLanguage(Report report, Person? reporter) => Languages.OrDefault(reporter?.Language ?? report.Language);
}
