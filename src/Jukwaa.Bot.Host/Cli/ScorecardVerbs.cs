using System.CommandLine;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Core.Scorecards;

namespace Jukwaa.Bot.Host.Cli;

/// <summary><c>scorecards import</c> (official values) and <c>scorecards show</c> (a county's scorecard for a quarter).</summary>
public static class ScorecardVerbs
{
    public static Command Command(Func<WebApplication> buildApp)
    {
        var file = new Argument<string>("file") { Description = "CSV with the columns county,quarter,indicator,target,achieved,source." };
        var import = new Command("import", "Load official indicator values; nothing is imported if any row is bad.") { file };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"No file '{path}'.");
                return 1;
            }
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            using var reader = new StreamReader(path);
            var (rows, errors) = ScorecardImport.Read(reader, app.Services.GetRequiredService<DialogCatalog>(), DateTime.UtcNow);
            if (errors.Count > 0)
            {
                foreach (var error in errors) Console.Error.WriteLine($"{path}: {error}");
                Console.Error.WriteLine($"Nothing imported: {errors.Count} problem(s).");
                return 1;
            }
            var (added, updated, unchanged) = await scope.ServiceProvider.GetRequiredService<IScorecardStore>().UpsertAsync(rows, cancellationToken);
            Console.WriteLine($"Imported {rows.Count} rows: {added} new, {updated} changed, {unchanged} unchanged.");
            return 0;
        });

        var county = new Argument<string>("county") { Description = "County name or code." };
        var quarter = new Argument<string>("quarter") { Description = "Like 2026Q1." };
        var language = new Option<string>("--language") { Description = "en or sw.", DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong("en", "sw");
        var show = new Command("show", "A county's scorecard for a quarter: indicators against targets and citizen feedback, graded.") { county, quarter, language };
        show.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var catalog = app.Services.GetRequiredService<DialogCatalog>();
            if (CountySearchAction.Search(catalog, parse.GetValue(county)!) is not [var one])
            {
                Console.Error.WriteLine($"'{parse.GetValue(county)}' is not one county.");
                return 1;
            }
            if (Quarter.Parse(parse.GetValue(quarter)!) is not { } q)
            {
                Console.Error.WriteLine($"'{parse.GetValue(quarter)}' is not a quarter like 2026Q1.");
                return 1;
            }
            var card = await scope.ServiceProvider.GetRequiredService<ScorecardCalculator>().ComputeAsync(one, q, cancellationToken);
            Console.WriteLine(ScorecardText.Full(card, catalog, parse.GetValue(language)!));
            return 0;
        });
        var publishQuarter = new Argument<string>("quarter") { Description = "Like 2026Q1." };
        var publish = new Command("publish", "Freeze a quarter's scorecards and send each subscriber theirs, once.") { publishQuarter };
        publish.SetAction(async (parse, cancellationToken) =>
        {
            if (Quarter.Parse(parse.GetValue(publishQuarter)!) is not { } q)
            {
                Console.Error.WriteLine($"'{parse.GetValue(publishQuarter)}' is not a quarter like 2026Q1.");
                return 1;
            }
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ScorecardPublisher>().PublishAsync(q, cancellationToken);
            Console.WriteLine($"{q}: {result.Counties} county scorecards published; sent to {result.Sent} subscribers, "
                + $"{result.AlreadySent} already had it, {result.Stopped} stopped or unreachable.");
            return 0;
        });
        return new Command("scorecards", "County scorecards.") { import, show, publish };
    }
}
