using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

/// <summary><c>questionnaires import</c>: XLSForm workbooks the tests write, converted, refused or answered over USSD.</summary>
public sealed class XlsFormImportTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("jukwaa-xlsform-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string?[] Q(string type, string? name, string? en, string? sw, string? required = null, string? relevant = null,
        string? constraint = null, string? messageEn = null, string? messageSw = null, string? appearance = null) =>
        [type, name, en, sw, required, relevant, constraint, messageEn, messageSw, appearance];

    private static (string, string?[]?[]) Survey(params string?[]?[] rows) => ("survey", [XlsFormFile.SurveyHeadings, .. rows]);

    private XlsFormImport Import(bool force, params (string, string?[]?[])[] sheets)
    {
        using var stream = new MemoryStream(XlsFormFile.Workbook(sheets));
        var loader = new DialogCatalogLoader(new DialogRegistry([], []));
        return new XlsFormImporter(loader).Import(stream, "form.xlsx", _folder, force, new DateOnly(2026, 11, 28));
    }

    private XlsFormImport Import(params (string, string?[]?[])[] sheets) => Import(false, sheets);

    [Fact]
    public void ExpressionsBecomeTheQuestionnairesConditionsAndBounds()
    {
        var result = Import(
            Survey(
                Q("select_one yes_no", "attended", "Did you attend?", "Ulihudhuria?", required: "yes"),
                Q("begin group", "details", null, null, relevant: "${attended} = 'yes'"),
                Q("integer", "forums", "How many forums?", "Majukwaa mangapi?", required: "yes", constraint: ". >= 1 and . <= 12",
                    messageEn: "From 1 to 12.", messageSw: "Kutoka 1 hadi 12."),
                Q("select_multiple topics", "topics", "Which topics?", "Mada zipi?", required: "yes", constraint: "count-selected(.) <= 2"),
                Q("end group", null, null, null),
                Q("select_one five", "useful", "How useful?", "Manufaa kiasi gani?", required: "yes", relevant: "selected(${topics}, 'land') and ${attended} = 'yes'"),
                Q("text", "where", "Where do you live?", "Unaishi wapi?", required: "yes", appearance: "county"),
                Q("text", "idea", "Your idea", "Wazo lako", constraint: "string-length(.) <= 80")),
            ("choices", [XlsFormFile.ChoiceHeadings, ["yes_no", "yes", "Yes", "Ndiyo"], ["yes_no", "no", "No", "Hapana"],
                ["topics", "land", "Land", "Ardhi"], ["topics", "gangs", "Gangs", "Magenge"], ["topics", "drugs", "Drugs", "Mihadarati"],
                ["five", "1", "Poor", "Duni"], ["five", "2", "Fair", "Wastani"], ["five", "3", "Good", "Nzuri"], ["five", "4", "Very good", "Nzuri sana"], ["five", "5", "Best", "Bora"]]),
            XlsFormFile.Settings());

        Assert.Equal([], result.Errors);
        var q = result.Questionnaire!;
        Assert.Equal(("small", 1, "Small form", "Fomu ndogo"), (q.Id, q.Version, q.Title.Get("en"), q.Title.Get("sw")));
        Assert.Equal(
            [("attended", QuestionType.Single, true), ("forums", QuestionType.Integer, true), ("topics", QuestionType.Multiple, true),
             ("useful", QuestionType.Rating, true), ("where", QuestionType.County, true), ("idea", QuestionType.Text, false)],
            q.Questions.Select(x => (x.Id, x.Type, x.Required)));
        var forums = q.Find("forums")!;
        Assert.Equal((1, 12, "From 1 to 12.", "Kutoka 1 hadi 12."), (forums.Min, forums.Max, forums.ConstraintMessage!.Get("en"), forums.ConstraintMessage.Get("sw")));
        Assert.Equal([new Condition("attended", "yes", false)], forums.Relevant);
        Assert.Equal((null, 2), (q.Find("topics")!.Min, q.Find("topics")!.Max));
        Assert.Equal([new Condition("topics", "land", true), new Condition("attended", "yes", false)], q.Find("useful")!.Relevant);
        Assert.Equal(80, q.Find("idea")!.Max);
        Assert.Equal(Path.Combine(_folder, "small.yaml"), result.WrittenTo);
    }

    [Fact]
    public void WhatTheQuestionnaireCannotExpressIsRefusedWithSheetRowAndColumnAndNothingIsWritten()
    {
        var result = Import(
            Survey(
                Q("select_one yes_no", "attended", "Did you attend?", "Ulihudhuria?"),
                null,
                Q("text", "why", "Why not?", "Kwa nini?", relevant: "${attended} = 'no' or ${attended} = 'yes'"),
                Q("calculate", "score", null, null),
                Q("begin repeat", "people", "Each person", "Kila mtu"),
                Q("decimal", "weight", "Weight", "Uzito"),
                Q("integer", "age", "Age", "Umri", relevant: "not(${attended} = 'yes')"),
                Q("integer", "count", "How many?", "Ngapi?", constraint: ". > ${age}"),
                Q("select_one yes_no", "again", "Again?", "Tena?", relevant: "${later} = 'yes'"),
                Q("integer", "years", "Years", "Miaka", constraint: ". >= 90 and . <= 10")),
            XlsFormFile.YesNo,
            XlsFormFile.Settings());

        string[] expected =
        [
            "form.xlsx: survey row 4, column relevant: 'or' cannot be kept (${attended} = 'no' or ${attended} = 'yes')",
            "form.xlsx: survey row 5, column type: calculations cannot be imported",
            "form.xlsx: survey row 6, column type: repeats cannot be imported",
            "form.xlsx: survey row 7, column type: type 'decimal' cannot be asked over USSD and SMS",
            "form.xlsx: survey row 8, column relevant: 'not' cannot be kept (not(${attended} = 'yes'))",
            "form.xlsx: survey row 8, column constraint: an integer question needs its bounds",
            "form.xlsx: survey row 9, column constraint: '. > ${age}' cannot be translated",
            "form.xlsx: survey row 10, column relevant: '${later} = 'yes'' names 'later', which is not an earlier question",
            "form.xlsx: survey row 11, column constraint: no answer can meet it: at least 90 and at most 10",
        ];
        Assert.Equal(expected.Length, result.Errors.Count);
        foreach (var (want, got) in expected.Zip(result.Errors)) Assert.StartsWith(want, got, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void ColumnsLanguagesAndLongLabelsTheBotCannotUseAreRefusedAtTheirCells()
    {
        var longLabel = string.Join(' ', Enumerable.Repeat("Did the forum agree on action?", 5));
        var result = Import(
            ("survey",
            [
                ["type", "name", "label::English (en)", "label::Kiswahili (sw)", "label::French (fr)", "choice_filter", "$kuid"],
                ["select_one yes_no", "attended", "Did you attend?", "Ulihudhuria?", "Avez-vous assiste ?", null, "k1"],
                ["select_one yes_no", "agreed", longLabel, "Jukwaa lilikubaliana?", null, "name = 'yes'", "k2"],
            ]),
            XlsFormFile.YesNo,
            XlsFormFile.Settings());
        Assert.Equal(
            ["form.xlsx: survey row 2, column label::French (fr): the bot speaks English (en) and Kiswahili (sw) only; remove this language or name it like label::Kiswahili (sw)",
             "form.xlsx: survey row 3, column choice_filter: 'choice_filter' is not supported, so this row cannot be imported as it is",
             $"form.xlsx: survey row 3, column label::English (en): the English label is {longLabel.Length} characters (with any note and hint above it); at most 140 fit a USSD screen with the answers"],
            result.Errors);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void AFileThatIsNotAWorkbookIsRefusedInOneLine()
    {
        using var stream = new MemoryStream("type,name\ntext,idea\n"u8.ToArray());
        var result = new XlsFormImporter(new DialogCatalogLoader(new DialogRegistry([], []))).Import(stream, "form.csv", _folder, false, new DateOnly(2026, 11, 28));
        Assert.StartsWith("form.csv: not an Excel workbook (.xlsx) that can be read: ", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void AMissingKiswahiliLabelIsRefusedNamingItsRow()
    {
        var result = Import(
            Survey(Q("select_one yes_no", "attended", "Did you attend?", "Ulihudhuria?"), Q("text", "idea", "Your idea", null)),
            ("choices", [XlsFormFile.ChoiceHeadings, ["yes_no", "yes", "Yes", "Ndiyo"], ["yes_no", "no", "No", null]]),
            XlsFormFile.Settings());
        Assert.Equal(
            ["form.xlsx: choices row 3, column label::Kiswahili (sw): the Kiswahili label is missing (the bot speaks English and Kiswahili)",
             "form.xlsx: survey row 3, column label::Kiswahili (sw): the Kiswahili label is missing (the bot speaks English and Kiswahili)"],
            result.Errors);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void TheLoadersOwnRulesAreReportedAtTheCellTheyCameFrom()
    {
        // A curly apostrophe (Excel's autocorrect) cannot be shown on a feature phone; the loader finds it in the YAML.
        var result = Import(
            Survey(
                Q("select_one yes_no", "attended", "Did you attend?", "Ulihudhuria?"),
                Q("text", "idea", "Your idea", "Wazo la mzee\u2019s")),
            XlsFormFile.YesNo,
            XlsFormFile.Settings(version: "first"));
        Assert.Equal(
            ["form.xlsx: settings row 2, column version: version must be a whole number from 1",
             "form.xlsx: survey row 3, column label::Kiswahili (sw): label of question 'idea': 'sw' text has '\u2019', which is not a GSM-7 character (feature phones cannot show it)"],
            result.Errors);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void AnImportedQuestionnaireIsReplacedOnlyWithForceAndANewVersionGoesBesideIt()
    {
        (string, string?[]?[]) SurveyAsking(string label) => Survey(Q("select_one yes_no", "attended", label, "Ulihudhuria?", required: "yes"));
        Assert.True(Import(SurveyAsking("Did you attend?"), XlsFormFile.YesNo, XlsFormFile.Settings()).Succeeded);

        var again = Import(SurveyAsking("Were you there?"), XlsFormFile.YesNo, XlsFormFile.Settings());
        Assert.Equal([$"form.xlsx: questionnaire 'small' version 1 is already defined in {Path.Combine(_folder, "small.yaml")}; raise version in the settings sheet for a new version, or add --force to replace it"], again.Errors);
        Assert.Contains("Did you attend?", File.ReadAllText(Path.Combine(_folder, "small.yaml")), StringComparison.Ordinal);

        Assert.True(Import(force: true, SurveyAsking("Were you there?"), XlsFormFile.YesNo, XlsFormFile.Settings()).Succeeded);
        Assert.Contains("Were you there?", File.ReadAllText(Path.Combine(_folder, "small.yaml")), StringComparison.Ordinal);

        var second = Import(SurveyAsking("Did you go?"), XlsFormFile.YesNo, XlsFormFile.Settings(version: "2"));
        Assert.Equal(Path.Combine(_folder, "small.v2.yaml"), second.WrittenTo);
        Assert.Equal(["small.v2.yaml", "small.yaml"], Directory.EnumerateFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheVerbRefusesABadFormWithItsRowsAndExitsOne()
    {
        var form = Path.Combine(_folder, "followup.xlsx");
        await File.WriteAllBytesAsync(form, XlsFormFile.Workbook(
            Survey(Q("select_one yes_no", "attended", "Did you attend?", "Ulihudhuria?"), Q("geopoint", "where", "Where?", "Wapi?")),
            XlsFormFile.YesNo, XlsFormFile.Settings()), Ct);
        var output = Directory.CreateDirectory(Path.Combine(_folder, "out")).FullName;
        var (exit, stdout, stderr) = await CommandLineTests.RunAsync([], "questionnaires", "import", form, "--out", output);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(
            "followup.xlsx: survey row 3, column type: type 'geopoint' cannot be asked over USSD and SMS (supported: select_one, select_multiple, integer, text, note, begin group/end group)\n"
            + "Nothing was written: 1 problem.", stderr.Trim().ReplaceLineEndings("\n"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    /// <summary>A forum follow-up as M&amp;E staff would write it for KoBo: 12 questions, skip logic, a group, a note, both languages.</summary>
    private static byte[] ForumFollowUp()
    {
        string?[] headings = ["type", "name", "label::English (en)", "label::Kiswahili (sw)", "hint::English (en)", "hint::Kiswahili (sw)", "required",
            "relevant", "constraint", "constraint_message::English (en)", "constraint_message::Kiswahili (sw)", "appearance", "$kuid"];
        return XlsFormFile.Workbook(
            ("survey",
            [
                headings,
                ["start", "start"],
                ["end", "end"],
                ["text", "county", "Which county do you live in?", "Unaishi kaunti gani?", null, null, "yes", null, null, null, null, "county", "a1"],
                ["select_one role", "role", "You are answering as", "Unajibu kama", null, null, "yes"],
                ["select_one yes_no", "attended", "Did you attend the last forum?", "Ulihudhuria jukwaa lililopita?", null, null, "yes"],
                ["integer", "forums", "How many forums have you attended this year?", "Umehudhuria majukwaa mangapi mwaka huu?", null, null, "yes",
                    "${attended} = 'yes'", ". >= 1 and . <= 12", "Please give a number from 1 to 12.", "Tafadhali andika namba kutoka 1 hadi 12."],
                ["begin group", "forum", "The forum", "Jukwaa", null, null, null, "${attended} = 'yes'", null, null, null, "field-list"],
                ["select_multiple topics", "topics", "Which topics did the forum discuss?", "Jukwaa lilijadili mada gani?", "Up to 3", "Hadi 3", "yes",
                    null, "count-selected(.) <= 3", "Please choose up to 3 topics.", "Tafadhali chagua hadi mada 3."],
                ["select_one rating", "forum_useful", "How useful was the forum?", "Jukwaa lilikuwa la manufaa kiasi gani?", null, null, "yes"],
                ["end group"],
                ["select_one yes_no", "land_followup", "Was the land dispute followed up?", "Mgogoro wa ardhi ulifuatiliwa?", null, null, "yes",
                    "selected(${topics}, 'land')"],
                ["note", "safety_note", "Next: safety where you live.", "Ifuatayo: usalama unapoishi."],
                ["select_one rating", "trust_police", "How much do you trust the police?", "Unaiamini polisi kwa kiasi gani?", null, null, "yes"],
                ["select_one change", "safety_change", "Since the forum, safety where you live is", "Tangu jukwaa, usalama unapoishi ni", null, null, "yes"],
                ["select_one yes_no", "reported", "Did you report an incident since the forum?", "Uliripoti tukio tangu jukwaa?", null, null, "yes"],
                ["integer", "days_to_action", "How many days until the police acted?", "Polisi walichukua hatua baada ya siku ngapi?", null, null, "no",
                    "${reported} = 'yes'", ". >= 0 and . <= 90"],
                ["text", "suggestion", "One suggestion for the next forum", "Pendekezo moja kwa jukwaa lijalo", null, null, "no", null, "string-length(.) <= 100"],
            ]),
            ("choices",
            [
                ["list_name", "name", "label::English (en)", "label::Kiswahili (sw)"],
                ["role", "elder", "Village elder", "Mzee wa kijiji"],
                ["role", "chief", "Chief or assistant", "Chifu au msaidizi"],
                ["role", "youth", "Youth leader", "Kiongozi wa vijana"],
                ["role", "women", "Women leader", "Kiongozi wa wanawake"],
                ["yes_no", "yes", "Yes", "Ndiyo"],
                ["yes_no", "no", "No", "Hapana"],
                ["topics", "land", "Land disputes", "Migogoro ya ardhi"],
                ["topics", "gangs", "Gangs", "Magenge"],
                ["topics", "drugs", "Alcohol and drugs", "Pombe na mihadarati"],
                ["topics", "stock", "Stock theft", "Wizi wa mifugo"],
                ["topics", "gbv", "Gender violence", "Dhuluma za kijinsia"],
                ["rating", "1", "Not at all", "Hata kidogo"],
                ["rating", "2", "A little", "Kidogo"],
                ["rating", "3", "Somewhat", "Kiasi"],
                ["rating", "4", "Much", "Sana"],
                ["rating", "5", "Very much", "Sana kabisa"],
                ["change", "better", "Better", "Bora zaidi"],
                ["change", "same", "The same", "Vilevile"],
                ["change", "worse", "Worse", "Mbaya zaidi"],
            ]),
            ("settings",
            [
                ["form_title::English (en)", "form_title::Kiswahili (sw)", "form_id", "version", "opens", "closes"],
                ["Forum follow-up", "Ufuatiliaji wa jukwaa", "forum_followup", "3", "2026-11-01", "2027-06-30"],
            ]));
    }

    [Fact]
    public async Task AnImportedForumFollowUpIsAnsweredOverUssdWithItsSkipLogic()
    {
        using var dialogs = new DialogsCopy();
        var form = Path.Combine(_folder, "forum-followup.xlsx");
        await File.WriteAllBytesAsync(form, ForumFollowUp(), Ct);
        var (exit, stdout, stderr) = await CommandLineTests.RunAsync(new() { ["Dialogs__Path"] = dialogs.Path }, "questionnaires", "import", form);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Contains("forum-followup.xlsx: survey row 2: 'start' is left out: the bot records when each response starts and ends itself", stdout, StringComparison.Ordinal);
        Assert.Contains("questionnaire 'forum_followup' version 3, 12 questions, open 2026-11-01 to 2027-06-30. Restart the host to offer it.", stdout, StringComparison.Ordinal);
        Assert.Contains("forum-followup.xlsx: survey row 10: 'forum_useful' is a rating (list 'rating' is 1 to 5): asked with the bot's own words for 1 to 5, not the list's labels", stdout, StringComparison.Ordinal);
        Assert.Contains("forum-followup.xlsx: survey row 8: group 'forum' is flattened", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dialogs.Path, "questionnaires", "forum_followup.yaml")));

        await using var app = new JukwaaApp(dialogsPath: dialogs.Path);
        using var call = app.Call();
        await call.DialAsync();
        await call.SendAsync("1");
        Assert.Contains("2. Forum follow-up", await call.SendAsync("3"), StringComparison.Ordinal);
        Assert.StartsWith("CON Which county do you live in?", await call.SendAsync("2"), StringComparison.Ordinal);
        Assert.StartsWith("CON You are answering as\n1. Village elder", await call.SendAsync("Nakuru"), StringComparison.Ordinal);
        Assert.StartsWith("CON Did you attend the last forum?\n1. Yes\n2. No", await call.SendAsync("1"), StringComparison.Ordinal);
        Assert.StartsWith("CON How many forums have you attended this year?", await call.SendAsync("1"), StringComparison.Ordinal);
        Assert.Contains("Please give a number from 1 to 12.", await call.SendAsync("20"), StringComparison.Ordinal);
        Assert.StartsWith("CON Which topics did the forum discuss?\nUp to 3", await call.SendAsync("2"), StringComparison.Ordinal);
        Assert.Contains("Please choose up to 3 topics.", await call.SendAsync("1,2,3,4"), StringComparison.Ordinal);
        var rating = await call.SendAsync("1,3");
        Assert.StartsWith("CON How useful was the forum?\n1. 1 Very low", rating, StringComparison.Ordinal);
        Assert.StartsWith("CON Was the land dispute followed up?", await call.SendAsync("4"), StringComparison.Ordinal);
        Assert.StartsWith("CON Next: safety where you live.\nHow much do you trust the police?", await call.SendAsync("1"), StringComparison.Ordinal);
        Assert.StartsWith("CON Since the forum, safety where you live is\n1. Better", await call.SendAsync("3"), StringComparison.Ordinal);
        Assert.StartsWith("CON Did you report an incident since the forum?", await call.SendAsync("1"), StringComparison.Ordinal);
        // No incident reported: the days question is skipped; the suggestion is optional.
        var suggestion = await call.SendAsync("2");
        Assert.StartsWith("CON One suggestion for the next forum", suggestion, StringComparison.Ordinal);
        Assert.Contains("99. Skip", suggestion, StringComparison.Ordinal);
        Assert.StartsWith("END Thank you", await call.SendAsync("More night patrols"), StringComparison.Ordinal);

        var response = await app.QueryAsync(db => db.QuestionnaireResponses.SingleAsync(Ct));
        Assert.Equal(("forum_followup", 3, "032", true), (response.QuestionnaireId, response.Version, response.CountyCode, response.CompletedAt is not null));
        var answers = await app.QueryAsync(db => db.QuestionnaireAnswers.OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal(
            [("county", "032"), ("role", "elder"), ("attended", "yes"), ("forums", "2"), ("topics", "land,drugs"), ("forum_useful", "4"), ("land_followup", "yes"),
             ("trust_police", "3"), ("safety_change", "better"), ("reported", "no"), ("suggestion", "")],
            answers.Select(a => (a.QuestionId, a.Value)));

        // In Kiswahili, someone who did not attend skips the forum's questions, group and all.
        using var mzee = app.Call();
        await mzee.DialAsync();
        await mzee.SendAsync("2");
        await mzee.SendAsync("3");
        Assert.StartsWith("CON Unaishi kaunti gani?", await mzee.SendAsync("2"), StringComparison.Ordinal);
        await mzee.SendAsync("Kisumu");
        Assert.StartsWith("CON Ulihudhuria jukwaa lililopita?\n1. Ndiyo", await mzee.SendAsync("1"), StringComparison.Ordinal);
        Assert.StartsWith("CON Ifuatayo: usalama unapoishi.\nUnaiamini polisi kwa kiasi gani?", await mzee.SendAsync("2"), StringComparison.Ordinal);
    }
}
