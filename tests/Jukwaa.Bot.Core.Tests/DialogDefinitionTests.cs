using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Text;
using Jukwaa.Bot.Tests;

namespace Jukwaa.Bot.Core.Tests;

public class DialogDefinitionTests
{
    [Fact]
    public void TheShippedDialogsAreValid()
    {
        var (catalog, errors) = new DialogCatalogLoader(DialogDriver.Registry()).Load(RepoPaths.Dialogs);
        Assert.Empty(errors);
        Assert.NotNull(catalog);
        Assert.Equal(47, catalog.Counties.Count);
        Assert.Equal(12, catalog.Categories.Count);
        Assert.Equal(["terrorism", "firearms", "sgbv"], catalog.Categories.Where(c => c.Urgent).Select(c => c.Id));
        Assert.Equal(["terrorism", "sgbv"], catalog.Categories.Where(c => c.Sensitive).Select(c => c.Id));
    }

    [Theory]
    [InlineData("urgent", "yes")]
    [InlineData("sensitive", "1")]
    public void ACategoryFlagThatIsNotTrueOrFalseIsRefusedWithFileAndLine(string flag, string value)
    {
        using var copy = new DialogsCopy();
        copy.Edit("categories.yaml", s => s.Replace("    label: {en: Other, sw: Nyingine}\n", $"    label: {{en: Other, sw: Nyingine}}\n    {flag}: {value}\n", StringComparison.Ordinal));
        var line = copy.Read("categories.yaml").Split('\n').ToList().IndexOf($"    {flag}: {value}") + 1;
        var error = Assert.Single(Errors(copy));
        Assert.EndsWith("categories.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal((line, $"category 'other': '{flag}' must be true or false, not '{value}'"), (error.Line, error.Reason));
    }

    [Fact]
    public void EveryWordShownHasEnglishAndKiswahili()
    {
        var catalog = DialogDriver.Catalog;
        var texts = catalog.Strings.Select(s => (s.Key, s.Value))
            .Concat(catalog.Categories.Select(c => ("category " + c.Id, c.Label)))
            .Concat(catalog.AllDialogs.SelectMany(d => Texts(d).Select(t => ($"{d.Id}: {t.Where}", t.Text))));
        foreach (var (where, text) in texts)
        {
            foreach (var language in Languages.All)
            {
                Assert.True(text.Texts.TryGetValue(language, out var value) && !string.IsNullOrWhiteSpace(value), $"{where} has no '{language}' text");
                Assert.True(Gsm7.IsGsm7(value!), $"{where} ({language}) is not GSM-7: {value}");
            }
        }
    }

    [Fact]
    public void KiswahiliIsNotJustTheEnglishCopied()
    {
        var catalog = DialogDriver.Catalog;
        // Placeholders ({message}) are not words; a string that is only placeholders is the same in every language.
        static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\{[^}]*\}", "");
        var same = catalog.Strings.Where(s => s.Value.Get("en") == s.Value.Get("sw") && Words(s.Value.Get("en")).Any(char.IsLower)).Select(s => s.Key);
        Assert.Empty(same);
    }

    [Fact]
    public void AStringWithoutKiswahiliIsRefusedWithFileAndLine()
    {
        using var copy = new DialogsCopy();
        copy.Edit("strings.yaml", s => s.Replace("page.more: {en: More, sw: Zaidi}", "page.more: {en: More}"));
        var error = Assert.Single(Errors(copy), e => e.Reason.Contains("no 'sw' text", StringComparison.Ordinal));
        Assert.EndsWith("strings.yaml", error.File, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("next: details", "next: detials", "names state 'detials', which does not exist")]
    [InlineData("action: county.search", "action: county.find", "runs action 'county.find', which does not exist")]
    [InlineData("on: {one: county_pick, found: county_pick, none: county}", "on: {one: county_pick, found: county_pick}", "does not say where outcome 'none'")]
    [InlineData("source: categories", "source: categorys", "option source 'categorys', which does not exist")]
    [InlineData("max: 300", "max: 0", "needs 'max'")]
    [InlineData("sw: Tuma}", "sw: Tuma ✓}", "not a GSM-7 character")]
    [InlineData("goto: submit}", "goto: done}", "state 'submit' can never be reached")]
    public void ABrokenDialogIsRefusedWithFileLineAndReason(string from, string to, string reason)
    {
        using var copy = new DialogsCopy();
        copy.Edit("report.yaml", s => s.Replace(from, to, StringComparison.Ordinal));
        var errors = Errors(copy);
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.File.EndsWith("report.yaml", StringComparison.Ordinal) && e.Line > 0 && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("relevant: {question: id_applied, equals: \"yes\"}", "relevant: {question: id_aplied, equals: \"yes\"}", "relevant on 'id_aplied', which is not an earlier question")]
    [InlineData("    choices: respondent\n", "    choices: respondents\n", "uses choice list 'respondents', which does not exist")]
    [InlineData("label: {en: Which county do you live in?, sw: Unaishi kaunti gani?}", "label: {en: Which county do you live in?}", "has no 'sw' text")]
    [InlineData("type: rating", "type: stars", "unknown type 'stars'")]
    [InlineData("    max: 104\n", "", "needs 'min' and 'max'")]
    [InlineData("closes: 2027-12-31", "closes: 2025-12-31", "closes is before opens")]
    public void ABrokenQuestionnaireIsRefusedWithFileLineAndReason(string from, string to, string reason)
    {
        using var copy = new DialogsCopy();
        copy.Edit("questionnaires/forum.yaml", s => s.Replace(from, to, StringComparison.Ordinal));
        Assert.Contains(Errors(copy), e => e.File.EndsWith("forum.yaml", StringComparison.Ordinal) && e.Line > 0 && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidYamlIsRefusedWithItsLine()
    {
        using var copy = new DialogsCopy();
        copy.Edit("status.yaml", s => s.Replace("start: ask", "start: [ask"));
        Assert.Contains(Errors(copy), e => e.File.EndsWith("status.yaml", StringComparison.Ordinal) && e.Reason.StartsWith("not valid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void ACountyListWithoutAll47IsRefused()
    {
        using var copy = new DialogsCopy();
        copy.Edit("counties.yaml", s => s.Replace("  - {code: \"047\", name: Nairobi City, aliases: [Nairobi, Nai]}\n", ""));
        Assert.Contains(Errors(copy), e => e.Reason.Contains("47 counties; found 46", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryScreenFitsOnAFeaturePhoneInBothLanguages()
    {
        var catalog = DialogDriver.Catalog;
        // Values the dialogs echo are cut with {name:N}; the others (labels, references, dates) are shorter than 30.
        var longest = new string('W', 30);
        foreach (var dialog in catalog.AllDialogs)
        {
            foreach (var language in Languages.All)
            {
                foreach (var (where, text) in Texts(dialog))
                {
                    // Fill every placeholder with as much as it can hold, to find screens that would overflow.
                    var filled = DialogCatalog.Fill(text.Get(language), _ => longest);
                    var reply = new Reply(filled, [], dialog.States.Values.OfType<EndStateDefinition>().Any(e => e.Text == text));
                    foreach (var page in ScreenPager.Pages(reply, 160, "More", "Back"))
                    {
                        Assert.True(page.Length <= 160, $"{dialog.Id} {where} ({language}): {page.Length} chars");
                    }
                    if (reply.Ends)
                    {
                        Assert.True(filled.Length <= 160, $"END screen {dialog.Id} {where} ({language}) could be cut: {filled.Length} chars");
                    }
                }
            }
        }
    }

    [Fact]
    public void ADialogDrawsAsMermaidAndDot()
    {
        var report = DialogDriver.Catalog.Current("report");
        var mermaid = DialogEngine.Graph(report, dot: false);
        var dot = DialogEngine.Graph(report, dot: true);
        Assert.StartsWith("stateDiagram-v2", mermaid.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("county_pick", mermaid, StringComparison.Ordinal);
        Assert.Contains("digraph", dot, StringComparison.Ordinal);
        Assert.Contains("outcome submitted", dot, StringComparison.Ordinal);
    }

    private static IReadOnlyList<DefinitionError> Errors(DialogsCopy copy) => new DialogCatalogLoader(DialogDriver.Registry()).Load(copy.Path).Errors;

    internal static IEnumerable<(string Where, LocalizedText Text)> Texts(DialogDefinition dialog)
    {
        yield return ("title", dialog.Title);
        foreach (var state in dialog.States.Values)
        {
            switch (state)
            {
                case MenuStateDefinition m:
                    yield return (m.Name, m.Prompt);
                    foreach (var o in m.Options) yield return (m.Name + " option", o.Label);
                    break;
                case InputStateDefinition i:
                    yield return (i.Name, i.Prompt);
                    break;
                case EndStateDefinition e:
                    yield return (e.Name, e.Text);
                    break;
            }
        }
    }
}
