using System.CommandLine;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Host.Hosting;

namespace Jukwaa.Bot.Host.Cli;

/// <summary><c>questionnaires import FORM.xlsx</c>: an XLSForm becomes a questionnaire in <c>dialogs/questionnaires/</c>.</summary>
public static class QuestionnaireVerbs
{
    public static Command Command(Func<DialogCatalogLoader> loader)
    {
        var form = new Argument<FileInfo>("form") { Description = "The XLSForm workbook (.xlsx) with survey, choices and settings sheets." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "The questionnaires folder to write into (default: questionnaires/ in the dialogs folder)." };
        var force = new Option<bool>("--force") { Description = "Replace the file that already holds this form_id and version." };
        var import = new Command("import", "Convert an XLSForm into a questionnaire, checked like every definition; nothing is written if any row is refused.") { form, output, force };
        import.SetAction(parse =>
        {
            var file = parse.GetValue(form)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"{file.Name}: no such file.");
                return 1;
            }
            var folder = parse.GetValue(output)?.FullName
                ?? Path.Combine(DialogsLocation.Find(WebApplication.CreateBuilder().Configuration), DialogCatalogLoader.QuestionnairesFolder);
            // Kenya keeps East Africa Time all year: the default opening day is today there.
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3));
            XlsFormImport result;
            using (var stream = file.OpenRead())
            {
                result = new XlsFormImporter(loader()).Import(stream, file.Name, folder, parse.GetValue(force), today);
            }
            foreach (var error in result.Errors) Console.Error.WriteLine(error);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"Nothing was written: {result.Errors.Count} problem{(result.Errors.Count == 1 ? "" : "s")}.");
                return 1;
            }
            foreach (var note in result.Notes) Console.WriteLine(note);
            var questionnaire = result.Questionnaire!;
            var written = Path.GetRelativePath(Directory.GetCurrentDirectory(), result.WrittenTo!);
            Console.WriteLine($"Wrote {(written.StartsWith("..", StringComparison.Ordinal) ? result.WrittenTo : written)}: questionnaire '{questionnaire.Id}' version {questionnaire.Version}, "
                + $"{questionnaire.Questions.Count} questions, open {questionnaire.Opens:yyyy-MM-dd} to {questionnaire.Closes:yyyy-MM-dd}. Restart the host to offer it.");
            return 0;
        });
        return new Command("questionnaires", "Questionnaires: import an XLSForm.") { import };
    }
}
