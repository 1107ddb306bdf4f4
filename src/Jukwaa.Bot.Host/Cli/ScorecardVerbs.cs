using System.CommandLine;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Core.Scorecards;

namespace Jukwaa.Bot.Host.Cli;

/// <summary><c>scorecards import</c> (official values), <c>show</c> and <c>preview</c> (computed, not stored), <c>publish</c>, <c>withdraw</c> and <c>correct</c>.</summary>
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
            var publications = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            foreach (var published in rows.Select(r => r.Quarter).Distinct().Order(StringComparer.Ordinal))
            {
                if ((await publications.PublishedAsync(published, cancellationToken)).Count == 0) continue;
                Console.Error.WriteLine($"Warning: {published} is already published; its published figures do not change. "
                    + $"'scorecards correct {published} --reason \"...\"' publishes these values and tells subscribers.");
            }
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
        var publishQuarter = new Argument<string>("quarter") { Description = "Like 2026Q1; it must have ended." };
        var publish = new Command("publish", "Freeze an ended quarter's scorecards and send each subscriber theirs, once.") { publishQuarter };
        publish.SetAction((parse, cancellationToken) => RunAsync(buildApp, parse.GetValue(publishQuarter)!, async (publisher, q, _) =>
        {
            var result = await publisher.PublishAsync(q, cancellationToken);
            Console.WriteLine($"{q}: {result.Counties} county scorecards published; queued for {result.Sent} subscribers (messages tail shows them leave), "
                + $"{result.AlreadySent} already had it, {result.Stopped} stopped or unreachable.");
        }));

        var previewQuarter = new Argument<string>("quarter") { Description = "Like 2026Q1; it may still be running." };
        var preview = new Command("preview", "Every county's scorecard for a quarter as it would be published (the SMS summary); nothing is stored or sent.") { previewQuarter, language };
        preview.SetAction((parse, cancellationToken) => RunAsync(buildApp, parse.GetValue(previewQuarter)!, async (publisher, q, services) =>
        {
            var catalog = services.GetRequiredService<DialogCatalog>();
            foreach (var card in await publisher.PreviewAsync(q, cancellationToken)) Console.WriteLine(ScorecardText.Summary(card, catalog, parse.GetValue(language)!));
            Console.WriteLine($"Preview only: nothing was published or sent.");
        }));

        var reasonOption = new Option<string>("--reason") { Description = "Why; shown on the public pages (at most 300 characters).", Required = true };
        var withdrawQuarter = new Argument<string>("quarter") { Description = "A published quarter, like 2026Q1." };
        var withdraw = new Command("withdraw", "Take a published quarter down: it stops being the latest anywhere; the reason is shown publicly; nothing is sent.") { withdrawQuarter, reasonOption };
        withdraw.SetAction((parse, cancellationToken) => RunAsync(buildApp, parse.GetValue(withdrawQuarter)!, async (publisher, q, _) =>
        {
            var counties = await publisher.WithdrawAsync(q, parse.GetValue(reasonOption)!, cancellationToken);
            Console.WriteLine($"{q}: {counties} county scorecards withdrawn; nothing was sent.");
        }));

        var correctQuarter = new Argument<string>("quarter") { Description = "A published or withdrawn quarter, like 2026Q1." };
        var correct = new Command("correct", "Re-compute a published quarter from the current values; subscribers of each changed county are told once, with the reason.") { correctQuarter, reasonOption };
        correct.SetAction((parse, cancellationToken) => RunAsync(buildApp, parse.GetValue(correctQuarter)!, async (publisher, q, _) =>
        {
            var result = await publisher.CorrectAsync(q, parse.GetValue(reasonOption)!, cancellationToken);
            Console.WriteLine($"{q}: {result.Counties.Count} county scorecards corrected; queued for {result.Sent} subscribers, {result.Stopped} stopped or unreachable.");
        }));
        return new Command("scorecards", "County scorecards.") { import, show, preview, publish, withdraw, correct };
    }

    /// <summary>Parses the quarter and runs one publication step; a refusal is one line on stderr and exit 1.</summary>
    private static async Task<int> RunAsync(Func<WebApplication> buildApp, string text, Func<ScorecardPublisher, Quarter, IServiceProvider, Task> step)
    {
        if (Quarter.Parse(text) is not { } q)
        {
            Console.Error.WriteLine($"'{text}' is not a quarter like 2026Q1.");
            return 1;
        }
        await using var app = buildApp();
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            await step(scope.ServiceProvider.GetRequiredService<ScorecardPublisher>(), q, scope.ServiceProvider);
            return 0;
        }
        catch (ScorecardPublicationException refused)
        {
            Console.Error.WriteLine(refused.Message);
            return 1;
        }
    }
}
