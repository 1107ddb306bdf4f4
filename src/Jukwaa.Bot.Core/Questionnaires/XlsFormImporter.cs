using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExcelDataReader;
using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>What an XLSForm import did: the file written, or every reason it was refused (nothing is written then).</summary>
public sealed record XlsFormImport(string? Id, int Version, string? WrittenTo, QuestionnaireDefinition? Questionnaire, IReadOnlyList<string> Errors, IReadOnlyList<string> Notes)
{
    public bool Succeeded => Errors.Count == 0 && WrittenTo is not null;
}

/// <summary>
/// Converts an XLSForm workbook (the Excel form KoBo and ODK use) into a questionnaire YAML file, then
/// checks the YAML with the same loader the host uses. Every problem names the sheet, row and column;
/// whatever cannot be mapped is refused, and nothing is written unless all of the form converts.
/// Takes a stream so that the command line and a web upload can share it. The subset is in the README.
/// </summary>
public sealed partial class XlsFormImporter(DialogCatalogLoader loader)
{
    public const int DefaultTextMax = 140;
    /// <summary>A question's words (with a note or hint above them) must leave room for its answers on a 160-character screen.</summary>
    public const int MaxLabelLength = 140;

    private static readonly string[] s_metadata = ["start", "end", "today"];
    private static readonly string[] s_unsupported =
        ["decimal", "date", "time", "datetime", "geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode",
         "acknowledge", "range", "rank", "hidden", "xml-external", "csv-external", "background-audio", "background-geopoint"];

    /// <summary>
    /// Converts <paramref name="xlsx"/> and writes it into <paramref name="folder"/> (as <c>ID.yaml</c>, or <c>ID.vN.yaml</c>
    /// beside other versions). A file that already holds this id and version is replaced only with <paramref name="force"/>.
    /// </summary>
    public XlsFormImport Import(Stream xlsx, string formName, string folder, bool force, DateOnly today)
    {
        var form = Convert(xlsx, formName, today);
        if (form.Errors.Count > 0) return new XlsFormImport(form.Id, form.Version, null, null, form.Errors, form.Notes);

        // Checked exactly as the host will read it, from a file, before anything in the folder changes.
        var scratch = Path.Combine(Path.GetTempPath(), $"jukwaa-xlsform-{Guid.NewGuid():N}.yaml");
        QuestionnaireDefinition? questionnaire;
        List<string> errors;
        try
        {
            File.WriteAllText(scratch, form.Yaml, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var (loaded, loadErrors) = loader.LoadQuestionnaire(scratch);
            questionnaire = loaded;
            errors = [.. loadErrors.Select(e => $"{formName}: {form.Where(e.Line)}: {e.Reason}")];
        }
        finally
        {
            File.Delete(scratch);
        }
        if (errors.Count > 0 || questionnaire is null || form.Id is null) return new XlsFormImport(form.Id, form.Version, null, null, errors, form.Notes);

        if (!Directory.Exists(folder))
        {
            return new XlsFormImport(form.Id, form.Version, null, null, [$"{formName}: the folder {folder} does not exist"], form.Notes);
        }
        string? sameVersion = null;
        var otherVersions = false;
        foreach (var path in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            if (loader.LoadQuestionnaire(path).Questionnaire is not { } existing || existing.Id != form.Id) continue;
            if (existing.Version == form.Version) sameVersion ??= path;
            else otherVersions = true;
        }
        var target = sameVersion ?? Path.Combine(folder, otherVersions ? $"{form.Id}.v{form.Version}.yaml" : $"{form.Id}.yaml");
        if (!force && (sameVersion is not null || File.Exists(target)))
        {
            var what = sameVersion is not null ? $"questionnaire '{form.Id}' version {form.Version} is already defined" : "a file of that name exists";
            return new XlsFormImport(form.Id, form.Version, null, null,
                [$"{formName}: {what} in {target}; raise version in the settings sheet for a new version, or add --force to replace it"], form.Notes);
        }
        File.WriteAllText(target, form.Yaml, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return new XlsFormImport(form.Id, form.Version, target, questionnaire, [], form.Notes);
    }

    /// <summary>The YAML for a workbook, or the reasons it cannot be made (before the loader's own checks).</summary>
    internal static Conversion Convert(Stream xlsx, string formName, DateOnly today) => new Converter(formName, today).Run(xlsx);

    internal sealed record Location(string Sheet, int Row, string? Column)
    {
        public override string ToString() => Column is null ? $"{Sheet} row {Row}" : $"{Sheet} row {Row}, column {Column}";
    }

    internal sealed record Conversion(string? Id, int Version, string Yaml, IReadOnlyList<string> Errors, IReadOnlyList<string> Notes, IReadOnlyList<(int Line, Location Where)> Lines)
    {
        /// <summary>The cell a YAML line came from (the nearest line above that came from one).</summary>
        public string Where(int line)
        {
            var from = Lines.Where(l => l.Line <= line).Select(l => l.Where).LastOrDefault();
            return from?.ToString() ?? "settings";
        }
    }

    private sealed record Row(int Number, IReadOnlyDictionary<string, string> Cells)
    {
        public string this[string column] => Cells.TryGetValue(column, out var value) ? value : "";
    }

    private sealed record Sheet(string Name, IReadOnlyList<string> Columns, IReadOnlyList<Row> Rows);

    private sealed record Texts(string En, string Sw);

    private sealed record ChoiceRow(string Value, Texts Label, Location Where, Location LabelEn, Location LabelSw);

    private sealed record Condition(string Question, string Value, bool Contains, Location Where);

    private sealed class Question
    {
        public required string Id { get; init; }
        public required string Type { get; set; }
        public string? List { get; set; }
        public bool Required { get; set; }
        public int? Min { get; set; }
        public int? Max { get; set; }
        public Texts? Message { get; set; }
        public List<Condition> Relevant { get; } = [];
        public required Texts Label { get; set; }
        public required Location Where { get; init; }
        public required Location TypeCell { get; init; }
        public Location? RequiredCell { get; set; }
        public Location? Bounds { get; set; }
        public Location? MessageEn { get; set; }
        public Location? MessageSw { get; set; }
        public required Location LabelEn { get; init; }
        public required Location LabelSw { get; init; }
    }

    private sealed partial class Converter(string formName, DateOnly today)
    {
        private readonly List<string> _errors = [];
        private readonly List<string> _notes = [];
        private readonly Dictionary<string, List<ChoiceRow>> _lists = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Location> _listRows = new(StringComparer.Ordinal);
        private readonly List<Question> _questions = [];

        public Conversion Run(Stream xlsx)
        {
            var sheets = ReadWorkbook(xlsx);
            if (sheets is null) return Done(null, 0, new YamlWriter());
            var survey = sheets.FirstOrDefault(s => s.Name.Equals("survey", StringComparison.OrdinalIgnoreCase));
            var choices = sheets.FirstOrDefault(s => s.Name.Equals("choices", StringComparison.OrdinalIgnoreCase));
            var settings = sheets.FirstOrDefault(s => s.Name.Equals("settings", StringComparison.OrdinalIgnoreCase));
            if (survey is null) _errors.Add($"{formName}: there is no 'survey' sheet");
            if (settings is null) _errors.Add($"{formName}: there is no 'settings' sheet (it gives form_id, version and form_title in both languages)");
            if (choices is not null) ReadChoices(choices);
            if (survey is not null) ReadSurvey(survey);
            if (survey is null || settings is null) return Done(null, 0, new YamlWriter());
            return Write(settings);
        }

        private Conversion Done(string? id, int version, YamlWriter yaml) => new(id, version, yaml.Yaml, _errors, _notes, yaml.Lines);

        private void Error(Location where, string reason) => _errors.Add($"{formName}: {where}: {reason}");

        private List<Sheet>? ReadWorkbook(Stream xlsx)
        {
            var sheets = new List<Sheet>();
            try
            {
                // ExcelDataReader's configuration names code page 1252 (for .xls) even when it reads .xlsx.
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                using var reader = ExcelReaderFactory.CreateOpenXmlReader(xlsx);
                do
                {
                    List<string>? columns = null;
                    var rows = new List<Row>();
                    var number = 0;
                    while (reader.Read())
                    {
                        number++;
                        var values = Enumerable.Range(0, reader.FieldCount).Select(i => Cell(reader.GetValue(i))).ToList();
                        if (values.All(v => v.Length == 0)) continue;
                        if (columns is null)
                        {
                            columns = [.. values.Select(v => v.Trim())];
                            continue;
                        }
                        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                        for (var i = 0; i < values.Count && i < columns.Count; i++)
                        {
                            if (columns[i].Length > 0 && values[i].Length > 0) cells[columns[i]] = values[i];
                        }
                        if (cells.Count > 0) rows.Add(new Row(number, cells));
                    }
                    sheets.Add(new Sheet(reader.Name ?? "", columns ?? [], rows));
                }
                while (reader.NextResult());
                return sheets;
            }
            catch (Exception ex) when (ex is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or System.Xml.XmlException or NotSupportedException)
            {
                _errors.Add($"{formName}: not an Excel workbook (.xlsx) that can be read: {ex.Message}");
                return null;
            }
        }

        private static string Cell(object? value) => value switch
        {
            null or DBNull => "",
            string s => s.Trim(),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => System.Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "",
        };

        /// <summary>The language of a column like <c>label::Kiswahili (sw)</c>: the code in brackets, else the language's name.</summary>
        private static string? LanguageOf(string column)
        {
            var name = column[(column.IndexOf("::", StringComparison.Ordinal) + 2)..].Trim();
            if (LanguageCode().Match(name) is { Success: true } code) return code.Groups[1].Value.ToLowerInvariant();
            return name.ToLowerInvariant() switch { "english" or "en" => "en", "kiswahili" or "swahili" or "sw" => "sw", _ => null };
        }

        [GeneratedRegex(@"\(([A-Za-z]{2,3})\)\s*$")]
        private static partial Regex LanguageCode();

        /// <summary>A text in both languages from <c>base::…</c> columns; a missing language is an error naming the cell.</summary>
        private Texts? Translations(Sheet sheet, Row row, string baseName, bool required, out Location en, out Location sw)
        {
            string Column(string language)
            {
                var found = sheet.Columns.FirstOrDefault(c => c.StartsWith(baseName + "::", StringComparison.OrdinalIgnoreCase) && LanguageOf(c) == language);
                return found ?? (language == "en" ? $"{baseName}::English (en)" : $"{baseName}::Kiswahili (sw)");
            }
            en = new Location(sheet.Name, row.Number, Column("en"));
            sw = new Location(sheet.Name, row.Number, Column("sw"));
            var english = row[en.Column!];
            var kiswahili = row[sw.Column!];
            if (english.Length == 0 && kiswahili.Length == 0 && !required) return null;
            if (english.Length == 0) Error(en, $"the English {baseName.Replace('_', ' ')} is missing (the bot speaks English and Kiswahili)");
            if (kiswahili.Length == 0) Error(sw, $"the Kiswahili {baseName.Replace('_', ' ')} is missing (the bot speaks English and Kiswahili)");
            return english.Length > 0 && kiswahili.Length > 0 ? new Texts(english, kiswahili) : null;
        }

        /// <summary>Columns this importer does not map are refused wherever they hold something.</summary>
        private void RefuseOtherColumns(Sheet sheet, Row row, string[] known, string[] translated)
        {
            foreach (var (column, _) in row.Cells)
            {
                if (column.StartsWith('$') || known.Contains(column, StringComparer.OrdinalIgnoreCase)) continue;
                var at = column.IndexOf("::", StringComparison.Ordinal);
                if (at > 0 && translated.Contains(column[..at], StringComparer.OrdinalIgnoreCase))
                {
                    if (LanguageOf(column) is "en" or "sw") continue;
                    Error(new Location(sheet.Name, row.Number, column), "the bot speaks English (en) and Kiswahili (sw) only; remove this language or name it like label::Kiswahili (sw)");
                    continue;
                }
                var reason = translated.Contains(column, StringComparer.OrdinalIgnoreCase)
                    ? $"say the language in the column's name: {column}::English (en) and {column}::Kiswahili (sw)"
                    : $"'{column}' is not supported, so this row cannot be imported as it is";
                Error(new Location(sheet.Name, row.Number, column), reason);
            }
        }

        private void ReadChoices(Sheet sheet)
        {
            var listColumn = sheet.Columns.FirstOrDefault(c => c.Equals("list_name", StringComparison.OrdinalIgnoreCase) || c.Equals("list name", StringComparison.OrdinalIgnoreCase)) ?? "list_name";
            foreach (var row in sheet.Rows)
            {
                RefuseOtherColumns(sheet, row, [listColumn, "name"], ["label"]);
                var list = row[listColumn];
                var name = row["name"];
                if (list.Length == 0) { Error(new Location(sheet.Name, row.Number, listColumn), "the choice has no list name"); continue; }
                if (name.Length == 0) { Error(new Location(sheet.Name, row.Number, "name"), "the choice has no name (the value stored)"); continue; }
                var label = Translations(sheet, row, "label", required: true, out var en, out var sw);
                if (label is null) continue;
                if (!_lists.TryGetValue(list, out var choices))
                {
                    _lists[list] = choices = [];
                    _listRows[list] = new Location(sheet.Name, row.Number, listColumn);
                }
                choices.Add(new ChoiceRow(name, label, new Location(sheet.Name, row.Number, "name"), en, sw));
            }
        }

        private void ReadSurvey(Sheet sheet)
        {
            var groups = new Stack<(Location Where, List<Condition> Relevant)>();
            var notes = new List<(Texts Text, Location Where)>();
            foreach (var row in sheet.Rows)
            {
                var typeCell = new Location(sheet.Name, row.Number, "type");
                var typeText = Spaces().Replace(row["type"].Trim(), " ");
                var type = typeText.ToLowerInvariant().Replace("select one ", "select_one ", StringComparison.Ordinal).Replace("select multiple ", "select_multiple ", StringComparison.Ordinal);
                var name = row["name"];
                var where = new Location(sheet.Name, row.Number, null);
                if (type.Length == 0)
                {
                    Error(typeCell, "the row has no type");
                    continue;
                }
                if (s_metadata.Contains(type))
                {
                    _notes.Add($"{formName}: {where}: '{type}' is left out: the bot records when each response starts and ends itself");
                    continue;
                }
                switch (type)
                {
                    case "begin group" or "begin_group":
                        RefuseOtherColumns(sheet, row, ["type", "name", "relevant", "appearance"], ["label", "hint"]);
                        var conditions = row["relevant"].Length > 0 ? Relevant(sheet, row) : [];
                        groups.Push((where, conditions ?? []));
                        _notes.Add($"{formName}: {where}: group '{name}' is flattened: its questions are asked one a screen"
                            + (row["relevant"].Length > 0 ? ", each only when the group's relevant holds" : "") + "; a group has no screen, so its label is not shown");
                        continue;
                    case "end group" or "end_group":
                        if (!groups.TryPop(out _)) Error(typeCell, "'end group' without a 'begin group' above it");
                        continue;
                    case "begin repeat" or "begin_repeat" or "end repeat" or "end_repeat":
                        Error(typeCell, "repeats cannot be imported: a questionnaire asks each question once");
                        continue;
                    case "calculate":
                        Error(typeCell, "calculations cannot be imported: a questionnaire stores only what the person answers");
                        continue;
                }
                var head = type.Split(' ')[0];
                if (head is not ("select_one" or "select_multiple" or "integer" or "text" or "note"))
                {
                    var why = s_unsupported.Contains(head) || head.EndsWith("_from_file", StringComparison.Ordinal)
                        ? $"type '{typeText}' cannot be asked over USSD and SMS"
                        : $"type '{typeText}' is not supported";
                    Error(typeCell, why + " (supported: select_one, select_multiple, integer, text, note, begin group/end group)");
                    continue;
                }
                RefuseOtherColumns(sheet, row, ["type", "name", "required", "relevant", "constraint", "appearance"], ["label", "hint", "constraint_message"]);
                var label = Translations(sheet, row, "label", required: true, out var labelEn, out var labelSw);
                var hint = Translations(sheet, row, "hint", required: false, out _, out _);
                if (label is not null && hint is not null) label = new Texts($"{label.En}\n{hint.En}", $"{label.Sw}\n{hint.Sw}");
                if (type == "note")
                {
                    if (row["relevant"].Length > 0) Error(new Location(sheet.Name, row.Number, "relevant"), "a note is shown above the next question, so it cannot have its own relevant: put the condition on that question");
                    if (row["required"].Length > 0) Error(new Location(sheet.Name, row.Number, "required"), "a note has no answer to require");
                    if (row["constraint"].Length > 0) Error(new Location(sheet.Name, row.Number, "constraint"), "a note has no answer to check");
                    if (label is not null) notes.Add((label, where));
                    continue;
                }
                if (name.Length == 0)
                {
                    Error(new Location(sheet.Name, row.Number, "name"), "the question has no name");
                    continue;
                }
                if (label is null) continue;
                if (notes.Count > 0)
                {
                    label = new Texts(string.Join('\n', notes.Select(n => n.Text.En).Append(label.En)), string.Join('\n', notes.Select(n => n.Text.Sw).Append(label.Sw)));
                    notes.Clear();
                }
                var question = new Question
                {
                    Id = name, Type = "", Label = label, Where = new Location(sheet.Name, row.Number, "name"), TypeCell = typeCell, LabelEn = labelEn, LabelSw = labelSw,
                };
                if (!Type(question, type, typeText, row)) continue;
                foreach (var (language, text, cell) in new[] { ("English", label.En, labelEn), ("Kiswahili", label.Sw, labelSw) })
                {
                    if (text.Length > MaxLabelLength) Error(cell, $"the {language} label is {text.Length} characters (with any note and hint above it); at most {MaxLabelLength} fit a USSD screen with the answers");
                }
                question.Required = Required(sheet, row);
                question.RequiredCell = row["required"].Length > 0 ? new Location(sheet.Name, row.Number, "required") : null;
                foreach (var group in groups.Reverse()) question.Relevant.AddRange(group.Relevant);
                if (row["relevant"].Length > 0 && Relevant(sheet, row) is { } own) question.Relevant.AddRange(own);
                Constraint(sheet, row, question);
                _questions.Add(question);
            }
            foreach (var (open, _) in groups) Error(open, "this group is never closed with 'end group'");
            foreach (var (_, note) in notes) Error(note, "a note is shown above the next question, and no question follows this one");
        }

        /// <summary>The questionnaire type for an XLSForm type; false after an error.</summary>
        private bool Type(Question question, string type, string typeText, Row row)
        {
            var parts = type.Split(' ');
            var appearance = row["appearance"].Trim().ToLowerInvariant();
            if (appearance.Length > 0 && !(appearance == "county" && parts[0] == "text"))
            {
                _notes.Add($"{formName}: {question.Where with { Column = "appearance" }}: '{row["appearance"]}' is left out: it styles web forms (only county, on a text question, means something here)");
            }
            if (parts[0] is "integer" or "text")
            {
                if (parts.Length > 1) { Error(question.TypeCell, $"'{typeText}' is not a type"); return false; }
                question.Type = parts[0] == "text" && appearance == "county" ? "county" : parts[0];
                if (question.Type == "text") { question.Max = DefaultTextMax; question.Bounds = question.TypeCell; }
                return true;
            }
            if (parts.Length != 2)
            {
                Error(question.TypeCell, parts.Length > 2 && parts[2] == "or_other" ? "'or_other' is not supported: add an 'other' choice and a text question relevant on it" : $"'{typeText}' needs one choice list name, like select_one yes_no");
                return false;
            }
            var list = row["type"].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Last();
            if (!_lists.TryGetValue(list, out var choices))
            {
                Error(question.TypeCell, $"the choice list '{list}' is not in the choices sheet");
                return false;
            }
            // A select_one over exactly 1..5 is a rating: asked with the bot's own scale words, averaged in results.
            if (parts[0] == "select_one" && choices.Select(c => c.Value).SequenceEqual(["1", "2", "3", "4", "5"]))
            {
                _notes.Add($"{formName}: {question.Where with { Column = null }}: '{question.Id}' is a rating (list '{list}' is 1 to 5): asked with the bot's own words for 1 to 5, not the list's labels");
                question.Type = "rating";
                return true;
            }
            question.Type = parts[0] == "select_one" ? "single" : "multiple";
            question.List = list;
            return true;
        }

        private bool Required(Sheet sheet, Row row)
        {
            switch (row["required"].Trim().ToLowerInvariant())
            {
                case "" or "no" or "false" or "false()" or "0":
                    return false;
                case "yes" or "true" or "true()" or "1":
                    return true;
                default:
                    Error(new Location(sheet.Name, row.Number, "required"), $"required must be yes or no, not '{row["required"]}' (a condition cannot be kept)");
                    return false;
            }
        }

        private List<Condition>? Relevant(Sheet sheet, Row row)
        {
            var cell = new Location(sheet.Name, row.Number, "relevant");
            if (Parse(cell, row["relevant"]) is not { } expr) return null;
            var result = new List<Condition>();
            var ok = true;
            foreach (var part in expr.Conjuncts())
            {
                if (Condition(cell, part) is { } condition) result.Add(condition);
                else ok = false;
            }
            return ok ? result : null;
        }

        private Condition? Condition(Location cell, XlsExpr part)
        {
            const string Supported = "a question can be asked only when earlier answers equal or include a value: ${q} = 'value' or selected(${q}, 'value'), joined by and";
            switch (part)
            {
                case XlsBinary { Op: "or" }:
                    Error(cell, $"'or' cannot be kept ({part.Source}): {Supported}");
                    return null;
                case XlsCall { Function: "not" }:
                    Error(cell, $"'not' cannot be kept ({part.Source}): {Supported}");
                    return null;
                case XlsBinary { Op: "=", Left: XlsRef r, Right: XlsLiteral v }:
                    return Earlier(cell, part, r.Name, v.Value, contains: false);
                case XlsBinary { Op: "=", Left: XlsLiteral v, Right: XlsRef r }:
                    return Earlier(cell, part, r.Name, v.Value, contains: false);
                case XlsCall { Function: "selected", Arguments: [XlsRef r, XlsLiteral v] }:
                    return Earlier(cell, part, r.Name, v.Value, contains: true);
                default:
                    Error(cell, $"'{part.Source}' cannot be translated: {Supported}");
                    return null;
            }
        }

        private Condition? Earlier(Location cell, XlsExpr part, string id, string value, bool contains)
        {
            if (_questions.FirstOrDefault(q => q.Id == id) is not { } earlier)
            {
                Error(cell, $"'{part.Source}' names '{id}', which is not an earlier question");
                return null;
            }
            switch (earlier.Type)
            {
                case "multiple" when !contains:
                    Error(cell, $"'{part.Source}': '{id}' is a select_multiple; write selected(${{{id}}}, '{value}')");
                    return null;
                case "text":
                    Error(cell, $"'{part.Source}': a condition on free text cannot be kept (the answer is stored encrypted)");
                    return null;
                case "single" or "multiple" when !_lists[earlier.List!].Any(c => c.Value == value):
                    Error(cell, $"'{part.Source}': '{value}' is not a choice of '{id}' (list '{earlier.List}')");
                    return null;
                case "rating" when value is not ("1" or "2" or "3" or "4" or "5"):
                    Error(cell, $"'{part.Source}': '{id}' is a rating from 1 to 5");
                    return null;
            }
            return new Condition(id, value, contains && earlier.Type == "multiple", cell);
        }

        private void Constraint(Sheet sheet, Row row, Question question)
        {
            var cell = new Location(sheet.Name, row.Number, "constraint");
            var text = row["constraint"];
            var message = Translations(sheet, row, "constraint_message", required: false, out var messageEn, out var messageSw);
            if (text.Length == 0)
            {
                if (message is not null) Error(messageEn, "there is a constraint message but no constraint");
                if (question.Type == "integer") Error(cell, "an integer question needs its bounds, e.g. . >= 0 and . <= 100");
                return;
            }
            var subject = question.Type switch { "integer" => ".", "multiple" => "count-selected(.)", "text" => "string-length(.)", _ => null };
            if (subject is null)
            {
                Error(cell, $"a constraint on a {row["type"].Split(' ')[0]} question cannot be kept (constraints bound integers, the number of choices of a select_multiple, and the length of text)");
                return;
            }
            if (Parse(cell, text) is not { } expr) return;
            int? min = null, max = null;
            foreach (var part in expr.Conjuncts())
            {
                var (op, number) = part switch
                {
                    XlsBinary { Left: var l, Right: XlsLiteral { IsNumber: true } n } b when IsSubject(l, question.Type) => (b.Op, n.Value),
                    XlsBinary { Left: XlsLiteral { IsNumber: true } n, Right: var r } b when IsSubject(r, question.Type) => (Flip(b.Op), n.Value),
                    _ => ("", ""),
                };
                if (!int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound) || op is not ("<" or "<=" or ">" or ">=" or "="))
                {
                    Error(cell, $"'{part.Source}' cannot be translated: write bounds on {subject} with whole numbers, e.g. {subject} >= 1 and {subject} <= 3, joined by and");
                    return;
                }
                switch (op)
                {
                    case ">=": min = bound; break;
                    case ">": min = bound + 1; break;
                    case "<=": max = bound; break;
                    case "<": max = bound - 1; break;
                    default: min = max = bound; break;
                }
            }
            if (question.Type == "integer" && (min is null || max is null))
            {
                Error(cell, "an integer question needs both bounds, e.g. . >= 0 and . <= 100");
                return;
            }
            if (question.Type == "text" && min is not null)
            {
                Error(cell, "text can be bounded only in length from above, e.g. string-length(.) <= 140");
                return;
            }
            if (min > max)
            {
                Error(cell, $"no answer can meet it: at least {min} and at most {max}");
                return;
            }
            question.Min = min;
            question.Max = max ?? question.Max;
            question.Bounds = cell;
            question.Message = message;
            question.MessageEn = messageEn;
            question.MessageSw = messageSw;
        }

        private static bool IsSubject(XlsExpr expr, string type) => (type, expr) switch
        {
            ("integer", XlsDot) => true,
            ("multiple", XlsCall { Function: "count-selected", Arguments: [XlsDot] }) => true,
            ("text", XlsCall { Function: "string-length", Arguments: [XlsDot] }) => true,
            _ => false,
        };

        private static string Flip(string op) => op switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", _ => op };

        private XlsExpr? Parse(Location cell, string text)
        {
            try
            {
                return XlsExpr.Parse(text);
            }
            catch (XlsExprException ex)
            {
                Error(cell, $"cannot read '{text}': {ex.Message}");
                return null;
            }
        }

        private Conversion Write(Sheet settings)
        {
            var yaml = new YamlWriter();
            var row = settings.Rows.Count > 0 ? settings.Rows[0] : null;
            if (row is null)
            {
                _errors.Add($"{formName}: the settings sheet has no row under its headings (form_id, version, form_title::English (en), form_title::Kiswahili (sw))");
                return Done(null, 0, yaml);
            }
            Location At(string column) => new(settings.Name, row.Number, column);
            RefuseOtherColumns(settings, row, ["form_id", "version", "opens", "closes", "default_language", "style"], ["form_title"]);
            var id = row["form_id"];
            if (id.Length == 0) Error(At("form_id"), "form_id is needed: it is the questionnaire's id");
            else if (!FileSafeId().IsMatch(id)) Error(At("form_id"), $"'{id}' must be letters, digits, _ or - (it names the file)");
            var versionText = row["version"];
            if (versionText.Length == 0) Error(At("version"), "version is needed, a whole number from 1");
            var title = Translations(settings, row, "form_title", required: true, out var titleEn, out var titleSw);
            if (_questions.Count == 0 && _errors.Count == 0) _errors.Add($"{formName}: the survey sheet has no question");
            if (_errors.Count > 0 || title is null) return Done(id, 0, yaml);
            var version = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

            var opens = row["opens"].Length > 0 ? row["opens"] : today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var closes = row["closes"].Length > 0 ? row["closes"] : today.AddYears(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (row["opens"].Length == 0 || row["closes"].Length == 0)
            {
                _notes.Add($"{formName}: open from {opens} to {closes} (add opens and closes, dates like 2026-01-31, to the settings sheet to choose)");
            }

            yaml.Line($"# Imported from {formName} by `questionnaires import`. Change the XLSForm and import it again rather than editing this file.", null);
            yaml.Line($"id: {Quote(id)}", At("form_id"));
            yaml.Line($"version: {Quote(versionText)}", At("version"));
            yaml.Localized("title", title, titleEn, titleSw, "");
            yaml.Line($"opens: {Quote(opens)}", At(row["opens"].Length > 0 ? "opens" : "form_id"));
            yaml.Line($"closes: {Quote(closes)}", At(row["closes"].Length > 0 ? "closes" : "form_id"));
            if (_lists.Count > 0)
            {
                yaml.Line("choices:", null);
                foreach (var (list, choices) in _lists)
                {
                    yaml.Line($"  {Quote(list)}:", _listRows[list]);
                    foreach (var choice in choices)
                    {
                        yaml.Line($"    - value: {Quote(choice.Value)}", choice.Where);
                        yaml.Localized("label", choice.Label, choice.LabelEn, choice.LabelSw, "      ");
                    }
                }
            }
            yaml.Line("questions:", null);
            foreach (var q in _questions)
            {
                yaml.Line($"  - id: {Quote(q.Id)}", q.Where);
                yaml.Line($"    type: {q.Type}", q.TypeCell);
                if (q.List is not null) yaml.Line($"    choices: {Quote(q.List)}", q.TypeCell);
                if (!q.Required) yaml.Line("    required: false", q.RequiredCell ?? q.Where);
                if (q.Min is { } min) yaml.Line($"    min: {min.ToString(CultureInfo.InvariantCulture)}", q.Bounds);
                if (q.Max is { } max) yaml.Line($"    max: {max.ToString(CultureInfo.InvariantCulture)}", q.Bounds);
                if (q.Message is not null) yaml.Localized("message", q.Message, q.MessageEn!, q.MessageSw!, "    ");
                if (q.Relevant.Count > 0)
                {
                    yaml.Line("    relevant:", q.Relevant[0].Where);
                    foreach (var c in q.Relevant)
                    {
                        yaml.Line($"      - question: {Quote(c.Question)}", c.Where);
                        yaml.Line($"        {(c.Contains ? "contains" : "equals")}: {Quote(c.Value)}", c.Where);
                    }
                }
                yaml.Localized("label", q.Label, q.LabelEn, q.LabelSw, "    ");
            }
            return Done(id, version, yaml);
        }

        [GeneratedRegex("^[A-Za-z0-9_-]+$")]
        private static partial Regex FileSafeId();

        [GeneratedRegex(@"\s+")]
        private static partial Regex Spaces();
    }

    /// <summary>YAML written a line at a time, remembering which cell each line came from.</summary>
    private sealed class YamlWriter
    {
        private readonly StringBuilder _text = new();
        private readonly List<(int, Location)> _lines = [];
        private int _line;

        public string Yaml => _text.ToString();

        public IReadOnlyList<(int Line, Location Where)> Lines => _lines;

        public void Line(string text, Location? where)
        {
            _text.Append(text).Append('\n');
            _line++;
            if (where is not null) _lines.Add((_line, where));
        }

        public void Localized(string key, Texts text, Location en, Location sw, string indent)
        {
            Line($"{indent}{key}:", en);
            Line($"{indent}  en: {Quote(text.En)}", en);
            Line($"{indent}  sw: {Quote(text.Sw)}", sw);
        }
    }

    /// <summary>A double-quoted YAML scalar: any text, line breaks kept.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
