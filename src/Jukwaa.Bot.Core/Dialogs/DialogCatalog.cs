using System.Text;
using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Text;

namespace Jukwaa.Bot.Core.Dialogs;

/// <summary>Everything loaded from <c>dialogs/</c>: dialogs (every version), shared strings, counties, categories.</summary>
public sealed partial class DialogCatalog
{
    private readonly Dictionary<string, SortedList<int, DialogDefinition>> _dialogs;

    public DialogCatalog(
        IEnumerable<DialogDefinition> dialogs, IReadOnlyDictionary<string, LocalizedText> strings,
        IReadOnlyList<County> counties, IReadOnlyList<Category> categories, IReadOnlyList<Keyword> keywords)
    {
        Keywords = keywords;
        _dialogs = dialogs.GroupBy(d => d.Id).ToDictionary(
            g => g.Key, g => new SortedList<int, DialogDefinition>(g.ToDictionary(d => d.Version)));
        Strings = strings;
        Counties = counties;
        Categories = categories;
    }

    public IReadOnlyDictionary<string, LocalizedText> Strings { get; }
    public IReadOnlyList<County> Counties { get; }
    public IReadOnlyList<Category> Categories { get; }
    public IReadOnlyList<Keyword> Keywords { get; }

    /// <summary>The scorecard indicators of <c>indicators.yaml</c>.</summary>
    public IReadOnlyList<Indicator> Indicators { get; init; } = [];

    public Indicator? Indicator(string id) => Indicators.FirstOrDefault(i => i.Id == id);

    /// <summary>Every version of every questionnaire in <c>dialogs/questionnaires/</c>.</summary>
    public IReadOnlyList<Questionnaires.QuestionnaireDefinition> Questionnaires { get; init; } = [];

    /// <summary>The newest version of each questionnaire open on that day.</summary>
    public IReadOnlyList<Questionnaires.QuestionnaireDefinition> OpenQuestionnaires(DateTime now) =>
        [.. Questionnaires.GroupBy(q => q.Id).Select(g => g.MaxBy(q => q.Version)!).Where(q => q.IsOpen(now)).OrderBy(q => q.Id, StringComparer.Ordinal)];

    public Questionnaires.QuestionnaireDefinition? Questionnaire(string id, int? version = null) =>
        version is { } v ? Questionnaires.FirstOrDefault(q => q.Id == id && q.Version == v)
            : Questionnaires.Where(q => q.Id == id).MaxBy(q => q.Version);

    /// <summary>The keyword a message starts with (any case, accents ignored), if any.</summary>
    public KeywordMatch? MatchKeyword(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\n', '\t']);
        var first = Fold(space < 0 ? trimmed : trimmed[..space]);
        if (first.Length == 0) return null;
        foreach (var keyword in Keywords)
        {
            foreach (var (language, words) in keyword.Words)
            {
                if (words.Any(w => Fold(w) == first))
                {
                    return new KeywordMatch(keyword, language, space < 0 ? "" : trimmed[(space + 1)..].Trim(), trimmed.StartsWith('/'));
                }
            }
        }
        return null;
    }
    public IEnumerable<DialogDefinition> CurrentDialogs => _dialogs.Values.Select(v => v.Values[^1]);
    public IEnumerable<DialogDefinition> AllDialogs => _dialogs.Values.SelectMany(v => v.Values);

    public bool HasDialog(string id) => _dialogs.ContainsKey(id);

    /// <summary>The newest version: what a new session starts on.</summary>
    public DialogDefinition Current(string id) =>
        _dialogs.TryGetValue(id, out var versions) ? versions.Values[^1] : throw new KeyNotFoundException($"No dialog '{id}'.");

    /// <summary>The exact version a session started on, if it is still deployed.</summary>
    public DialogDefinition? Find(string id, int version) =>
        _dialogs.TryGetValue(id, out var versions) && versions.TryGetValue(version, out var d) ? d : null;

    public County? County(string code) => Counties.FirstOrDefault(c => c.Code == code);

    public Category? Category(string id) => Categories.FirstOrDefault(c => c.Id == id);

    /// <summary>A shared string from <c>strings.yaml</c> with its <c>{placeholders}</c> filled.</summary>
    public string Text(string key, string language, IReadOnlyDictionary<string, string>? args = null) =>
        Strings.TryGetValue(key, out var text) ? Fill(text.Get(language), name => args?.GetValueOrDefault(name)) : key;

    /// <summary>
    /// Replaces <c>{name}</c> and <c>{name:N}</c> (cut to N characters) with values; what a person typed
    /// is made GSM-7 safe. Unknown names become empty.
    /// </summary>
    public static string Fill(string template, Func<string, string?> lookup) =>
        Placeholder().Replace(template, match =>
        {
            var value = Gsm7.Sanitize(lookup(match.Groups["name"].Value) ?? "");
            if (match.Groups["max"].Success && int.TryParse(match.Groups["max"].Value, out var max) && value.Length > max)
            {
                value = string.Concat(value.AsSpan(0, Math.Max(0, max - 2)).TrimEnd(), "..");
            }
            return value;
        });

    public static IEnumerable<string> PlaceholderNames(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["name"].Value);

    [GeneratedRegex(@"\{(?<name>[a-z_][a-z0-9_]*)(?::(?<max>\d+))?\}")]
    private static partial Regex Placeholder();

    /// <summary>Normalises a name for matching: lower case letters and digits only ("Murang'a" → "muranga").</summary>
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}

/// <summary>Keys of <c>strings.yaml</c> that the engine itself shows; the loader refuses a catalog that lacks one.</summary>
public static class CommonText
{
    public const string More = "page.more";
    public const string Back = "page.back";
    public const string InvalidChoice = "menu.invalid";
    public const string EmptyInput = "input.empty";
    public const string TooLong = "input.too_long";
    public const string Restarted = "session.restarted";
    public const string ResumePrompt = "resume.prompt";
    public const string ResumeContinue = "resume.continue";
    public const string ResumeRestart = "resume.restart";
    public const string VersionGone = "session.version_gone";
    public const string Expired = "session.expired";
    public const string Throttled = "sender.throttled";
    public const string StaleButton = "menu.stale";

    public static readonly IReadOnlyList<string> Required =
        [More, Back, InvalidChoice, EmptyInput, TooLong, Restarted, ResumePrompt, ResumeContinue, ResumeRestart, VersionGone, Expired, Throttled, StaleButton];
}
