using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Scorecards;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Jukwaa.Bot.Storage;

/// <summary>Core's stores over EF Core: one instance per request, one transaction per turn.</summary>
public sealed class EfJukwaaStore(JukwaaDbContext db, WriteGate gate) : IConversationStore, IReportStore, IOfficerStore, IQuestionnaireStore, IScorecardStore, IPublicationStore, IPersonalDataStore
{
    private const int SqliteConstraint = 19;

    public Task<Person?> FindPersonAsync(string addressHash, CancellationToken cancellationToken) =>
        db.People.FirstOrDefaultAsync(p => p.AddressHash == addressHash, cancellationToken);

    public Task<Person?> FindTelegramPersonAsync(string telegramHash, CancellationToken cancellationToken) =>
        db.People.FirstOrDefaultAsync(p => p.TelegramHash == telegramHash, cancellationToken);

    public void AddPerson(Person person) => db.People.Add(person);

    public Task<Conversation?> FindConversationAsync(Channel channel, string providerSessionId, CancellationToken cancellationToken) =>
        db.Conversations.FirstOrDefaultAsync(c => c.Channel == channel && c.ProviderSessionId == providerSessionId, cancellationToken);

    public Task<Conversation?> FindConversationAsync(Guid id, CancellationToken cancellationToken) =>
        db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public async Task<Conversation?> FindResumableAsync(Guid personId, Channel channel, DateTime since, Guid except, CancellationToken cancellationToken)
    {
        // Only the most recent session counts: one that finished properly since then means nothing was dropped.
        var latest = await db.Conversations
            .Where(c => c.PersonId == personId && c.Channel == channel && c.UpdatedAt >= since && c.Id != except)
            .OrderByDescending(c => c.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return latest is { Ended: false, ResumedById: null } && latest.DialogId != DialogRegistry.MainDialog && latest.DialogId != DialogRegistry.LanguageDialog && !latest.State.StartsWith('_')
            ? latest
            : null;
    }

    public void AddConversation(Conversation conversation) => db.Conversations.Add(conversation);

    public void AddMessage(MessageRecord message) => db.Messages.Add(message);

    public Task<bool> InboundSeenAsync(string providerMessageId, CancellationToken cancellationToken) =>
        db.Messages.AnyAsync(m => m.ProviderMessageId == providerMessageId, cancellationToken);

    public void AddOutbox(OutboxMessage message) => db.Outbox.Add(message);

    public Task<bool> ReferenceExistsAsync(string reference, CancellationToken cancellationToken) =>
        db.Reports.AnyAsync(r => r.Reference == reference, cancellationToken);

    public Task<Report?> FindByReferenceAsync(string reference, CancellationToken cancellationToken) =>
        db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Reference == reference, cancellationToken);

    public void Add(Report report) => db.Reports.Add(report);

    public Task<Officer?> FindOfficerByTelegramAsync(string telegramHash, CancellationToken cancellationToken) =>
        db.Officers.FirstOrDefaultAsync(o => o.TelegramHash == telegramHash && !o.Disabled, cancellationToken);

    public Task<Report?> FindReportAsync(string reference, CancellationToken cancellationToken) =>
        db.Reports.FirstOrDefaultAsync(r => r.Reference == reference, cancellationToken);

    public async Task<IReadOnlyList<Report>> CountyReportsAsync(string countyCode, CancellationToken cancellationToken) =>
        await db.Reports.AsNoTracking().Where(r => r.CountyCode == countyCode).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ReportEvent>> EventsAsync(Guid reportId, CancellationToken cancellationToken) =>
        await db.ReportEvents.AsNoTracking().Where(e => e.ReportId == reportId).OrderBy(e => e.Id).ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, string>> OfficerNamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await db.Officers.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);

    public Task<Person?> FindPersonByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.People.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public void AddEvent(ReportEvent reportEvent) => db.ReportEvents.Add(reportEvent);

    public void AddOfficer(Officer officer) => db.Officers.Add(officer);

    public async Task<IReadOnlyList<Officer>> OfficersAsync(CancellationToken cancellationToken) =>
        await db.Officers.OrderBy(o => o.CreatedAt).ToListAsync(cancellationToken);

    public Task<Officer?> FindOfficerAsync(Guid id, CancellationToken cancellationToken) =>
        db.Officers.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);

    public async Task<IReadOnlyList<QuestionnaireResponse>> ResponsesAsync(string questionnaireId, Guid personId, CancellationToken cancellationToken) =>
        await db.QuestionnaireResponses.Where(r => r.QuestionnaireId == questionnaireId && r.PersonId == personId)
            .OrderByDescending(r => r.Version).ThenByDescending(r => r.StartedAt).ToListAsync(cancellationToken);

    public Task<QuestionnaireResponse?> FindResponseAsync(Guid id, CancellationToken cancellationToken) =>
        db.QuestionnaireResponses.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    public async Task<IReadOnlyList<QuestionnaireAnswer>> AnswersAsync(Guid responseId, CancellationToken cancellationToken) =>
        await db.QuestionnaireAnswers.AsNoTracking().Where(a => a.ResponseId == responseId).OrderBy(a => a.Id).ToListAsync(cancellationToken);

    public void AddResponse(QuestionnaireResponse response) => db.QuestionnaireResponses.Add(response);

    public async Task<IReadOnlyList<(string QuestionnaireId, int Complete, int Incomplete)>> CountyCountsAsync(string countyCode, CancellationToken cancellationToken)
    {
        var counts = await db.QuestionnaireResponses.AsNoTracking()
            .Where(r => r.CountyCode == countyCode)
            .GroupBy(r => r.QuestionnaireId)
            .Select(g => new { Id = g.Key, Complete = g.Count(r => r.CompletedAt != null), All = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. counts.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => (c.Id, c.Complete, c.All - c.Complete))];
    }

    public void AddAnswer(QuestionnaireAnswer answer) => db.QuestionnaireAnswers.Add(answer);

    public async Task<IReadOnlyList<IndicatorValue>> ValuesAsync(string countyCode, string quarter, CancellationToken cancellationToken) =>
        await db.IndicatorValues.AsNoTracking().Where(v => v.CountyCode == countyCode && v.Quarter == quarter).ToListAsync(cancellationToken);

    public async Task<(int Added, int Updated, int Unchanged)> UpsertAsync(IReadOnlyList<IndicatorValue> values, CancellationToken cancellationToken)
    {
        int added = 0, updated = 0, unchanged = 0;
        foreach (var value in values)
        {
            var existing = await db.IndicatorValues.FirstOrDefaultAsync(
                v => v.CountyCode == value.CountyCode && v.Quarter == value.Quarter && v.IndicatorId == value.IndicatorId, cancellationToken);
            if (existing is null)
            {
                db.IndicatorValues.Add(value);
                added++;
            }
            else if (existing.Target != value.Target || existing.Achieved != value.Achieved || existing.Source != value.Source)
            {
                (existing.Target, existing.Achieved, existing.Source, existing.ImportedAt) = (value.Target, value.Achieved, value.Source, value.ImportedAt);
                updated++;
            }
            else
            {
                unchanged++;
            }
        }
        await SaveAsync(cancellationToken);
        return (added, updated, unchanged);
    }

    public async Task<IReadOnlyList<Report>> ReportsAsync(string countyCode, DateTime since, DateTime until, CancellationToken cancellationToken) =>
        await db.Reports.AsNoTracking().Where(r => r.CountyCode == countyCode && r.CreatedAt >= since && r.CreatedAt < until).ToListAsync(cancellationToken);

    public async Task<(IReadOnlyList<int> Ratings, int Responses)> QuestionnaireMeasuresAsync(
        string countyCode, DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        var completed = db.QuestionnaireResponses.AsNoTracking()
            .Where(r => r.CountyCode == countyCode && r.CompletedAt >= since && r.CompletedAt < until);
        var responses = await completed.CountAsync(cancellationToken);
        var values = await db.QuestionnaireAnswers.AsNoTracking()
            .Where(a => a.QuestionId.StartsWith("trust") && !a.Skipped && completed.Any(r => r.Id == a.ResponseId))
            .Select(a => a.Value)
            .ToListAsync(cancellationToken);
        return ([.. values.Select(v => int.TryParse(v, out var n) ? n : 0).Where(n => n is >= 1 and <= 5)], responses);
    }

    public async Task<PublishedScorecard?> LatestPublishedAsync(string countyCode, CancellationToken cancellationToken) =>
        await db.PublishedScorecards.AsNoTracking().Where(p => p.CountyCode == countyCode && p.WithdrawnAt == null)
            .OrderByDescending(p => p.Quarter).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<PublishedScorecard>> PublishedAsync(string quarter, CancellationToken cancellationToken) =>
        await db.PublishedScorecards.Where(p => p.Quarter == quarter).ToListAsync(cancellationToken);

    public void AddPublished(PublishedScorecard published) => db.PublishedScorecards.Add(published);

    public async Task<IReadOnlyList<PublishedScorecard>> CountyHistoryAsync(string countyCode, CancellationToken cancellationToken) =>
        await db.PublishedScorecards.AsNoTracking().Where(p => p.CountyCode == countyCode).OrderBy(p => p.Quarter).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<PublishedScorecard>> LatestOfEachCountyAsync(CancellationToken cancellationToken)
    {
        var all = await db.PublishedScorecards.AsNoTracking().Where(p => p.WithdrawnAt == null).ToListAsync(cancellationToken);
        return [.. all.GroupBy(p => p.CountyCode).Select(g => g.MaxBy(p => p.Quarter, StringComparer.Ordinal)!)];
    }

    public Task<ScorecardSubscription?> FindSubscriptionAsync(Guid personId, CancellationToken cancellationToken) =>
        db.ScorecardSubscriptions.FirstOrDefaultAsync(s => s.PersonId == personId, cancellationToken);

    public void AddSubscription(ScorecardSubscription subscription) => db.ScorecardSubscriptions.Add(subscription);

    public void RemoveSubscription(ScorecardSubscription subscription) => db.ScorecardSubscriptions.Remove(subscription);

    public async Task<IReadOnlyList<(ScorecardSubscription Subscription, Person Person, int? SentRevision)>> SubscribersAsync(string quarter, CancellationToken cancellationToken)
    {
        var rows = await (from subscription in db.ScorecardSubscriptions.AsNoTracking()
                          join person in db.People.AsNoTracking() on subscription.PersonId equals person.Id
                          select new { subscription, person, sent = db.ScorecardDeliveries.Where(d => d.Quarter == quarter && d.PersonId == person.Id).Max(d => (int?)d.Revision) })
                         .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.subscription, r.person, r.sent))];
    }

    public void AddDelivery(ScorecardDelivery delivery) => db.ScorecardDeliveries.Add(delivery);

    public async Task<PersonalRecord?> LoadAsync(string phoneHash, CancellationToken cancellationToken)
    {
        if (await db.People.FirstOrDefaultAsync(p => p.AddressHash == phoneHash, cancellationToken) is not { } person) return null;
        var conversations = await db.Conversations.Where(c => c.PersonId == person.Id).ToListAsync(cancellationToken);
        var messages = await db.Messages.Where(m => m.PersonId == person.Id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var reports = await db.Reports.Where(r => r.ReporterId == person.Id).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        var responses = await db.QuestionnaireResponses.Where(r => r.PersonId == person.Id).ToListAsync(cancellationToken);
        var ids = responses.Select(r => r.Id).ToList();
        var answers = await db.QuestionnaireAnswers.Where(a => ids.Contains(a.ResponseId)).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var subscription = await db.ScorecardSubscriptions.FirstOrDefaultAsync(s => s.PersonId == person.Id, cancellationToken);
        var reportIds = reports.Select(r => r.Id).ToList();
        var events = await db.ReportEvents.AsNoTracking().Where(e => reportIds.Contains(e.ReportId)).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var sent = await db.Outbox.AsNoTracking().Where(o => o.PersonId == person.Id && o.Kind != OutboxKind.CallbackAnswer).OrderBy(o => o.Id).ToListAsync(cancellationToken);
        return new PersonalRecord(person, conversations, messages, reports,
            [.. responses.Select(r => (r, (IReadOnlyList<QuestionnaireAnswer>)[.. answers.Where(a => a.ResponseId == r.Id)]))], subscription, events, sent);
    }

    public async Task EraseOutboxAsync(Guid personId, DateTime now, CancellationToken cancellationToken)
    {
        await gate.RunAsync(() => db.Outbox.Where(o => o.PersonId == personId && (o.Status == OutboxStatus.Pending || o.Status == OutboxStatus.Sending))
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, OutboxStatus.Failed).SetProperty(o => o.StatusAt, now)
                .SetProperty(o => o.Error, "the person asked to be forgotten").SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);
        await gate.RunAsync(() => db.Outbox.Where(o => o.PersonId == personId)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.ToSealed, "").SetProperty(o => o.BodySealed, ""), cancellationToken), cancellationToken);
        // Copies of their words sent to others (a report on an officer's screen): the text goes, the recipient's address stays.
        await gate.RunAsync(() => db.Outbox.Where(o => o.AboutPersonId == personId)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.BodySealed, ""), cancellationToken), cancellationToken);
    }

    public void Remove(ScorecardSubscription subscription) => db.ScorecardSubscriptions.Remove(subscription);

    public async Task<int> PurgeBodiesAsync(DateTime cutoff, DateTime now, CancellationToken cancellationToken)
    {
        // Unsent for the whole retention period (waiting for a provider never configured): given up and blanked in one
        // statement, so no reader sees it failed with its body still there.
        await gate.RunAsync(() => db.Outbox
            .Where(o => o.CreatedAt < cutoff && (o.Status == OutboxStatus.Pending || (o.Status == OutboxStatus.Sending && o.LockedUntil < now)))
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, OutboxStatus.Failed).SetProperty(o => o.StatusAt, now).SetProperty(o => o.LockedUntil, (DateTime?)null)
                .SetProperty(o => o.BodySealed, "")
                .SetProperty(o => o.Error, "expired unsent: not sent within the retention period (Retention:MessageBodies)")
                .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken), cancellationToken);
        var messages = await gate.RunAsync(() => db.Messages.Where(m => m.At < cutoff && m.BodySealed != "")
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.BodySealed, ""), cancellationToken), cancellationToken);
        await gate.RunAsync(() => db.Conversations.Where(c => c.UpdatedAt < cutoff && c.DataSealed != "")
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.DataSealed, "").SetProperty(c => c.LastInputSealed, "").SetProperty(c => c.LastReplySealed, ""), cancellationToken), cancellationToken);
        await gate.RunAsync(() => db.Outbox.Where(o => o.CreatedAt < cutoff && o.BodySealed != "" && o.Status != OutboxStatus.Pending && o.Status != OutboxStatus.Sending)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.BodySealed, ""), cancellationToken), cancellationToken);
        return messages;
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await gate.RunAsync(() => db.SaveChangesAsync(cancellationToken), cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrentStepException("The conversation was changed by another request.", ex);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            throw new ConcurrentStepException("Another request created the same row first.", ex);
        }
    }

    public void Reset() => db.ChangeTracker.Clear();

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
