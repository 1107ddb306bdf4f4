using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Storage;

/// <summary>
/// The outbox over EF Core. A claim is a conditional update on the row's version, so two dispatchers
/// never both own a message, and a dispatcher whose lease ran out can no longer record over the next one.
/// Every reason reaches the Error column through <see cref="Reason"/>: redacted of phone numbers, cut short.
/// </summary>
public sealed class EfOutboxStore(JukwaaDbContext db, WriteGate gate) : IOutboxStore
{
    public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(
        DateTime now, TimeSpan lease, int max, string? provider, IReadOnlyCollection<string> otherThan, CancellationToken cancellationToken)
    {
        var query = db.Outbox.AsNoTracking()
            .Where(o => (o.Status == OutboxStatus.Pending && o.NextAttemptAt <= now)
                || (o.Status == OutboxStatus.Sending && o.LockedUntil < now));
        query = provider is null ? query.Where(o => !otherThan.Contains(o.Provider)) : query.Where(o => o.Provider == provider);
        var due = await query
            .OrderBy(o => o.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
        var until = now + lease;
        var claimed = new List<OutboxMessage>(due.Count);
        foreach (var message in due)
        {
            var version = message.Version;
            int updated;
            try
            {
                updated = await gate.RunAsync(() => db.Outbox
                    .Where(o => o.Id == message.Id && o.Version == version)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(o => o.Status, OutboxStatus.Sending)
                        .SetProperty(o => o.LockedUntil, until)
                        .SetProperty(o => o.Attempts, o => o.Attempts + 1)
                        .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);
            }
            catch (Exception) when (claimed.Count > 0)
            {
                // Those already claimed are handed over (else they would sit out a lease with an attempt
                // spent); this row stays as it was or is claimed again after its lease.
                continue;
            }
            if (updated != 1) continue;
            message.Status = OutboxStatus.Sending;
            message.LockedUntil = until;
            message.Attempts++;
            message.Version++;
            claimed.Add(message);
        }
        return claimed;
    }

    public async Task RecordAsync(OutboxMessage claimed, DateTime now, CancellationToken cancellationToken)
    {
        var version = claimed.Version;
        var error = Reason(claimed.Error);
        await gate.RunAsync(() => db.Outbox
            .Where(o => o.Id == claimed.Id && o.Version == version && o.Status == OutboxStatus.Sending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, claimed.Status)
                .SetProperty(o => o.Attempts, claimed.Attempts)
                .SetProperty(o => o.Provider, claimed.Provider)
                .SetProperty(o => o.ProviderMessageId, claimed.ProviderMessageId)
                .SetProperty(o => o.NextAttemptAt, claimed.NextAttemptAt)
                .SetProperty(o => o.LockedUntil, (DateTime?)null)
                .SetProperty(o => o.Error, error)
                .SetProperty(o => o.SentAt, claimed.SentAt)
                .SetProperty(o => o.StatusAt, claimed.StatusAt)
                .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> WaitingProvidersAsync(IReadOnlyCollection<string> otherThan, DateTime now, CancellationToken cancellationToken) =>
        await db.Outbox.AsNoTracking()
            .Where(o => (o.Status == OutboxStatus.Pending || (o.Status == OutboxStatus.Sending && o.LockedUntil < now)) && !otherThan.Contains(o.Provider))
            .Select(o => o.Provider).Distinct().ToListAsync(cancellationToken);

    public async Task<int> MarkWaitingAsync(string provider, string reason, DateTime now, CancellationToken cancellationToken)
    {
        var error = Reason(reason);
        return await gate.RunAsync(() => db.Outbox
            .Where(o => o.Provider == provider
                && ((o.Status == OutboxStatus.Pending && (o.Error == null || o.Error != error)) || (o.Status == OutboxStatus.Sending && o.LockedUntil < now)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, OutboxStatus.Pending)
                .SetProperty(o => o.LockedUntil, (DateTime?)null)
                .SetProperty(o => o.Error, error)
                .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);
    }

    public async Task ReleaseRetriesAsync(string provider, DateTime now, CancellationToken cancellationToken) =>
        await gate.RunAsync(() => db.Outbox
            .Where(o => o.Provider == provider && o.Status == OutboxStatus.Pending && o.NextAttemptAt > now && o.Attempts > 0)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.NextAttemptAt, now)
                .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);

    public Task MarkStoppedAsync(Guid personId, Channel channel, DateTime now, CancellationToken cancellationToken) => channel switch
    {
        Channel.Sms => gate.RunAsync(() => db.People
            .Where(p => p.Id == personId && p.SmsStoppedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.SmsStoppedAt, now), cancellationToken), cancellationToken),
        Channel.Telegram => gate.RunAsync(() => db.People
            .Where(p => p.Id == personId && p.TelegramStoppedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.TelegramStoppedAt, now), cancellationToken), cancellationToken),
        _ => Task.FromResult(0),
    };

    public async Task<bool> ApplyDeliveryReportAsync(
        string provider, string providerMessageId, OutboxStatus status, string? reason, bool optedOut, DateTime now, CancellationToken cancellationToken)
    {
        reason = Reason(reason);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var message = await db.Outbox.AsNoTracking()
                .FirstOrDefaultAsync(o => o.Provider == provider && o.ProviderMessageId == providerMessageId, cancellationToken);
            if (message is null) return false;
            if (optedOut) await MarkStoppedAsync(message.PersonId, message.Channel, now, cancellationToken);
            // Reports arrive out of order: "sent" after "delivered" changes nothing.
            if (OutboxStatuses.Rank(status) <= OutboxStatuses.Rank(message.Status)) return true;
            var version = message.Version;
            var updated = await gate.RunAsync(() => db.Outbox
                .Where(o => o.Id == message.Id && o.Version == version)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(o => o.Status, status)
                    .SetProperty(o => o.StatusAt, now)
                    .SetProperty(o => o.Error, o => reason ?? o.Error)
                    .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);
            if (updated == 1) return true;
        }
        return true;
    }

    /// <summary>A provider's text as it may be stored: phone numbers masked (providers quote the number they refused), at most 500 characters.</summary>
    private static string? Reason(string? text)
    {
        if (text is null) return null;
        var redacted = PhoneNumber.Redact(text.Length <= 2000 ? text : text[..2000]);
        return redacted.Length <= 500 ? redacted : redacted[..500];
    }
}
