using System.Text.Json;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Text;

namespace Jukwaa.Bot.Core.Conversations;

/// <summary>A message as every channel hands it over, after authenticity and parsing.</summary>
/// <param name="Address">The sender: an E.164 phone number on USSD and SMS.</param>
/// <param name="ProviderMessageId">The provider's id for the message (prefixed by provider), the durable dedupe key.</param>
/// <param name="ProviderSessionId">The provider's session (USSD), if the channel has sessions.</param>
/// <param name="CumulativeText">True on USSD, where <paramref name="Text"/> is everything typed this session.</param>
/// <param name="Provider">Who carried it (<c>twilio</c>, <c>africastalking</c>, <c>telegram</c>): replies leave the same way.</param>
/// <param name="CallbackQueryId">A pressed Telegram button, which must be answered.</param>
/// <param name="SharedPhone">A phone number the person shared (Telegram contact), in E.164.</param>
/// <param name="SharedPhoneIsOwn">Whether the shared contact is the sender's own.</param>
public sealed record InboundMessage(
    Channel Channel, string Address, string Text, string? ProviderMessageId, string? ProviderSessionId, bool CumulativeText,
    string? Provider = null, string? CallbackQueryId = null, string? SharedPhone = null, bool SharedPhoneIsOwn = false);

/// <summary>One screen for the channel to show, and whether the conversation ends with it.</summary>
public sealed record Screen(string Text, bool Ends);

public sealed record ConversationOptions
{
    /// <summary>A dropped USSD session can be continued from a new one within this window.</summary>
    public TimeSpan ResumeWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An SMS conversation quiet for longer starts afresh, with a note.</summary>
    public TimeSpan SmsIdleTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Messages one sender may send per <see cref="ThrottleWindow"/> before they are stored unanswered.</summary>
    public int ThrottleLimit { get; init; } = 20;

    public TimeSpan ThrottleWindow { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Message in, screen out: finds the person and their session, applies what works everywhere
/// (<c>00</c> main menu, <c>98</c>/<c>0</c> paging, resume on USSD, keywords on SMS), steps the
/// dialog, and saves the turn (session, messages, domain changes, outbound reply) in one transaction.
/// </summary>
public sealed class ConversationService(
    IConversationStore store, IReportStore reports, Questionnaires.IQuestionnaireStore questionnaires, Scorecards.IPublicationStore scorecards,
    PersonDirectory people,
    DialogEngine engine, PersonalDataProtector protector,
    TimeProvider clock, ConversationOptions options, SenderThrottle throttle, OutboxSignal outbox, Officers.AlertSignal alerts)
{
    public const string MainMenuKey = "00";
    private const string ResumeState = "_resume";
    private const string ResumeFromKey = "_resume_from";
    private const string ContinueKey = "1";
    private const string RestartKey = "2";
    private const int MaxAttempts = 3;

    private DialogCatalog Catalog => engine.Catalog;

    /// <summary>
    /// Handles one inbound message. Returns the screen to show (USSD shows it in its HTTP answer; other
    /// channels have it queued already), or null when nothing is to be shown: a duplicate delivery, or a
    /// message from someone who is stopped or throttled.
    /// </summary>
    public async Task<Screen?> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await HandleOnceAsync(message, cancellationToken);
            }
            catch (ConcurrentStepException) when (attempt < MaxAttempts)
            {
                // Another delivery of this step won; reloading finds its result.
                store.Reset();
            }
        }
    }

    private async Task<Screen?> HandleOnceAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (message.ProviderMessageId is { } messageId && await store.InboundSeenAsync(messageId, cancellationToken))
        {
            return null;
        }
        var person = message.Channel == Channel.Telegram
            ? await people.FindOrAddByTelegramAsync(message.Address, now, cancellationToken)
            : await people.FindOrAddByPhoneAsync(message.Address, now, cancellationToken);
        var sessionKey = message.ProviderSessionId ?? $"person:{person.Id}";
        var conversation = await store.FindConversationAsync(message.Channel, sessionKey, cancellationToken);
        if (conversation is null)
        {
            conversation = NewConversation(person, message.Channel, sessionKey, now);
            store.AddConversation(conversation);
        }
        // Nothing shown yet: a new session, or one whose first messages were throttled.
        var isNew = conversation.DialogId.Length == 0;

        if (message.Channel != Channel.Ussd && throttle.Check(person.AddressHash) is var verdict && verdict != SenderThrottle.Verdict.Allowed)
        {
            Log(conversation, message, Direction.Inbound, message.Text, now);
            if (verdict == SenderThrottle.Verdict.Warn)
            {
                var warning = Catalog.Text(CommonText.Throttled, Languages.OrDefault(person.Language));
                Queue(conversation, person, message, warning, now, reply: null);
            }
            await store.SaveAsync(cancellationToken);
            if (verdict == SenderThrottle.Verdict.Warn) outbox.Notify();
            return null;
        }

        if (message.CallbackQueryId is { } callback) QueueCallbackAnswer(person, message, callback, now);
        if (message.SharedPhone is not null)
        {
            return await LinkTelegramAsync(person, conversation, message, now, cancellationToken);
        }

        var wasStopped = person.IsStopped(message.Channel);
        DialogContext context;
        Reply reply;
        string typed = message.Text;
        if (isNew)
        {
            context = new DialogContext(person, conversation, [], now, Catalog, reports) { Provider = message.Provider, Questionnaires = questionnaires, Scorecards = scorecards };
            reply = message.CumulativeText
                ? await OpenUssdAsync(context, message, cancellationToken)
                : await OpenTextAsync(context, message.Text, cancellationToken);
        }
        else
        {
            string? input = message.Text;
            if (message.CumulativeText)
            {
                var lastText = protector.Unseal(conversation.LastInputSealed);
                if (message.Text == lastText && conversation.LastReplySealed.Length > 0) return Replay(conversation);
                input = CumulativeInput.Added(lastText, message.Text);
                typed = input ?? message.Text;
            }
            var data = Answers(conversation);
            context = new DialogContext(person, conversation, data, now, Catalog, reports) { Provider = message.Provider, Questionnaires = questionnaires, Scorecards = scorecards };
            var stale = false;
            if (message.CallbackQueryId is not null && ButtonPress.Parse(message.Text) is var (step, key))
            {
                // A button says which screen it was on: one pressed on an older screen must not answer this one.
                stale = step != conversation.Steps;
                input = key;
            }
            if (stale)
            {
                context.Say(CommonText.StaleButton);
                reply = conversation.Ended ? await engine.StartAsync(context, FirstDialog(person), cancellationToken) : Current(context);
            }
            else if (input is null)
            {
                // The gateway's text no longer extends ours: it or we restarted. Start over, politely.
                context.Say(CommonText.Restarted);
                reply = await engine.StartAsync(context, FirstDialog(person), cancellationToken);
            }
            else if (!message.CumulativeText && !conversation.Ended && now - conversation.UpdatedAt > options.SmsIdleTimeout)
            {
                context.Say(CommonText.Expired);
                reply = await OpenTextAsync(context, input, cancellationToken);
            }
            else if (!message.CumulativeText && Catalog.MatchKeyword(input) is { } keyword)
            {
                reply = await KeywordAsync(context, keyword, cancellationToken);
            }
            else
            {
                reply = await StepAsync(context, input.Trim(), cancellationToken);
            }
        }

        var screen = Lay(context, reply);
        conversation.Ended = reply.Ends;
        conversation.LastInputSealed = protector.Seal(message.Text);
        conversation.LastReplySealed = protector.Seal((reply.Ends ? "E" : "C") + screen);
        conversation.DataSealed = protector.Seal(JsonSerializer.Serialize(context.Data));
        conversation.UpdatedAt = now;
        conversation.Steps++;
        conversation.Version++;
        Log(conversation, message, Direction.Inbound, typed, now);
        Log(conversation, message, Direction.Outbound, screen, now);

        // STOP is confirmed once; after that nothing is sent until START.
        var silent = wasStopped && person.IsStopped(message.Channel);
        var queued = message.Channel != Channel.Ussd && !silent;
        if (queued) Queue(conversation, person, message, screen, now, reply);
        await store.SaveAsync(cancellationToken);
        if (queued || message.CallbackQueryId is not null) outbox.Notify();
        if (context.ReportSubmitted) alerts.Notify();     // urgent reports reach officers now, not at the next poll
        return silent ? null : new Screen(screen, reply.Ends);
    }

    private static Conversation NewConversation(Person person, Channel channel, string sessionKey, DateTime now) => new()
    {
        PersonId = person.Id,
        Channel = channel,
        ProviderSessionId = sessionKey,
        StartedAt = now,
    };

    /// <summary>
    /// A Telegram user shared their phone number: from now on they are the person known by that number
    /// on SMS and USSD (their language and reports), reached on Telegram too.
    /// </summary>
    private async Task<Screen?> LinkTelegramAsync(Person person, Conversation conversation, InboundMessage message, DateTime now, CancellationToken cancellationToken)
    {
        Person owner = person;
        string text;
        if (message.SharedPhone is not { } phone || !message.SharedPhoneIsOwn)
        {
            text = Catalog.Text("telegram.not_yours", Languages.OrDefault(person.Language));
        }
        else
        {
            var phoneHash = people.PhoneHash(phone);
            var known = await store.FindPersonAsync(phoneHash, cancellationToken);
            if (known is null)
            {
                person.AddressHash = phoneHash;
                person.AddressSealed = protector.Seal(phone);
            }
            else if (known.Id != person.Id)
            {
                known.TelegramHash = person.TelegramHash;
                known.TelegramChatSealed = person.TelegramChatSealed;
                known.TelegramStoppedAt = null;
                known.Language ??= person.Language;
                person.TelegramHash = null;
                owner = known;
            }
            text = Catalog.Text("telegram.linked", Languages.OrDefault(owner.Language), new Dictionary<string, string> { ["phone"] = PhoneNumber.Mask(phone) });
        }
        conversation.Ended = true;
        conversation.UpdatedAt = now;
        conversation.Version++;
        Log(conversation, message, Direction.Inbound, "[contact]", now);
        Log(conversation, message, Direction.Outbound, text, now);
        Queue(conversation, owner, message, text, now, reply: null);
        await store.SaveAsync(cancellationToken);
        outbox.Notify();
        return new Screen(text, Ends: true);
    }

    /// <summary>The first screen of a new USSD session: an offer to resume a dropped one, or the first dialog.</summary>
    private async Task<Reply> OpenUssdAsync(DialogContext context, InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Text.Length > 0)
        {
            // A session we never saw that already has input: we lost its start (e.g. the database was reset).
            context.Say(CommonText.Restarted);
        }
        else if (context.Person.Language is not null)
        {
            var since = context.Now - options.ResumeWindow;
            var dropped = await store.FindResumableAsync(context.Person.Id, message.Channel, since, context.Conversation.Id, cancellationToken);
            if (dropped is not null && Catalog.Find(dropped.DialogId, dropped.DialogVersion) is not null)
            {
                context.Conversation.DialogId = dropped.DialogId;
                context.Conversation.DialogVersion = dropped.DialogVersion;
                context.Conversation.State = ResumeState;
                context.Data[ResumeFromKey] = dropped.Id.ToString();
                return ResumeOffer(context);
            }
        }
        return await engine.StartAsync(context, FirstDialog(context.Person), cancellationToken);
    }

    /// <summary>A text channel's first message, or the first after the conversation ended: a keyword, or the first dialog.</summary>
    private async Task<Reply> OpenTextAsync(DialogContext context, string text, CancellationToken cancellationToken) =>
        Catalog.MatchKeyword(text) is { } keyword
            ? await KeywordAsync(context, keyword, cancellationToken)
            : await engine.StartAsync(context, FirstDialog(context.Person), cancellationToken);

    /// <summary>A keyword beats the running dialog. Its word also tells the language of someone who has not chosen one.</summary>
    private async Task<Reply> KeywordAsync(DialogContext context, KeywordMatch match, CancellationToken cancellationToken)
    {
        if (!match.Command) context.Person.Language ??= match.Language;
        var keyword = match.Keyword;
        if (match.Rest.Length == 0 && keyword.Otherwise is { } otherwise)
        {
            return await engine.StartAsync(context, otherwise, cancellationToken);
        }
        var answers = keyword.Save is { } save && match.Rest.Length > 0 ? new Dictionary<string, string> { [save] = match.Rest } : null;
        var reply = await engine.StartAsync(context, keyword.Dialog, cancellationToken, answers);
        return keyword.Answer && match.Rest.Length > 0 ? await engine.StepAsync(context, match.Rest, cancellationToken) : reply;
    }

    private async Task<Reply> StepAsync(DialogContext context, string input, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;
        if (conversation.Ended || input == MainMenuKey)
        {
            return await engine.StartAsync(context, FirstDialog(context.Person), cancellationToken);
        }

        if (input is ScreenPager.MoreKey or ScreenPager.BackKey && PageCount(context) > 1)
        {
            var last = PageCount(context) - 1;
            conversation.Page = Math.Clamp(conversation.Page + (input == ScreenPager.MoreKey ? 1 : -1), 0, last);
            return Current(context);
        }

        if (conversation.State == ResumeState)
        {
            return input switch
            {
                ContinueKey => await ContinueDroppedAsync(context, cancellationToken),
                RestartKey => await engine.StartAsync(context, DialogRegistry.MainDialog, cancellationToken),
                _ => Refuse(context, 2),
            };
        }

        return await engine.StepAsync(context, input, cancellationToken);
    }

    private async Task<Reply> ContinueDroppedAsync(DialogContext context, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;
        var dropped = Guid.TryParse(context.Data.GetValueOrDefault(ResumeFromKey), out var id)
            ? await store.FindConversationAsync(id, cancellationToken)
            : null;
        if (dropped is null || dropped.ResumedById is not null)
        {
            return await engine.StartAsync(context, DialogRegistry.MainDialog, cancellationToken);
        }
        dropped.ResumedById = conversation.Id;
        conversation.DialogId = dropped.DialogId;
        conversation.DialogVersion = dropped.DialogVersion;
        conversation.State = dropped.State;
        conversation.Page = 0;
        context.Data.Clear();
        var answers = Answers(dropped);
        foreach (var (key, value) in answers) context.Data[key] = value;
        return engine.Render(context);
    }

    private Reply Refuse(DialogContext context, int count)
    {
        context.Say(CommonText.InvalidChoice, ("count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Current(context);
    }

    private Reply Current(DialogContext context) =>
        context.Conversation.State == ResumeState ? ResumeOffer(context) : engine.Render(context);

    private Reply ResumeOffer(DialogContext context)
    {
        var language = context.Language;
        var title = Catalog.Current(context.Conversation.DialogId).Title.Get(language);
        var notice = context.Notice is null ? "" : Catalog.Text(context.Notice, language, context.NoticeArgs) + "\n";
        return new Reply(
            notice + Catalog.Text(CommonText.ResumePrompt, language, new Dictionary<string, string> { ["dialog"] = title }),
            [new(ContinueKey, Catalog.Text(CommonText.ResumeContinue, language)), new(RestartKey, Catalog.Text(CommonText.ResumeRestart, language))],
            false);
    }

    private static string FirstDialog(Person person) =>
        person.Language is null ? DialogRegistry.LanguageDialog : DialogRegistry.MainDialog;

    private int PageCount(DialogContext context) => Pages(context, Current(context)).Count;

    private IReadOnlyList<string> Pages(DialogContext context, Reply reply) =>
        ScreenPager.Pages(reply, ScreenPager.MaxLength(context.Channel),
            Catalog.Text(CommonText.More, context.Language), Catalog.Text(CommonText.Back, context.Language));

    private string Lay(DialogContext context, Reply reply)
    {
        var pages = Pages(context, reply);
        context.Conversation.Page = Math.Clamp(context.Conversation.Page, 0, pages.Count - 1);
        return pages[context.Conversation.Page];
    }

    /// <summary>The answers a conversation holds; none once retention or erasure has blanked them.</summary>
    private Dictionary<string, string> Answers(Conversation conversation) =>
        protector.Unseal(conversation.DataSealed) is { Length: > 0 } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];

    /// <summary>A duplicate delivery of the USSD step just taken gets the same screen again, and changes nothing.</summary>
    private Screen Replay(Conversation conversation)
    {
        var last = protector.Unseal(conversation.LastReplySealed);
        return new Screen(last[1..], last[0] == 'E');
    }

    /// <summary>
    /// Writes the reply to the outbox, in this turn's transaction; the dispatcher sends it. On Telegram
    /// the options travel as buttons rather than numbered lines, and LINK asks for the phone number.
    /// </summary>
    private void Queue(Conversation conversation, Person person, InboundMessage message, string screen, DateTime now, Reply? reply)
    {
        var telegram = message.Channel == Channel.Telegram;
        var body = telegram && reply is not null ? reply.Text : screen;
        var askPhone = telegram && conversation.DialogId == DialogRegistry.LinkDialog && reply is not null;
        IReadOnlyList<ReplyOption>? buttons = askPhone
            ? [new ReplyOption("share", Catalog.Text("telegram.share_phone", Languages.OrDefault(person.Language)))]
            : telegram && reply is { Ends: false, Options.Count: > 0 } ? [.. reply.Options.Select(o => o with { Key = ButtonPress.Data(conversation.Steps, o.Key) })] : null;
        store.AddOutbox(OutboxMessage.Pending(
            person.Id, message.Channel, message.Provider ?? LocalSmsSender.Name,
            telegram ? person.TelegramChatSealed ?? protector.Seal(message.Address) : person.AddressSealed,
            protector.Seal(body), telegram ? 1 : Gsm7.SmsParts(body), now,
            askPhone ? OutboxKind.ContactRequest : OutboxKind.Message, buttons is null ? null : JsonSerializer.Serialize(buttons), conversation.Id));
    }

    /// <summary>Every pressed button is answered, or it keeps spinning on the person's screen.</summary>
    private void QueueCallbackAnswer(Person person, InboundMessage message, string callbackQueryId, DateTime now) =>
        store.AddOutbox(OutboxMessage.Pending(
            person.Id, message.Channel, message.Provider ?? LocalSmsSender.Name, protector.Seal(callbackQueryId), protector.Seal(""), 0, now,
            OutboxKind.CallbackAnswer));

    private void Log(Conversation conversation, InboundMessage message, Direction direction, string body, DateTime now) =>
        store.AddMessage(new MessageRecord
        {
            ConversationId = conversation.Id,
            PersonId = conversation.PersonId,
            Channel = message.Channel,
            Direction = direction,
            At = now,
            ProviderMessageId = direction == Direction.Inbound ? message.ProviderMessageId : null,
            BodySealed = protector.Seal(body),
        });
}

/// <summary>
/// Telegram button data: the screen it belongs to (the conversation's step count) and the option's key,
/// e.g. <c>12:1</c>, well under Telegram's 64 bytes.
/// </summary>
public static class ButtonPress
{
    public static string Data(int step, string key) => $"{step.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{key}";

    public static (int Step, string Key)? Parse(string data)
    {
        var colon = data.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(data.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var step)
            ? (step, data[(colon + 1)..])
            : null;
    }
}

/// <summary>USSD gateways resend everything typed in the session, joined with '*'.</summary>
public static class CumulativeInput
{
    /// <summary>
    /// What <paramref name="current"/> adds to <paramref name="previous"/> (after the one separating '*'),
    /// or null when it does not extend it. Never splits on '*': free text may contain it.
    /// </summary>
    public static string? Added(string previous, string current)
    {
        if (previous.Length == 0) return current;
        if (current.Length > previous.Length && current.StartsWith(previous, StringComparison.Ordinal) && current[previous.Length] == '*')
        {
            return current[(previous.Length + 1)..];
        }
        return null;
    }
}
