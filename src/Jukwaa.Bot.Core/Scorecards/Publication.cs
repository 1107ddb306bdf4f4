using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>
/// A county's scorecard for a quarter as published: its figures, frozen. Its words are drawn from them
/// (<see cref="ScorecardText"/>) whenever it is shown or sent, so every surface protects small counts alike.
/// </summary>
public sealed class PublishedScorecard
{
    public long Id { get; set; }
    public required string Quarter { get; set; }
    public required string CountyCode { get; set; }
    public Grade Overall { get; set; }
    /// <summary>The published figures (<see cref="ScorecardSnapshot"/> as JSON).</summary>
    public string DataJson { get; set; } = "{}";
    public DateTime PublishedAt { get; set; }
    /// <summary>0 as first published; each correction adds one (subscribers are told of each once).</summary>
    public int Revision { get; set; }
    public DateTime? CorrectedAt { get; set; }
    /// <summary>Why the figures were corrected: shown on the public page and sent to subscribers.</summary>
    public string? CorrectionReason { get; set; }
    /// <summary>A withdrawn scorecard is no one's latest; its quarter and reason stay on the public page.</summary>
    public DateTime? WithdrawnAt { get; set; }
    public string? WithdrawnReason { get; set; }

    public ScorecardSnapshot Snapshot => System.Text.Json.JsonSerializer.Deserialize<ScorecardSnapshot>(DataJson) ?? ScorecardSnapshot.Empty;

    public void Freeze(Grade overall, ScorecardSnapshot figures) => (Overall, DataJson) = (overall, System.Text.Json.JsonSerializer.Serialize(figures));
}

/// <summary>A published scorecard's figures: what every surface draws.</summary>
public sealed record ScorecardSnapshot(
    IReadOnlyList<IndicatorSnapshot> Indicators, IReadOnlyDictionary<string, int> ReportsByCategory, int Received, int Actioned, int Closed,
    double? MedianDaysToAction, double? MeanTrust, int QuestionnaireResponses, Grade ActionedGrade, Grade SpeedGrade, Grade TrustGrade)
{
    public static readonly ScorecardSnapshot Empty = new([], new Dictionary<string, int>(), 0, 0, 0, null, null, 0, Grade.NoData, Grade.NoData, Grade.NoData);

    public static ScorecardSnapshot Of(CountyScorecard card) => new(
        Of(card.Indicators),
        card.Citizens.ReportsByCategory, card.Citizens.Received, card.Citizens.Actioned, card.Citizens.Closed, card.Citizens.MedianDaysToAction,
        card.Citizens.MeanTrust, card.Citizens.QuestionnaireResponses, card.Citizens.ActionedGrade, card.Citizens.SpeedGrade, card.Citizens.TrustGrade);

    public static IReadOnlyList<IndicatorSnapshot> Of(IEnumerable<IndicatorLine> lines) =>
        [.. lines.Select(l => new IndicatorSnapshot(l.Indicator.Id, l.Target, l.Achieved, l.Grade, l.Source))];

    /// <summary>The indicators that are published (those with data); an indicator without a value for the quarter shows nowhere.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<IndicatorSnapshot> Shown => Indicators.Where(i => i.Grade != Grade.NoData);
}

/// <summary>One official indicator as published; <paramref name="Source"/> is the import's <c>source</c> (null in scorecards published before it was kept).</summary>
public sealed record IndicatorSnapshot(string Id, decimal? Target, decimal? Achieved, Grade Grade, string? Source = null);

/// <summary>A person who wants each new scorecard of one county, on the channel they subscribed from.</summary>
public sealed class ScorecardSubscription
{
    public Guid PersonId { get; set; }
    public required string CountyCode { get; set; }
    public Channel Channel { get; set; }
    public string Provider { get; set; } = LocalSmsSender.Name;
    public DateTime CreatedAt { get; set; }
}

/// <summary>That a subscriber was sent a quarter's scorecard: publishing again sends nothing twice.</summary>
public sealed class ScorecardDelivery
{
    public long Id { get; set; }
    public required string Quarter { get; set; }
    public Guid PersonId { get; set; }
    /// <summary>The scorecard's <see cref="PublishedScorecard.Revision"/> that was sent.</summary>
    public int Revision { get; set; }
    public DateTime SentAt { get; set; }
}

public interface IPublicationStore
{
    /// <summary>The county's newest scorecard that is not withdrawn.</summary>
    Task<PublishedScorecard?> LatestPublishedAsync(string countyCode, CancellationToken cancellationToken);

    /// <summary>A quarter's scorecards, withdrawn ones included, tracked: withdrawing and correcting change them.</summary>
    Task<IReadOnlyList<PublishedScorecard>> PublishedAsync(string quarter, CancellationToken cancellationToken);

    /// <summary>Every published scorecard of a county, withdrawn ones included, oldest quarter first (its trend).</summary>
    Task<IReadOnlyList<PublishedScorecard>> CountyHistoryAsync(string countyCode, CancellationToken cancellationToken);

    /// <summary>The latest scorecard of every county that has one not withdrawn.</summary>
    Task<IReadOnlyList<PublishedScorecard>> LatestOfEachCountyAsync(CancellationToken cancellationToken);

    void AddPublished(PublishedScorecard published);

    Task<ScorecardSubscription?> FindSubscriptionAsync(Guid personId, CancellationToken cancellationToken);

    void AddSubscription(ScorecardSubscription subscription);

    void RemoveSubscription(ScorecardSubscription subscription);

    /// <summary>Every subscriber with their person, and the newest revision of this quarter they were sent (null: none).</summary>
    Task<IReadOnlyList<(ScorecardSubscription Subscription, Person Person, int? SentRevision)>> SubscribersAsync(string quarter, CancellationToken cancellationToken);

    void AddDelivery(ScorecardDelivery delivery);

    void AddOutbox(OutboxMessage message);

    Task SaveAsync(CancellationToken cancellationToken);
}

public sealed record PublishResult(int Counties, int Sent, int Stopped, int AlreadySent);

public sealed record CorrectionResult(IReadOnlyList<string> Counties, int Sent, int Stopped);

/// <summary>A publication step refused, with the sentence to show whoever asked.</summary>
public sealed class ScorecardPublicationException(string message) : Exception(message);

/// <summary>
/// <c>scorecards publish</c>: freezes a quarter's scorecards (a county already published keeps its words)
/// and sends each subscriber their county's, in their language, through the outbox, once. Only a quarter
/// that has ended can be published; <c>preview</c> computes one without storing or sending anything;
/// <c>withdraw</c> takes a quarter down with a public reason and sends nothing; <c>correct</c> re-reads
/// the official indicator values and tells the subscribers of each county whose figures changed, once.
/// </summary>
public sealed class ScorecardPublisher(
    IPublicationStore store, ScorecardCalculator calculator, DialogCatalog catalog, PersonalDataProtector protector, TimeProvider clock)
{
    public const int MaxReasonLength = 300;

    public async Task<IReadOnlyList<CountyScorecard>> PreviewAsync(Quarter quarter, CancellationToken cancellationToken)
    {
        var cards = new List<CountyScorecard>();
        foreach (var county in catalog.Counties) cards.Add(await calculator.ComputeAsync(county, quarter, cancellationToken));
        return cards;
    }

    public async Task<PublishResult> PublishAsync(Quarter quarter, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now < quarter.End)
        {
            throw new ScorecardPublicationException(
                $"{quarter} has not ended (it ends at {quarter.End:yyyy-MM-dd} 00:00 UTC): only a finished quarter can be published. "
                + $"'scorecards preview {quarter}' shows it without publishing or sending anything.");
        }
        var published = (await store.PublishedAsync(quarter.ToString(), cancellationToken)).ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        if (published.Values.FirstOrDefault(p => p.WithdrawnAt is not null) is { } withdrawn)
        {
            throw new ScorecardPublicationException(
                $"{quarter} was withdrawn ({withdrawn.WithdrawnReason}); 'scorecards correct {quarter} --reason ...' publishes it again from the current values.");
        }
        var cards = new List<CountyScorecard>();
        foreach (var county in catalog.Counties.Where(c => !published.ContainsKey(c.Code)))
        {
            cards.Add(await calculator.ComputeAsync(county, quarter, cancellationToken));
        }
        // 47 scorecards saying "no data" would become the latest everywhere and be sent to every subscriber.
        if (published.Count == 0 && cards.All(c => c.Overall == Grade.NoData))
        {
            throw new ScorecardPublicationException(
                $"{quarter} has no data in any county (no official values imported, nothing citizens reported or answered to grade): nothing was published. "
                + $"Import the values first ('scorecards import FILE.csv'); 'scorecards preview {quarter}' shows what would be published.");
        }
        foreach (var card in cards)
        {
            var frozen = new PublishedScorecard { Quarter = quarter.ToString(), CountyCode = card.County.Code, PublishedAt = now };
            frozen.Freeze(card.Overall, ScorecardSnapshot.Of(card));
            store.AddPublished(frozen);
            published[card.County.Code] = frozen;
        }

        int sent = 0, stopped = 0, already = 0;
        foreach (var (subscription, person, sentRevision) in await store.SubscribersAsync(quarter.ToString(), cancellationToken))
        {
            if (sentRevision is not null) { already++; continue; }
            if (published.GetValueOrDefault(subscription.CountyCode) is not { } card || !Send(subscription, person, card, null, now)) { stopped++; continue; }
            sent++;
        }
        await store.SaveAsync(cancellationToken);
        return new PublishResult(catalog.Counties.Count, sent, stopped, already);
    }

    /// <summary>Takes a published quarter down: no page, USSD screen or SCORE shows it as the latest; the reason is shown publicly. Nothing is sent.</summary>
    public async Task<int> WithdrawAsync(Quarter quarter, string reason, CancellationToken cancellationToken)
    {
        reason = Reason(reason);
        var published = await store.PublishedAsync(quarter.ToString(), cancellationToken);
        if (published.Count == 0) throw new ScorecardPublicationException($"{quarter} has not been published: there is nothing to withdraw.");
        if (published.All(p => p.WithdrawnAt is not null)) throw new ScorecardPublicationException($"{quarter} is already withdrawn ({published[0].WithdrawnReason}).");
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var card in published) (card.WithdrawnAt, card.WithdrawnReason) = (now, reason);
        await store.SaveAsync(cancellationToken);
        return published.Count;
    }

    /// <summary>
    /// Re-grades a published (or withdrawn) quarter's official indicators from the values imported now.
    /// The citizen figures stay as published: reports keep being acted on after the quarter, and a
    /// correction changes only what it is about. Each county whose published figures change (every county
    /// of a withdrawn quarter) takes them, the reason and the next revision, and its subscribers are sent
    /// it once with the reason.
    /// </summary>
    public async Task<CorrectionResult> CorrectAsync(Quarter quarter, string reason, CancellationToken cancellationToken)
    {
        reason = Reason(reason);
        var published = (await store.PublishedAsync(quarter.ToString(), cancellationToken)).ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        if (published.Count == 0) throw new ScorecardPublicationException($"{quarter} has not been published: 'scorecards publish {quarter}' publishes it.");
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = new List<string>();
        foreach (var county in catalog.Counties.Where(c => published.ContainsKey(c.Code)))
        {
            var card = published[county.Code];
            var before = card.Snapshot;
            var lines = await calculator.IndicatorsAsync(county, quarter, cancellationToken);
            var after = before with { Indicators = ScorecardSnapshot.Of(lines) };
            var overall = ScorecardCalculator.Overall(lines, before.ActionedGrade, before.SpeedGrade, before.TrustGrade);
            // Figures decide: a scorecard published before sources were kept is not "changed" by gaining them.
            if (card.WithdrawnAt is null && overall == card.Overall && after.Shown.Select(i => i with { Source = null }).SequenceEqual(before.Shown.Select(i => i with { Source = null }))) continue;
            card.Freeze(overall, after);
            (card.Revision, card.CorrectedAt, card.CorrectionReason, card.WithdrawnAt, card.WithdrawnReason) = (card.Revision + 1, now, reason, null, null);
            changed.Add(county.Code);
        }
        if (changed.Count == 0)
        {
            throw new ScorecardPublicationException($"{quarter}: no county's scorecard changes with the current values; nothing was corrected or sent.");
        }

        int sent = 0, stopped = 0;
        foreach (var (subscription, person, sentRevision) in await store.SubscribersAsync(quarter.ToString(), cancellationToken))
        {
            if (!changed.Contains(subscription.CountyCode) || published[subscription.CountyCode] is not { } card || sentRevision >= card.Revision) continue;
            if (Send(subscription, person, card, reason, now)) sent++; else stopped++;
        }
        await store.SaveAsync(cancellationToken);
        return new CorrectionResult(changed, sent, stopped);
    }


    /// <summary>Queues the scorecard (with the correction's reason first, if any) for one subscriber; false when they cannot be reached.</summary>
    private bool Send(ScorecardSubscription subscription, Person person, PublishedScorecard card, string? correction, DateTime now)
    {
        var channel = subscription.Channel == Channel.Telegram ? Channel.Telegram : Channel.Sms;
        var to = channel == Channel.Telegram ? person.TelegramChatSealed : person.AddressSealed;
        if (person.IsStopped(channel) || to is null) return false;
        var language = Languages.OrDefault(person.Language);
        var text = channel == Channel.Telegram ? ScorecardText.Full(card, catalog, language) : ScorecardText.Summary(card, catalog, language);
        if (correction is not null)
        {
            var county = catalog.County(card.CountyCode)?.Name ?? card.CountyCode;
            var note = catalog.Text("scorecard.corrected", language, new Dictionary<string, string>
            {
                ["county"] = county, ["quarter"] = card.Quarter, ["reason"] = correction,
            });
            text = note + "\n" + text;
        }
        store.AddOutbox(OutboxMessage.Pending(person.Id, channel, subscription.Provider, to, protector.Seal(text), Text.Gsm7.SmsParts(text), now));
        store.AddDelivery(new ScorecardDelivery { Quarter = card.Quarter, PersonId = person.Id, Revision = card.Revision, SentAt = now });
        return true;
    }

    private static string Reason(string reason)
    {
        reason = reason.Trim();
        if (reason.Length == 0) throw new ScorecardPublicationException("Give the reason (--reason \"...\"): it is shown on the public pages.");
        if (reason.Length > MaxReasonLength) throw new ScorecardPublicationException($"The reason is {reason.Length} characters; at most {MaxReasonLength}.");
        return reason;
    }
}

internal static class Turn
{
    public static IPublicationStore Store(DialogContext context) =>
        context.Scorecards ?? throw new InvalidOperationException("No scorecard store in this turn.");
}

/// <summary>SCORE / ALAMA and the menu's "County scorecard": the county's latest published scorecard, short on USSD and SMS, full on Telegram.</summary>
public sealed class ShowScorecardAction : IDialogAction
{
    public string Name => "scorecard.show";

    public IReadOnlyList<string> Outcomes { get; } = ["shown", "unpublished"];

    public async Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var store = Turn.Store(context);
        var code = context.Data["county"];
        context.Data["county_name"] = context.Catalog.County(code)?.Name ?? code;
        if (await store.LatestPublishedAsync(code, cancellationToken) is not { } card) return "unpublished";
        foreach (var language in Languages.All)
        {
            context.Data[$"summary@{language}"] = ScorecardText.Summary(card, context.Catalog, language);
            context.Data[$"full@{language}"] = ScorecardText.Full(card, context.Catalog, language);
        }
        return "shown";
    }
}

/// <summary>SUBSCRIBE / JIANDIKISHE &lt;county&gt;: each newly published scorecard of that county, on this channel.</summary>
public sealed class SubscribeAction : IDialogAction
{
    public string Name => "scorecard.subscribe";

    public IReadOnlyList<string> Outcomes { get; } = ["done"];

    public async Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var code = context.Data["county"];
        context.Data["county_name"] = context.Catalog.County(code)?.Name ?? code;
        var store = Turn.Store(context);
        var provider = context.Provider ?? (context.Channel == Channel.Ussd ? "africastalking" : LocalSmsSender.Name);
        if (await store.FindSubscriptionAsync(context.Person.Id, cancellationToken) is { } existing)
        {
            // One county at a time: a new SUBSCRIBE moves it (the row is tracked, so this is saved with the turn).
            (existing.CountyCode, existing.Channel, existing.Provider, existing.CreatedAt) = (code, context.Channel, provider, context.Now);
            return "done";
        }
        store.AddSubscription(new ScorecardSubscription
        {
            PersonId = context.Person.Id, CountyCode = code, Channel = context.Channel, Provider = provider, CreatedAt = context.Now,
        });
        return "done";
    }
}

/// <summary>UNSUBSCRIBE / JIONDOE: no more scorecards.</summary>
public sealed class UnsubscribeAction : IDialogAction
{
    public string Name => "scorecard.unsubscribe";

    public IReadOnlyList<string> Outcomes { get; } = ["done", "none"];

    public async Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var store = Turn.Store(context);
        if (await store.FindSubscriptionAsync(context.Person.Id, cancellationToken) is not { } existing) return "none";
        context.Data["county_name"] = context.Catalog.County(existing.CountyCode)?.Name ?? existing.CountyCode;
        store.RemoveSubscription(existing);
        return "done";
    }
}
