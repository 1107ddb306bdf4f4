using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Scorecards;

/// <summary>A county's scorecard for a quarter as published: frozen words in both languages, short (USSD, SMS) and full (Telegram, web).</summary>
public sealed class PublishedScorecard
{
    public long Id { get; set; }
    public required string Quarter { get; set; }
    public required string CountyCode { get; set; }
    public Grade Overall { get; set; }
    public string SummaryEn { get; set; } = "";
    public string SummarySw { get; set; } = "";
    public string FullEn { get; set; } = "";
    public string FullSw { get; set; } = "";
    /// <summary>The figures behind the words (<see cref="ScorecardSnapshot"/> as JSON), for the web pages.</summary>
    public string DataJson { get; set; } = "{}";
    public DateTime PublishedAt { get; set; }

    public ScorecardSnapshot Snapshot => System.Text.Json.JsonSerializer.Deserialize<ScorecardSnapshot>(DataJson) ?? ScorecardSnapshot.Empty;

    public string Summary(string language) => language == Languages.Kiswahili ? SummarySw : SummaryEn;

    public string Full(string language) => language == Languages.Kiswahili ? FullSw : FullEn;
}

/// <summary>A published scorecard's figures: what the web pages draw.</summary>
public sealed record ScorecardSnapshot(
    IReadOnlyList<IndicatorSnapshot> Indicators, IReadOnlyDictionary<string, int> ReportsByCategory, int Received, int Actioned, int Closed,
    double? MedianDaysToAction, double? MeanTrust, int QuestionnaireResponses, Grade ActionedGrade, Grade SpeedGrade, Grade TrustGrade)
{
    public static readonly ScorecardSnapshot Empty = new([], new Dictionary<string, int>(), 0, 0, 0, null, null, 0, Grade.NoData, Grade.NoData, Grade.NoData);

    public static ScorecardSnapshot Of(CountyScorecard card) => new(
        [.. card.Indicators.Select(l => new IndicatorSnapshot(l.Indicator.Id, l.Target, l.Achieved, l.Grade))],
        card.Citizens.ReportsByCategory, card.Citizens.Received, card.Citizens.Actioned, card.Citizens.Closed, card.Citizens.MedianDaysToAction,
        card.Citizens.MeanTrust, card.Citizens.QuestionnaireResponses, card.Citizens.ActionedGrade, card.Citizens.SpeedGrade, card.Citizens.TrustGrade);
}

public sealed record IndicatorSnapshot(string Id, decimal? Target, decimal? Achieved, Grade Grade);

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
    public DateTime SentAt { get; set; }
}

public interface IPublicationStore
{
    Task<PublishedScorecard?> LatestPublishedAsync(string countyCode, CancellationToken cancellationToken);

    Task<IReadOnlyList<PublishedScorecard>> PublishedAsync(string quarter, CancellationToken cancellationToken);

    /// <summary>Every published scorecard of a county, oldest quarter first (its trend).</summary>
    Task<IReadOnlyList<PublishedScorecard>> CountyHistoryAsync(string countyCode, CancellationToken cancellationToken);

    /// <summary>The latest published scorecard of every county that has one.</summary>
    Task<IReadOnlyList<PublishedScorecard>> LatestOfEachCountyAsync(CancellationToken cancellationToken);

    void AddPublished(PublishedScorecard published);

    Task<ScorecardSubscription?> FindSubscriptionAsync(Guid personId, CancellationToken cancellationToken);

    void AddSubscription(ScorecardSubscription subscription);

    void RemoveSubscription(ScorecardSubscription subscription);

    /// <summary>Every subscriber with their person, and whether they were already sent this quarter.</summary>
    Task<IReadOnlyList<(ScorecardSubscription Subscription, Person Person, bool AlreadySent)>> SubscribersAsync(string quarter, CancellationToken cancellationToken);

    void AddDelivery(ScorecardDelivery delivery);

    void AddOutbox(OutboxMessage message);

    Task SaveAsync(CancellationToken cancellationToken);
}

public sealed record PublishResult(int Counties, int Sent, int Stopped, int AlreadySent);

/// <summary>
/// <c>scorecards publish</c>: freezes a quarter's scorecards (a county already published keeps its words)
/// and sends each subscriber their county's, in their language, through the outbox, once.
/// </summary>
public sealed class ScorecardPublisher(
    IPublicationStore store, ScorecardCalculator calculator, DialogCatalog catalog, PersonalDataProtector protector, TimeProvider clock)
{
    public async Task<PublishResult> PublishAsync(Quarter quarter, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var published = (await store.PublishedAsync(quarter.ToString(), cancellationToken)).ToDictionary(p => p.CountyCode, StringComparer.Ordinal);
        foreach (var county in catalog.Counties.Where(c => !published.ContainsKey(c.Code)))
        {
            var card = await calculator.ComputeAsync(county, quarter, cancellationToken);
            var frozen = new PublishedScorecard
            {
                Quarter = quarter.ToString(), CountyCode = county.Code, Overall = card.Overall, PublishedAt = now,
                SummaryEn = ScorecardText.Summary(card, catalog, Languages.English), SummarySw = ScorecardText.Summary(card, catalog, Languages.Kiswahili),
                FullEn = ScorecardText.Full(card, catalog, Languages.English), FullSw = ScorecardText.Full(card, catalog, Languages.Kiswahili),
                DataJson = System.Text.Json.JsonSerializer.Serialize(ScorecardSnapshot.Of(card)),
            };
            store.AddPublished(frozen);
            published[county.Code] = frozen;
        }

        int sent = 0, stopped = 0, already = 0;
        foreach (var (subscription, person, alreadySent) in await store.SubscribersAsync(quarter.ToString(), cancellationToken))
        {
            var channel = subscription.Channel == Channel.Telegram ? Channel.Telegram : Channel.Sms;
            if (alreadySent) { already++; continue; }
            if (person.IsStopped(channel) || published.GetValueOrDefault(subscription.CountyCode) is not { } card) { stopped++; continue; }
            var language = Languages.OrDefault(person.Language);
            var text = channel == Channel.Telegram ? card.Full(language) : card.Summary(language);
            var to = channel == Channel.Telegram ? person.TelegramChatSealed : person.AddressSealed;
            if (to is null) { stopped++; continue; }
            store.AddOutbox(OutboxMessage.Pending(person.Id, channel, subscription.Provider, to, protector.Seal(text), Text.Gsm7.SmsParts(text), now));
            store.AddDelivery(new ScorecardDelivery { Quarter = quarter.ToString(), PersonId = person.Id, SentAt = now });
            sent++;
        }
        await store.SaveAsync(cancellationToken);
        return new PublishResult(catalog.Counties.Count, sent, stopped, already);
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
            context.Data[$"summary@{language}"] = card.Summary(language);
            context.Data[$"full@{language}"] = card.Full(language);
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
