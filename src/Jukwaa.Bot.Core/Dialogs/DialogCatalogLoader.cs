using Jukwaa.Bot.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Jukwaa.Bot.Core.Dialogs;

/// <summary>
/// Reads <c>dialogs/</c> and checks every definition, collecting each error with its file and line.
/// The format is documented in <c>dialogs/README.md</c>.
/// </summary>
public sealed class DialogCatalogLoader(DialogRegistry registry)
{
    public const string StringsFile = "strings.yaml";
    public const string CountiesFile = "counties.yaml";
    public const string CategoriesFile = "categories.yaml";
    public const string KeywordsFile = "keywords.yaml";
    public const string IndicatorsFile = "indicators.yaml";
    public const string QuestionnairesFolder = "questionnaires";
    private static readonly string[] s_questionnaireStrings =
        ["questionnaire.yes", "questionnaire.no", "questionnaire.rating1", "questionnaire.rating2", "questionnaire.rating3", "questionnaire.rating4", "questionnaire.rating5"];

    private static IEnumerable<string> QuestionnaireStrings => s_questionnaireStrings;
    private const int MaxInputLength = 500;

    private readonly List<DefinitionError> _errors = [];
    private string _file = "";

    /// <summary>Loads and validates; throws <see cref="DefinitionException"/> listing every problem.</summary>
    public DialogCatalog LoadOrThrow(string directory)
    {
        var (catalog, errors) = Load(directory);
        return errors.Count == 0 && catalog is not null ? catalog : throw new DefinitionException(errors);
    }

    public (DialogCatalog? Catalog, IReadOnlyList<DefinitionError> Errors) Load(string directory)
    {
        _errors.Clear();
        if (!Directory.Exists(directory))
        {
            return (null, [new DefinitionError(directory, 0, "the dialogs folder does not exist")]);
        }

        var strings = LoadStrings(Path.Combine(directory, StringsFile));
        var counties = LoadCounties(Path.Combine(directory, CountiesFile));
        var categories = LoadCategories(Path.Combine(directory, CategoriesFile));
        var keywords = LoadKeywords(Path.Combine(directory, KeywordsFile));
        var indicators = LoadIndicators(Path.Combine(directory, IndicatorsFile));
        var dialogs = new List<DialogDefinition>();
        var special = new[] { StringsFile, CountiesFile, CategoriesFile, KeywordsFile, IndicatorsFile };
        foreach (var path in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            if (special.Contains(Path.GetFileName(path))) continue;
            if (ReadDialog(path) is { } dialog) dialogs.Add(dialog);
        }

        foreach (var duplicate in dialogs.GroupBy(d => (d.Id, d.Version)).Where(g => g.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            Error(second.File, 1, $"dialog '{duplicate.Key.Id}' version {duplicate.Key.Version} is defined twice");
        }
        foreach (var dialog in dialogs) CheckDialog(dialog, dialogs);
        CheckKeywords(keywords, dialogs, Path.Combine(directory, KeywordsFile));
        foreach (var key in CommonText.Required.Where(k => !strings.ContainsKey(k)))
        {
            Error(Path.Combine(directory, StringsFile), 1, $"the engine needs the string '{key}', which is missing");
        }
        if (!dialogs.Any(d => d.Id == DialogRegistry.MainDialog))
        {
            Error(directory, 0, $"no dialog has the id '{DialogRegistry.MainDialog}' (the main menu)");
        }
        if (!dialogs.Any(d => d.Id == DialogRegistry.LanguageDialog))
        {
            Error(directory, 0, $"no dialog has the id '{DialogRegistry.LanguageDialog}' (first-time callers choose a language)");
        }

        var questionnaires = LoadQuestionnaires(Path.Combine(directory, QuestionnairesFolder));
        foreach (var key in QuestionnaireStrings.Where(k => !strings.ContainsKey(k)))
        {
            Error(Path.Combine(directory, StringsFile), 1, $"questionnaires need the string '{key}', which is missing");
        }

        var errors = _errors.ToList();
        return errors.Count == 0
            ? (new DialogCatalog(dialogs, strings, counties, categories, keywords) { Questionnaires = questionnaires, Indicators = indicators }, errors)
            : (null, errors);
    }

    /// <summary>
    /// Reads and checks one questionnaire file with the same rules as <see cref="Load"/> (the XLSForm
    /// import validates what it wrote this way); problems across files (a duplicate version) are not seen here.
    /// </summary>
    public (Questionnaires.QuestionnaireDefinition? Questionnaire, IReadOnlyList<DefinitionError> Errors) LoadQuestionnaire(string path)
    {
        _errors.Clear();
        var questionnaire = ReadQuestionnaire(path);
        var errors = _errors.ToList();
        return (errors.Count == 0 ? questionnaire : null, errors);
    }

    private YamlMappingNode? ReadRoot(string path)
    {
        _file = path;
        if (!File.Exists(path))
        {
            Error(path, 0, "file is missing");
            return null;
        }
        using var reader = new StreamReader(path);
        var parser = new LineTrackingParser(new Parser(reader));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            if (stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root) return root;
            Error(path, 1, "expected one YAML document whose top level is a mapping");
        }
        catch (YamlException ex)
        {
            Error(path, (int)ex.Start.Line, "not valid YAML: " + (ex.InnerException?.Message ?? ex.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner sometimes fails this way on malformed input; the last token read says where.
            Error(path, parser.Line, "not valid YAML near this line");
        }
        return null;
    }

    private Dictionary<string, LocalizedText> LoadStrings(string path)
    {
        var result = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        if (ReadRoot(path) is not { } root) return result;
        foreach (var (key, value) in root.Children)
        {
            if (Text(value, $"string '{Scalar(key)}'") is { } text) result[Scalar(key) ?? ""] = text;
        }
        return result;
    }

    private List<County> LoadCounties(string path)
    {
        var result = new List<County>();
        if (ReadRoot(path) is not { } root) return result;
        if (Get(root, "counties") is not YamlSequenceNode list)
        {
            Error(root, "expected a 'counties' list");
            return result;
        }
        foreach (var node in list.Children.OfType<YamlMappingNode>())
        {
            var code = Required(node, "code");
            var name = Required(node, "name");
            if (code is null || name is null) continue;
            if (code.Length != 3 || !code.All(char.IsAsciiDigit)) Error(node, $"county code '{code}' must be three digits, like 047");
            if (!Gsm7.IsGsm7(name)) Error(node, $"county name '{name}' has characters outside GSM-7");
            if (result.Any(c => c.Code == code)) Error(node, $"county code {code} is used twice");
            if (result.Any(c => DialogCatalog.Fold(c.Name) == DialogCatalog.Fold(name))) Error(node, $"county '{name}' is listed twice");
            var aliases = Get(node, "aliases") is YamlSequenceNode a ? a.Children.Select(Scalar).OfType<string>().ToList() : [];
            result.Add(new County(code, name, aliases));
        }
        if (result.Count != 47) Error(list, $"Kenya has 47 counties; found {result.Count}");
        return result;
    }

    private List<Category> LoadCategories(string path)
    {
        var result = new List<Category>();
        if (ReadRoot(path) is not { } root) return result;
        if (Get(root, "categories") is not YamlSequenceNode list)
        {
            Error(root, "expected a 'categories' list");
            return result;
        }
        foreach (var node in list.Children.OfType<YamlMappingNode>())
        {
            var id = Required(node, "id");
            var label = Text(Get(node, "label"), "label");
            if (id is null || label is null) continue;
            if (result.Any(c => c.Id == id)) Error(node, $"category '{id}' is listed twice");
            result.Add(new Category(id, label, Flag(node, "sensitive", $"category '{id}'"), Flag(node, "urgent", $"category '{id}'")));
        }
        if (result.Count == 0) Error(list, "no categories");
        return result;
    }

    private List<Indicator> LoadIndicators(string path)
    {
        var result = new List<Indicator>();
        if (ReadRoot(path) is not { } root) return result;
        if (Get(root, "indicators") is not YamlSequenceNode list)
        {
            Error(root, "expected an 'indicators' list");
            return result;
        }
        foreach (var node in list.Children.OfType<YamlMappingNode>())
        {
            var id = Required(node, "id");
            var name = Text(Get(node, "name"), $"name of indicator '{id}'");
            var unit = Text(Get(node, "unit"), $"unit of indicator '{id}'");
            var higher = Scalar(Get(node, "higher_is_better"));
            if (higher is not ("true" or "false")) Error(node, $"indicator '{id}' needs 'higher_is_better: true' or 'false'");
            if (id is null || name is null || unit is null) continue;
            if (result.Any(i => i.Id == id)) Error(node, $"indicator '{id}' is listed twice");
            result.Add(new Indicator(id, name, unit, higher == "true"));
        }
        return result;
    }

    private List<Keyword> LoadKeywords(string path)
    {
        var result = new List<Keyword>();
        if (ReadRoot(path) is not { } root) return result;
        if (Get(root, "keywords") is not YamlSequenceNode list)
        {
            Error(root, "expected a 'keywords' list");
            return result;
        }
        foreach (var node in list.Children.OfType<YamlMappingNode>())
        {
            var id = Required(node, "id");
            var dialog = Required(node, "dialog");
            if (id is null || dialog is null) continue;
            var words = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (Get(node, "words") is YamlMappingNode byLanguage)
            {
                foreach (var (k, v) in byLanguage.Children)
                {
                    var language = Scalar(k) ?? "";
                    if (!Languages.All.Contains(language)) Error(k, $"keyword '{id}': unknown language '{language}'");
                    else if (v is YamlSequenceNode seq && seq.Children.Count > 0) words[language] = [.. seq.Children.Select(Scalar).OfType<string>()];
                    else Error(v, $"keyword '{id}': '{language}' needs a list of words");
                }
            }
            foreach (var missing in Languages.All.Where(l => !words.ContainsKey(l)))
            {
                Error(node, $"keyword '{id}' has no '{missing}' words");
            }
            var answer = Scalar(Get(node, "answer")) is "true";
            var save = Scalar(Get(node, "save"));
            if (answer && save is not null) Error(node, $"keyword '{id}' may have 'answer' or 'save', not both");
            result.Add(new Keyword(id, words, dialog, answer, save, Scalar(Get(node, "otherwise")), Line(node)));
        }
        return result;
    }

    private List<Questionnaires.QuestionnaireDefinition> LoadQuestionnaires(string folder)
    {
        var result = new List<Questionnaires.QuestionnaireDefinition>();
        if (!Directory.Exists(folder)) return result;
        foreach (var path in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            if (ReadQuestionnaire(path) is { } questionnaire) result.Add(questionnaire);
        }
        foreach (var duplicate in result.GroupBy(q => (q.Id, q.Version)).Where(g => g.Count() > 1))
        {
            Error(duplicate.Skip(1).First().File, 1, $"questionnaire '{duplicate.Key.Id}' version {duplicate.Key.Version} is defined twice");
        }
        return result;
    }

    private Questionnaires.QuestionnaireDefinition? ReadQuestionnaire(string path)
    {
        if (ReadRoot(path) is not { } root) return null;
        var id = Required(root, "id");
        var versionText = Required(root, "version");
        var title = Text(Get(root, "title"), "title");
        var opensText = Required(root, "opens");
        var closesText = Required(root, "closes");
        if (id is null || versionText is null || title is null || opensText is null || closesText is null) return null;
        if (!int.TryParse(versionText, out var version) || version < 1) Error(Get(root, "version"), "version must be a whole number from 1");
        if (!DateOnly.TryParseExact(opensText, "yyyy-MM-dd", out var opens)) Error(Get(root, "opens"), "opens must be a date like 2026-01-31");
        if (!DateOnly.TryParseExact(closesText, "yyyy-MM-dd", out var closes)) Error(Get(root, "closes"), "closes must be a date like 2026-12-31");
        if (closes < opens) Error(Get(root, "closes"), "closes is before opens");

        var choices = new Dictionary<string, IReadOnlyList<Questionnaires.Choice>>(StringComparer.Ordinal);
        if (Get(root, "choices") is YamlMappingNode lists)
        {
            foreach (var (nameNode, listNode) in lists.Children)
            {
                var name = Scalar(nameNode) ?? "";
                var list = new List<Questionnaires.Choice>();
                foreach (var item in (listNode as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
                {
                    var value = Required(item, "value");
                    var label = Text(Get(item, "label"), $"choice '{value}' of '{name}'");
                    if (value is null || label is null) continue;
                    if (value.Contains(',', StringComparison.Ordinal)) Error(item, $"choice value '{value}' may not contain a comma");
                    if (list.Any(c => c.Value == value)) Error(item, $"choice '{value}' is listed twice in '{name}'");
                    list.Add(new Questionnaires.Choice(value, label));
                }
                if (list.Count == 0) Error(listNode, $"choice list '{name}' has no choices");
                choices[name] = list;
            }
        }

        var questions = new List<Questionnaires.Question>();
        if (Get(root, "questions") is not YamlSequenceNode questionNodes || questionNodes.Children.Count == 0)
        {
            Error(root, "expected 'questions', a list");
            return null;
        }
        foreach (var node in questionNodes.Children.OfType<YamlMappingNode>())
        {
            var qid = Required(node, "id");
            var typeText = Required(node, "type");
            var label = Text(Get(node, "label"), $"label of question '{qid}'");
            if (qid is null || typeText is null || label is null) continue;
            if (questions.Any(q => q.Id == qid)) Error(node, $"question '{qid}' is defined twice");
            var type = typeText switch
            {
                "single" => Questionnaires.QuestionType.Single,
                "multiple" => Questionnaires.QuestionType.Multiple,
                "integer" => Questionnaires.QuestionType.Integer,
                "text" => Questionnaires.QuestionType.Text,
                "yesno" => Questionnaires.QuestionType.YesNo,
                "rating" => Questionnaires.QuestionType.Rating,
                "county" => Questionnaires.QuestionType.County,
                _ => (Questionnaires.QuestionType?)null,
            };
            if (type is null)
            {
                Error(Get(node, "type"), $"question '{qid}' has unknown type '{typeText}' (single, multiple, integer, text, yesno, rating, county)");
                continue;
            }
            var list = Scalar(Get(node, "choices"));
            if (type is Questionnaires.QuestionType.Single or Questionnaires.QuestionType.Multiple)
            {
                if (list is null) Error(node, $"question '{qid}' needs 'choices', the name of a choice list");
                else if (!choices.ContainsKey(list)) Error(Get(node, "choices"), $"question '{qid}' uses choice list '{list}', which does not exist");
            }
            int? Number(string key)
            {
                var text = Scalar(Get(node, key));
                if (text is null) return null;
                if (int.TryParse(text, out var n)) return n;
                Error(Get(node, key), $"'{key}' of question '{qid}' must be a whole number");
                return null;
            }
            var min = Number("min");
            var max = Number("max");
            if (type == Questionnaires.QuestionType.Integer && (min is null || max is null)) Error(node, $"integer question '{qid}' needs 'min' and 'max'");
            if (type == Questionnaires.QuestionType.Text && max is not (> 0 and <= 500)) Error(node, $"text question '{qid}' needs 'max', a length from 1 to 500");
            if (min > max) Error(node, $"question '{qid}' has min above max");
            var message = Get(node, "message") is { } m ? Text(m, $"message of question '{qid}'") : null;

            var relevant = new List<Questionnaires.Condition>();
            var relevantNodes = Get(node, "relevant") switch
            {
                YamlMappingNode one => [one],
                YamlSequenceNode many => many.Children.OfType<YamlMappingNode>().ToList(),
                _ => new List<YamlMappingNode>(),
            };
            foreach (var condition in relevantNodes)
            {
                var on = Required(condition, "question");
                var equals = Scalar(Get(condition, "equals"));
                var contains = Scalar(Get(condition, "contains"));
                if (on is null) continue;
                if (questions.FirstOrDefault(q => q.Id == on) is not { } earlier)
                {
                    Error(condition, $"question '{qid}' is relevant on '{on}', which is not an earlier question");
                    continue;
                }
                if ((equals is null) == (contains is null)) Error(condition, $"a condition of '{qid}' needs 'equals' or 'contains'");
                if (contains is not null && earlier.Type != Questionnaires.QuestionType.Multiple) Error(condition, $"'contains' needs a multiple-choice question; '{on}' is not one");
                relevant.Add(new Questionnaires.Condition(on, equals ?? contains ?? "", contains is not null));
            }
            var required = Scalar(Get(node, "required")) is not "false";
            questions.Add(new Questionnaires.Question(qid, type.Value, label, required, list, min, max, message, relevant, Line(node)));
        }
        return new Questionnaires.QuestionnaireDefinition(id, version, title, opens, closes, choices, questions, path);
    }

    private void CheckKeywords(List<Keyword> keywords, List<DialogDefinition> dialogs, string path)
    {
        _file = path;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyword in keywords)
        {
            foreach (var dialog in new[] { keyword.Dialog, keyword.Otherwise }.OfType<string>().Where(d => !dialogs.Any(x => x.Id == d)))
            {
                Error(path, keyword.Line, $"keyword '{keyword.Id}' starts dialog '{dialog}', which does not exist");
            }
            foreach (var word in keyword.Words.Values.SelectMany(w => w))
            {
                var folded = DialogCatalog.Fold(word);
                if (folded.Length == 0 || folded.Any(char.IsAsciiDigit)) Error(path, keyword.Line, $"keyword '{keyword.Id}': '{word}' must be a word (letters only)");
                else if (!seen.TryAdd(folded, keyword.Id)) Error(path, keyword.Line, $"'{word}' means both '{seen[folded]}' and '{keyword.Id}'");
            }
        }
    }

    private DialogDefinition? ReadDialog(string path)
    {
        if (ReadRoot(path) is not { } root) return null;
        var id = Required(root, "id");
        var versionText = Required(root, "version");
        var title = Text(Get(root, "title"), "title");
        var start = Required(root, "start");
        if (id is null || versionText is null || title is null || start is null) return null;
        if (!int.TryParse(versionText, out var version) || version < 1)
        {
            Error(Get(root, "version")!, "version must be a whole number from 1");
        }
        if (Get(root, "states") is not YamlMappingNode statesNode || statesNode.Children.Count == 0)
        {
            Error(root, "expected 'states', a mapping of state names to definitions");
            return null;
        }
        var states = new Dictionary<string, StateDefinition>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in statesNode.Children)
        {
            var name = Scalar(keyNode) ?? "";
            if (name.StartsWith('_') || name.Contains(':', StringComparison.Ordinal))
            {
                Error(keyNode, $"state name '{name}' may not start with '_' or contain ':'");
                continue;
            }
            if (ReadState(name, valueNode) is { } state) states[name] = state;
        }
        return new DialogDefinition(id, version, title, start, states, path);
    }

    private StateDefinition? ReadState(string name, YamlNode node)
    {
        if (node is not YamlMappingNode map || map.Children.Count != 1)
        {
            Error(node, $"state '{name}' must have exactly one of: menu, input, action, screen, end");
            return null;
        }
        var (kindNode, body) = map.Children.First();
        var line = Line(node);
        switch (Scalar(kindNode))
        {
            case "menu" when body is YamlMappingNode m:
                var prompt = Text(Get(m, "prompt"), $"prompt of '{name}'");
                var options = new List<OptionDefinition>();
                if (Get(m, "options") is YamlSequenceNode list)
                {
                    foreach (var o in list.Children)
                    {
                        if (o is not YamlMappingNode om) { Error(o, "an option is a mapping with 'label'"); continue; }
                        if (Text(Get(om, "label"), "option label") is { } label)
                        {
                            options.Add(new OptionDefinition(label, Scalar(Get(om, "value")), Scalar(Get(om, "goto")), Scalar(Get(om, "return")), Line(om)));
                        }
                    }
                }
                return prompt is null ? null
                    : new MenuStateDefinition(name, line, prompt, Scalar(Get(m, "source")), options, Scalar(Get(m, "save")), Scalar(Get(m, "next")));
            case "input" when body is YamlMappingNode i:
                var inputPrompt = Text(Get(i, "prompt"), $"prompt of '{name}'");
                var maxText = Scalar(Get(i, "max"));
                var max = 0;
                if (maxText is null || !int.TryParse(maxText, out max) || max < 1 || max > MaxInputLength)
                {
                    Error(i, $"input '{name}' needs 'max', a length from 1 to {MaxInputLength}");
                }
                return inputPrompt is null ? null
                    : new InputStateDefinition(name, line, inputPrompt, max, Scalar(Get(i, "save")), Scalar(Get(i, "action")), Scalar(Get(i, "next")), ReadOn(i));
            case "action" when body is YamlMappingNode a:
                var run = Required(a, "run");
                return run is null ? null : new ActionStateDefinition(name, line, run, ReadOn(a));
            case "screen" when body is YamlMappingNode sc:
                var handler = Required(sc, "run");
                return handler is null ? null : new ScreenStateDefinition(name, line, handler, ReadOn(sc));
            case "end":
                var text = Text(body, $"end text of '{name}'");
                return text is null ? null : new EndStateDefinition(name, line, text);
            default:
                Error(node, $"state '{name}' must be one of: menu, input, action, screen, end (with a mapping body)");
                return null;
        }
    }

    private static Dictionary<string, string> ReadOn(YamlMappingNode node) =>
        Get(node, "on") is YamlMappingNode on
            ? on.Children.ToDictionary(kv => Scalar(kv.Key) ?? "", kv => Scalar(kv.Value) ?? "", StringComparer.Ordinal)
            : [];

    private void CheckDialog(DialogDefinition dialog, List<DialogDefinition> all)
    {
        _file = dialog.File;
        var states = dialog.States;
        void Target(string? target, int line, string what)
        {
            if (target is null) return;
            if (DialogDefinition.IsDialogTarget(target, out var other))
            {
                if (!all.Any(d => d.Id == other)) Error(_file, line, $"{what} names dialog '{other}', which does not exist");
            }
            else if (!states.ContainsKey(target))
            {
                Error(_file, line, $"{what} names state '{target}', which does not exist");
            }
        }
        void Outcomes(string action, IReadOnlyDictionary<string, string> on, int line, string stateName)
        {
            if (registry.Outcomes(action) is not { } outcomes)
            {
                Error(_file, line, $"state '{stateName}' runs action '{action}', which does not exist (known: {string.Join(", ", registry.ActionNames)})");
                return;
            }
            foreach (var missing in outcomes.Where(o => !on.ContainsKey(o)))
            {
                Error(_file, line, $"state '{stateName}' does not say where outcome '{missing}' of '{action}' goes");
            }
            foreach (var unknown in on.Keys.Where(k => !outcomes.Contains(k)))
            {
                Error(_file, line, $"action '{action}' has no outcome '{unknown}' (it has: {string.Join(", ", outcomes)})");
            }
            foreach (var target in on.Values) Target(target, line, $"outcome of '{stateName}'");
        }

        if (!states.ContainsKey(dialog.Start)) Error(_file, 1, $"start state '{dialog.Start}' does not exist");
        foreach (var state in states.Values)
        {
            switch (state)
            {
                case MenuStateDefinition menu:
                    if (menu.Source is null && menu.Options.Count == 0) Error(_file, menu.Line, $"menu '{menu.Name}' has no options and no source");
                    if (menu.Source is not null && !registry.HasSource(menu.Source))
                    {
                        Error(_file, menu.Line, $"menu '{menu.Name}' uses option source '{menu.Source}', which does not exist (known: {string.Join(", ", registry.SourceNames)})");
                    }
                    if (menu.Source is not null && (menu.Save is null || menu.Next is null))
                    {
                        Error(_file, menu.Line, $"menu '{menu.Name}' has a source, so it needs 'save' and 'next'");
                    }
                    Target(menu.Next, menu.Line, $"next of '{menu.Name}'");
                    foreach (var option in menu.Options)
                    {
                        if (option.Goto is null && menu.Next is null) Error(_file, option.Line, $"an option of '{menu.Name}' has no 'goto' and the menu has no 'next'");
                        if (option.Value is not null && menu.Save is null) Error(_file, option.Line, $"an option of '{menu.Name}' has a value but the menu has no 'save'");
                        Target(option.Goto, option.Line, $"an option of '{menu.Name}'");
                        Target(option.ReturnTo, option.Line, $"'return' of an option of '{menu.Name}'");
                    }
                    if (menu.Options.Count + (menu.Source is null ? 0 : 1) > 20) Error(_file, menu.Line, $"menu '{menu.Name}' has more than 20 options: too long for a phone");
                    break;
                case InputStateDefinition input:
                    if (input.Action is null)
                    {
                        if (input.Next is null) Error(_file, input.Line, $"input '{input.Name}' needs 'next' (or an 'action' with 'on')");
                        if (input.On.Count > 0) Error(_file, input.Line, $"input '{input.Name}' has 'on' but no 'action'");
                        Target(input.Next, input.Line, $"next of '{input.Name}'");
                    }
                    else
                    {
                        if (input.Next is not null) Error(_file, input.Line, $"input '{input.Name}' has an action, so its outcomes ('on') choose the next state, not 'next'");
                        Outcomes(input.Action, input.On, input.Line, input.Name);
                    }
                    break;
                case ActionStateDefinition action:
                    if (registry.IsScreen(action.Action)) Error(_file, action.Line, $"'{action.Action}' is a screen: use 'screen:', not 'action:'");
                    Outcomes(action.Action, action.On, action.Line, action.Name);
                    break;
                case ScreenStateDefinition screen:
                    if (!registry.IsScreen(screen.Handler) && registry.Outcomes(screen.Handler) is not null) Error(_file, screen.Line, $"'{screen.Handler}' is an action: use 'action:', not 'screen:'");
                    Outcomes(screen.Handler, screen.On, screen.Line, screen.Name);
                    break;
            }
        }

        foreach (var unreachable in states.Keys.Except(Reachable(dialog)))
        {
            Error(_file, states[unreachable].Line, $"state '{unreachable}' can never be reached");
        }
    }

    private static HashSet<string> Reachable(DialogDefinition dialog)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([dialog.Start]);
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name) || !dialog.States.TryGetValue(name, out var state)) continue;
            var next = state switch
            {
                MenuStateDefinition m => m.Options.Select(o => o.Goto).Concat(m.Options.Select(o => o.ReturnTo)).Append(m.Next),
                InputStateDefinition i => i.On.Values.Append(i.Next),
                ActionStateDefinition a => a.On.Values,
                ScreenStateDefinition sc => sc.On.Values,
                _ => Enumerable.Empty<string?>(),
            };
            foreach (var n in next.OfType<string>()) queue.Enqueue(n);
        }
        return seen;
    }

    private LocalizedText? Text(YamlNode? node, string what)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, $"{what} needs a text per language: {string.Join(", ", Languages.All)}");
            return null;
        }
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var language = Scalar(k) ?? "";
            if (language.All(char.IsAsciiLetterLower) && Enum.TryParse<Domain.Channel>(language, ignoreCase: true, out var channel))
            {
                // A variant for one channel: the same languages, e.g. sms: {en: ..., sw: ...}.
                if (Text(v, $"{what} ({language})") is { } variant)
                {
                    foreach (var (l, t) in variant.Texts) texts[LocalizedText.ChannelKey(channel, l)] = t;
                }
                continue;
            }
            var text = Scalar(v);
            if (!Languages.All.Contains(language)) { Error(k, $"{what}: unknown language '{language}'"); continue; }
            if (string.IsNullOrWhiteSpace(text)) { Error(v, $"{what}: the '{language}' text is empty"); continue; }
            if (!Gsm7.IsGsm7(text))
            {
                var bad = text.First(c => !Gsm7.IsGsm7(c));
                Error(v, $"{what}: '{language}' text has '{bad}', which is not a GSM-7 character (feature phones cannot show it)");
            }
            texts[language] = text;
        }
        foreach (var missing in Languages.All.Where(l => !texts.ContainsKey(l)))
        {
            Error(node, $"{what} has no '{missing}' text");
        }
        return Languages.All.All(texts.ContainsKey) ? new LocalizedText(texts, Line(node)) : null;
    }

    private string? Required(YamlMappingNode node, string key)
    {
        var value = Scalar(Get(node, key));
        if (string.IsNullOrWhiteSpace(value)) Error(node, $"'{key}' is required");
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>An optional yes/no key: absent is false; anything but true or false is an error at its line.</summary>
    private bool Flag(YamlMappingNode node, string key, string what)
    {
        if (Get(node, key) is not { } value) return false;
        switch ((Scalar(value) ?? "").ToLowerInvariant())
        {
            case "true": return true;
            case "false": return false;
            default:
                Error(value, $"{what}: '{key}' must be true or false, not '{Scalar(value) ?? "a list or map"}'");
                return false;
        }
    }

    private static YamlNode? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static int Line(YamlNode? node) => node is null ? 0 : (int)node.Start.Line;

    private void Error(YamlNode? node, string reason) => Error(_file, Line(node), reason);

    private void Error(string file, int line, string reason) => _errors.Add(new DefinitionError(file, line, reason));
}

/// <summary>Remembers the line of the last YAML event read, to point at malformed input.</summary>
internal sealed class LineTrackingParser(IParser inner) : IParser
{
    public int Line { get; private set; } = 1;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current) Line = (int)current.End.Line;
        return moved;
    }
}
