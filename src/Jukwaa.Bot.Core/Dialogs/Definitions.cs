namespace Jukwaa.Bot.Core.Dialogs;

public static class Languages
{
    public const string English = "en";
    public const string Kiswahili = "sw";
    public static readonly IReadOnlyList<string> All = [English, Kiswahili];

    public static string OrDefault(string? language) => language is Kiswahili ? Kiswahili : English;
}

/// <summary>
/// Words a person reads, in every supported language, optionally with a variant for one channel
/// (kept under <c>"sms:en"</c>, <c>"sms:sw"</c>: e.g. to name an SMS keyword where USSD names a menu).
/// </summary>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Texts, int Line)
{
    public string Get(string language) =>
        Texts.TryGetValue(language, out var text) ? text : Texts.GetValueOrDefault(Languages.English, "");

    public string Get(string language, Domain.Channel channel) =>
        Texts.TryGetValue(ChannelKey(channel, language), out var text) ? text : Get(language);

    public static string ChannelKey(Domain.Channel channel, string language) => $"{channel.ToString().ToLowerInvariant()}:{language}";
}

public abstract record StateDefinition(string Name, int Line);

/// <summary>A numbered menu: options from a named source (C#) followed by the inline options.</summary>
public sealed record MenuStateDefinition(
    string Name, int Line, LocalizedText Prompt, string? Source,
    IReadOnlyList<OptionDefinition> Options, string? Save, string? Next) : StateDefinition(Name, Line);

/// <param name="Goto">A state, or <c>dialog:ID</c>; null means the menu's <c>next</c>.</param>
/// <param name="ReturnTo">After the target state is answered, come back here (used by "correct" menus).</param>
public sealed record OptionDefinition(LocalizedText Label, string? Value, string? Goto, string? ReturnTo, int Line);

/// <summary>Free text, length-limited; optionally checked by a named action whose outcome picks the next state.</summary>
public sealed record InputStateDefinition(
    string Name, int Line, LocalizedText Prompt, int MaxLength, string? Save, string? Action,
    string? Next, IReadOnlyDictionary<string, string> On) : StateDefinition(Name, Line);

/// <summary>Runs a named action on entry; its outcome picks the next state.</summary>
public sealed record ActionStateDefinition(
    string Name, int Line, string Action, IReadOnlyDictionary<string, string> On) : StateDefinition(Name, Line);

/// <summary>A screen drawn and answered by C# (a questionnaire), until its outcome picks the next state.</summary>
public sealed record ScreenStateDefinition(
    string Name, int Line, string Handler, IReadOnlyDictionary<string, string> On) : StateDefinition(Name, Line);

/// <summary>The last screen: USSD answers <c>END</c>.</summary>
public sealed record EndStateDefinition(string Name, int Line, LocalizedText Text) : StateDefinition(Name, Line);

public sealed record DialogDefinition(
    string Id, int Version, LocalizedText Title, string Start,
    IReadOnlyDictionary<string, StateDefinition> States, string File)
{
    public const string DialogTargetPrefix = "dialog:";

    public static bool IsDialogTarget(string target, out string dialogId)
    {
        dialogId = target.StartsWith(DialogTargetPrefix, StringComparison.Ordinal) ? target[DialogTargetPrefix.Length..] : "";
        return dialogId.Length > 0;
    }
}

public sealed record County(string Code, string Name, IReadOnlyList<string> Aliases);

/// <summary>
/// A word that works in any state on SMS and Telegram and beats the running dialog (<c>keywords.yaml</c>).
/// It starts <paramref name="Dialog"/>; the rest of the message answers its first question
/// (<paramref name="Answer"/>) or is saved under <paramref name="Save"/>; with no rest,
/// <paramref name="Otherwise"/> starts instead when given.
/// </summary>
/// <param name="Words">Per language, the words (upper case) that mean it.</param>
public sealed record Keyword(string Id, IReadOnlyDictionary<string, IReadOnlyList<string>> Words, string Dialog, bool Answer, string? Save, string? Otherwise, int Line);

/// <summary>
/// A keyword found at the start of a message, the language its word belongs to, and the rest of the
/// message. <paramref name="Command"/> when typed as a Telegram command (<c>/start</c>), which says nothing of a language.
/// </summary>
public sealed record KeywordMatch(Keyword Keyword, string Language, string Rest, bool Command);

/// <summary>A report category (<c>categories.yaml</c>).</summary>
/// <param name="Sensitive">Only officers allowed to see sensitive reports may read it.</param>
/// <param name="Urgent">Officers in its scope are told of a new report at once, not in their daily digest.</param>
public sealed record Category(string Id, LocalizedText Label, bool Sensitive, bool Urgent);

/// <summary>A scorecard indicator (<c>indicators.yaml</c>): official target and achievement per county and quarter.</summary>
public sealed record Indicator(string Id, LocalizedText Name, LocalizedText Unit, bool HigherIsBetter);

public sealed record DefinitionError(string File, int Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

public sealed class DefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception("Invalid dialog definitions:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
