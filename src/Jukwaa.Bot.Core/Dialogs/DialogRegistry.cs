using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Dialogs;

/// <summary>
/// C# behind the YAML: a step that touches the domain (search counties, submit a report, look up a
/// status). Named from a dialog file; its outcomes name the states that follow.
/// </summary>
public interface IDialogAction
{
    string Name { get; }

    IReadOnlyList<string> Outcomes { get; }

    /// <param name="input">What the person typed, for an action on an input state; null on an action state.</param>
    /// <returns>One of <see cref="Outcomes"/>.</returns>
    Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken);
}

/// <summary>Options computed at run time (categories, counties that matched), each with a stored value and a label.</summary>
public interface IOptionSource
{
    string Name { get; }

    IReadOnlyList<ChoiceOption> Options(DialogContext context);

    /// <summary>The label of a stored value in the person's language, to show it back in a summary.</summary>
    string? Label(DialogContext context, string value);
}

/// <param name="Words">Other names a person may type for it (its label in other languages, other spellings).</param>
/// <summary>
/// A screen whose words and answers come from data rather than the dialog file (a questionnaire's
/// questions). The conversation stays on it until <see cref="HandleAsync"/> returns an outcome.
/// </summary>
public interface IScreenHandler
{
    string Name { get; }

    IReadOnlyList<string> Outcomes { get; }

    /// <summary>The screen for where the person is, from <see cref="DialogContext.Data"/> alone.</summary>
    Reply Render(DialogContext context);

    /// <returns>An outcome to leave the screen, or null to show it again (with <see cref="DialogContext.Notice"/> saying why).</returns>
    Task<string?> HandleAsync(DialogContext context, string input, CancellationToken cancellationToken);
}

public sealed record ChoiceOption(string Value, string Label, IReadOnlyList<string> Words);

/// <summary>Everything one step can see and change. Built per turn; never shared.</summary>
public sealed class DialogContext(
    Person person, Conversation conversation, Dictionary<string, string> data, DateTime now, DialogCatalog catalog, IReportStore reports)
{
    public DialogCatalog Catalog { get; } = catalog;
    /// <summary>Reports, in the same unit of work as the turn: what an action adds is saved with the step.</summary>
    public IReportStore Reports { get; } = reports;
    public Person Person { get; } = person;
    public Conversation Conversation { get; } = conversation;
    public Dictionary<string, string> Data { get; } = data;
    public DateTime Now { get; } = now;
    public string Language => Languages.OrDefault(Person.Language);
    public Channel Channel => Conversation.Channel;
    /// <summary>Questionnaire responses, in the same unit of work as the turn.</summary>
    public Questionnaires.IQuestionnaireStore? Questionnaires { get; init; }

    /// <summary>Published scorecards and subscriptions, in the same unit of work as the turn.</summary>
    public Scorecards.IPublicationStore? Scorecards { get; init; }

    /// <summary>The provider the message came through (<c>twilio</c>, <c>africastalking</c>, <c>telegram</c>), if any.</summary>
    public string? Provider { get; init; }

    /// <summary>Set by the action that stored a report this turn: once the turn is saved, officers' alerts are woken.</summary>
    public bool ReportSubmitted { get; set; }

    /// <summary>A line shown above the next screen (a key of <c>strings.yaml</c>), e.g. why an answer was refused.</summary>
    public string? Notice { get; set; }
    public Dictionary<string, string> NoticeArgs { get; } = [];

    public void Say(string key, params (string Name, string Value)[] args)
    {
        Notice = key;
        NoticeArgs.Clear();
        foreach (var (name, value) in args) NoticeArgs[name] = value;
    }

    /// <summary>Stores a value shown differently per language: <c>{key}</c> then reads the person's language.</summary>
    public void SetLocalized(string key, LocalizedText text)
    {
        foreach (var language in Languages.All) Data[$"{key}@{language}"] = text.Get(language);
    }
}

/// <summary>The actions and option sources that dialogs may name.</summary>
public sealed class DialogRegistry(IEnumerable<IDialogAction> actions, IEnumerable<IOptionSource> sources, IEnumerable<IScreenHandler>? screens = null)
{
    public const string MainDialog = "main";
    public const string LanguageDialog = "language";
    /// <summary>On Telegram, this dialog's screen comes with a "share my phone number" button.</summary>
    public const string LinkDialog = "link";

    private readonly Dictionary<string, IDialogAction> _actions = actions.ToDictionary(a => a.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, IOptionSource> _sources = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, IScreenHandler> _screens = (screens ?? []).ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IEnumerable<string> ActionNames => _actions.Keys.Concat(_screens.Keys).Order(StringComparer.Ordinal);
    public IEnumerable<string> SourceNames => _sources.Keys.Order(StringComparer.Ordinal);

    public IReadOnlyList<string>? Outcomes(string action) =>
        _actions.TryGetValue(action, out var a) ? a.Outcomes : _screens.TryGetValue(action, out var s) ? s.Outcomes : null;

    public bool IsScreen(string name) => _screens.ContainsKey(name);

    public IScreenHandler Screen(string name) => _screens[name];

    public bool HasSource(string name) => _sources.ContainsKey(name);

    public IDialogAction Action(string name) => _actions[name];

    public IOptionSource Source(string name) => _sources[name];
}
