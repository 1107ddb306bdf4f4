using System.CommandLine;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Host.Cli;

/// <summary><c>results summary</c> and <c>results export</c>: what the questionnaires gathered, by county, without identities or free text.</summary>
public static class ResultsVerbs
{
    public static Command Command(Func<WebApplication> buildApp)
    {
        var questionnaire = new Argument<string>("questionnaire") { Description = "The questionnaire id, e.g. forum." };
        var county = new Option<string?>("--county") { Description = "Only this county (name or code)." };
        var summary = new Command("summary", "Counts per choice, means of ratings and integers, respondents complete and incomplete.") { questionnaire, county };
        summary.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            if (Resolve(app, parse.GetValue(questionnaire)!, parse.GetValue(county)) is not { } target) return 1;
            Console.Write(await scope.ServiceProvider.GetRequiredService<QuestionnaireResults>().SummaryAsync(target.Id, target.County, cancellationToken));
            return 0;
        });

        var format = new Option<string>("--format") { Description = "csv (default) or xlsx (needs --output).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "xlsx");
        var output = new Option<string?>("--output", "-o") { Description = "A file to write; standard output by default (csv only)." };
        var freeText = new Option<bool>("--free-text") { Description = "Include free-text answers (never who gave them), as M&E staff see them in the console." };
        var export = new Command("export", "One row per response, columns in questionnaire order, streamed.") { questionnaire, format, county, output, freeText };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var xlsx = parse.GetValue(format) == "xlsx";
            var file = parse.GetValue(output);
            if (xlsx && file is null)
            {
                Console.Error.WriteLine("An .xlsx export needs --output FILE.");
                return 1;
            }
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            if (Resolve(app, parse.GetValue(questionnaire)!, parse.GetValue(county)) is not { } target) return 1;
            var results = scope.ServiceProvider.GetRequiredService<QuestionnaireResults>();
            var filter = new ResultsFilter(target.Id, Counties: target.County is null ? null : [target.County]);
            var withText = parse.GetValue(freeText);
            if (file is null)
            {
                await results.ExportAsync(filter, withText, new CsvResultsSheet(Console.Out), cancellationToken);
                return 0;
            }
            int rows;
            await using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write))
            {
                if (xlsx)
                {
                    using var sheet = new XlsxResultsSheet(stream, target.Id);
                    rows = await results.ExportAsync(filter, withText, sheet, cancellationToken);
                }
                else
                {
                    await using var writer = new StreamWriter(stream);
                    rows = await results.ExportAsync(filter, withText, new CsvResultsSheet(writer), cancellationToken);
                }
            }
            Console.Error.WriteLine($"{rows} responses written to {file}.");
            return 0;
        });

        return new Command("results", "Questionnaire results.") { summary, export };
    }

    private static (string Id, string? County)? Resolve(WebApplication app, string id, string? county)
    {
        var catalog = app.Services.GetRequiredService<DialogCatalog>();
        if (catalog.Questionnaire(id) is null)
        {
            Console.Error.WriteLine($"No questionnaire '{id}'. Known: {string.Join(", ", catalog.Questionnaires.Select(q => q.Id).Distinct())}.");
            return null;
        }
        if (county is null) return (id, null);
        if (CountySearchAction.Search(catalog, county) is [var one]) return (id, one.Code);
        Console.Error.WriteLine($"'{county}' is not one county; use its name or code.");
        return null;
    }
}
