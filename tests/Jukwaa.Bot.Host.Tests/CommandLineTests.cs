using System.Diagnostics;
using Jukwaa.Bot.Host.Cli;
using Jukwaa.Bot.Tests;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>The verbs, run as a person runs them: the host's executable in its own process.</summary>
public class CommandLineTests
{
    private static Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    internal static async Task<(int ExitCode, string Output, string Errors)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = RepoPaths.Root,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jukwaa.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // A verb that runs on (a web server started by mistake) is a failure, not a hung test run.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{string.Join(' ', args)}` was still running after 60 s: {await output}");
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>A host's settings with its database in <paramref name="folder"/>.</summary>
    private static Dictionary<string, string> Development(string folder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ConnectionStrings__Jukwaa"] = $"Data Source={folder}/jukwaa.db",
        ["Protection__HashKey"] = Convert.ToBase64String(new byte[32]),
        ["Protection__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
    };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("reprots", "--urls", "http://127.0.0.1:0")]
    [InlineData("mesages", "tail")]
    public async Task AnUnknownVerbExitsWithTheListOfVerbs(params string[] args)
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-verbs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, errors) = await RunAsync(Development(folder), args);
            Assert.NotEqual(0, exit);
            Assert.Equal($"Unknown verb '{args[0]}'. Verbs: serve (the default), migrate, dialogs, simulate, messages, telegram, officers, results, scorecards, people, questionnaires. "
                + "Add --help to any of them for more.", errors.Trim());
            Assert.Equal("", output);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AVerbOnAMisconfiguredHostSaysWhatToFixInALineNotAStackTrace()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-verb-" + Guid.NewGuid().ToString("N"));
        try
        {
            var production = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ConnectionStrings__Jukwaa"] = $"Data Source={folder}/jukwaa.db",
            };
            var (exit, output, errors) = await RunAsync(production, "people", "export", "+254700000001");
            Assert.Equal(1, exit);
            Assert.Equal("", output);
            Assert.Equal("Jukwaa Bot cannot run 'people': Protection:HashKey and Protection:EncryptionKey must both be set outside Development "
                + "(base64, 32 bytes each; e.g. `openssl rand -base64 32`).", errors.Trim());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ServeOnABusyPortSaysSoInOneLine()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-serve-" + Guid.NewGuid().ToString("N"));
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)busy.LocalEndpoint).Port}";
        try
        {
            // `serve` and no verb at all both take ASP.NET Core's own options.
            foreach (var args in new[] { new[] { "serve", "--urls", url }, ["--urls", url] })
            {
                var (exit, output, errors) = await RunAsync(Development(folder), args);
                Assert.NotEqual(0, exit);
                Assert.Equal($"Cannot serve: Failed to bind to address {url}: address already in use (is another host running?). Stop it, or choose another address with --urls.",
                    errors.Trim());
                Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SimulateAgainstAHostThatIsDownSaysSoInOneLine()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var (exit, output, errors) = await RunAsync("simulate", "--url", url);
        Assert.NotEqual(0, exit);
        Assert.Matches($@"^Cannot reach {System.Text.RegularExpressions.Regex.Escape(url)}/: .+ \(is the host running\?\)$", errors.Trim());
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateCreatesTheDatabaseOfAProductionHost()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-migrate-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, errors) = await RunAsync(new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Jukwaa"] = $"Data Source={folder}/jukwaa.db",
                ["Protection__HashKey"] = Convert.ToBase64String(new byte[32]),
                ["Protection__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
                ["Channels__AfricasTalking__WebhookSecret"] = "s3cret",
            }, "migrate");
            Assert.True(exit == 0, errors);
            Assert.Contains("Database is up to date (Sqlite).", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "jukwaa.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task OfficersAreAddedListedAndDisabled()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-officers-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Jukwaa"] = $"Data Source={folder}/jukwaa.db",
            ["Protection__HashKey"] = Convert.ToBase64String(new byte[32]),
            ["Protection__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
        };
        try
        {
            Assert.Equal(0, (await RunAsync(environment, "migrate")).ExitCode);
            var added = await RunAsync(environment, "officers", "add", "--name", "J. Otieno", "--role", "regional",
                "--county", "Nakuru", "--county", "033", "--telegram-id", "5551234", "--phone", "0712345678", "--sensitive");
            Assert.True(added.ExitCode == 0, added.Errors);
            Assert.Matches(@"^Officer [0-9a-f-]{36} added: J\. Otieno, regional, Nakuru, Narok, Telegram 5551234, phone \+2547\*{5}678, sees sensitive reports", added.Output);

            var refused = await RunAsync(environment, "officers", "add", "--name", "X", "--role", "county");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("needs at least one --county", refused.Errors, StringComparison.Ordinal);
            var unknown = await RunAsync(environment, "officers", "add", "--name", "X", "--role", "county", "--county", "Atlantis");
            Assert.Contains("'Atlantis' is not one county", unknown.Errors, StringComparison.Ordinal);

            Assert.Equal(0, (await RunAsync(environment, "officers", "add", "--name", "HQ", "--role", "national")).ExitCode);
            Assert.Equal(0, (await RunAsync(environment, "officers", "add", "--name", "M. Wanjiku", "--role", "analyst")).ExitCode);
            var id = added.Output.Split(' ')[1];
            Assert.Equal(0, (await RunAsync(environment, "officers", "disable", id)).ExitCode);
            var list = await RunAsync(environment, "officers", "list");
            Assert.Contains($"{id}  J. Otieno, regional, Nakuru, Narok, Telegram 5551234, phone +2547*****678, sees sensitive reports, DISABLED", list.Output, StringComparison.Ordinal);
            Assert.Contains("HQ, national, all counties, no Telegram", list.Output, StringComparison.Ordinal);
            Assert.Contains("M. Wanjiku, analyst, all counties, no Telegram", list.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("712345678", list.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ASecondOfficerWithTheSameTelegramIdIsRefused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jukwaa-officers-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Jukwaa"] = $"Data Source={folder}/jukwaa.db",
            ["Protection__HashKey"] = Convert.ToBase64String(new byte[32]),
            ["Protection__EncryptionKey"] = Convert.ToBase64String(new byte[32]),
        };
        try
        {
            Assert.Equal(0, (await RunAsync(environment, "migrate")).ExitCode);
            var first = await RunAsync(environment, "officers", "add", "--name", "J. Otieno", "--role", "county", "--county", "Nakuru", "--telegram-id", "5551234");
            Assert.True(first.ExitCode == 0, first.Errors);
            var id = first.Output.Split(' ')[1];

            var second = await RunAsync(environment, "officers", "add", "--name", "A. Wanjiku", "--role", "admin", "--telegram-id", "5551234");
            Assert.Equal(1, second.ExitCode);
            Assert.Equal($"Telegram id 5551234 is already registered to officer {id} (J. Otieno): one Telegram account is one officer. Disable that officer first (officers disable {id}) or check the id.",
                second.Errors.Trim());
            var list = await RunAsync(environment, "officers", "list");
            Assert.Equal([$"{id}  J. Otieno, county, Nakuru, Telegram 5551234"], list.Output.TrimEnd().Split('\n'));

            // Once the first is disabled, the account may be registered again (e.g. with another role).
            Assert.Equal(0, (await RunAsync(environment, "officers", "disable", id)).ExitCode);
            var again = await RunAsync(environment, "officers", "add", "--name", "J. Otieno", "--role", "regional", "--county", "Nakuru", "--county", "Narok", "--telegram-id", "5551234");
            Assert.True(again.ExitCode == 0, again.Errors);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ResultsVerbsSummarizeAndExportFromTheCommandLine()
    {
        await using var app = new JukwaaApp();
        using (var call = app.Call())
        {
            await call.DialAsync();
            await call.SendAsync("1");
            await call.SendAsync("3");
            await call.SendAsync("Nakuru");
            await call.SendAsync("1");
        }
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Jukwaa"] = app.Settings["ConnectionStrings:Jukwaa"]!,
            ["Protection__HashKey"] = app.Settings["Protection:HashKey"]!,
            ["Protection__EncryptionKey"] = app.Settings["Protection:EncryptionKey"]!,
        };
        var summary = await RunAsync(environment, "results", "summary", "forum", "--county", "032");
        Assert.True(summary.ExitCode == 0, summary.Errors);
        Assert.Contains("Forum questionnaire (forum), Nakuru\nRespondents: 1; responses complete 0, incomplete 1", summary.Output, StringComparison.Ordinal);
        Assert.Contains("respondent (single): Village elder 1, Youth 0", summary.Output, StringComparison.Ordinal);

        var export = await RunAsync(environment, "results", "export", "forum", "--format", "csv");
        var lines = export.Output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("response,questionnaire,version,county,county_name,language,channel,started,completed,respondent,concerns.terrorism", lines[0], StringComparison.Ordinal);
        Assert.Contains(",032,Nakuru,en,ussd,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",elder,", lines[1], StringComparison.Ordinal);

        Assert.Contains("needs --output", (await RunAsync(environment, "results", "export", "forum", "--format", "xlsx")).Errors, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"forum-{Guid.NewGuid():N}.xlsx");
        try
        {
            var xlsx = await RunAsync(environment, "results", "export", "forum", "--format", "xlsx", "-o", file);
            Assert.True(xlsx.ExitCode == 0, xlsx.Errors);
            Assert.Contains($"1 responses written to {file}.", xlsx.Errors, StringComparison.Ordinal);
            using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(file, false);
            var rows = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ToList();
            Assert.Equal(2, rows.Count);
            Assert.Equal(lines[0].Split(','), rows[0].Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InnerText));
        }
        finally
        {
            File.Delete(file);
        }

        var unknown = await RunAsync(environment, "results", "summary", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No questionnaire 'nope'. Known: forum.", unknown.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DialogsCheckPassesOnTheShippedDialogs()
    {
        var (exit, output, _) = await RunAsync("dialogs", "check");
        Assert.Equal(0, exit);
        var dialogs = Directory.EnumerateFiles(RepoPaths.Dialogs, "*.yaml").Count() - 5;   // all but strings, counties, categories, keywords, indicators
        var keywords = System.Text.RegularExpressions.Regex.Count(File.ReadAllText(Path.Combine(RepoPaths.Dialogs, "keywords.yaml")), "^  - id:", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.StartsWith($"OK: {dialogs} dialogs, {keywords} keywords", output, StringComparison.Ordinal);
        Assert.Contains("47 counties, 12 categories", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DialogsCheckFailsWithFileLineAndReason()
    {
        using var broken = new DialogsCopy();
        broken.Edit("status.yaml", s => s.Replace("action: report.status", "action: report.state", StringComparison.Ordinal));

        var (exit, _, errors) = await RunAsync("dialogs", "check", "--path", broken.Path);
        Assert.Equal(1, exit);
        Assert.Matches(@"status\.yaml:\d+: state 'ask' runs action 'report.state', which does not exist", errors);
    }

    [Fact]
    public async Task DialogsGraphDrawsMermaidOrDot()
    {
        var mermaid = await RunAsync("dialogs", "graph", "report");
        Assert.Equal(0, mermaid.ExitCode);
        Assert.Contains("stateDiagram-v2", mermaid.Output, StringComparison.Ordinal);
        Assert.Contains("summary --> submit", mermaid.Output, StringComparison.Ordinal);

        var dot = await RunAsync("dialogs", "graph", "report", "--format", "dot");
        Assert.Equal(0, dot.ExitCode);
        Assert.Contains("digraph", dot.Output, StringComparison.Ordinal);

        var unknown = await RunAsync("dialogs", "graph", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No dialog 'nope'", unknown.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSimulatorWalksTheMenusLikeAPhone()
    {
        await using var app = new JukwaaApp();
        using var input = new StringReader("1\n2\n12345\n:hangup\n:q\n");
        using var output = new StringWriter();
        var simulator = new PhoneSimulator(new InProcessGateway(app.Services), "0712000111", "*384*57#", input, output);

        Assert.Equal(0, await simulator.RunAsync(TestContext.Current.CancellationToken));
        var shown = output.ToString();
        Assert.Contains("Dialling *384*57# as +254712000111", shown, StringComparison.Ordinal);
        Assert.Contains("| Jukwaa la Usalama. Choose language / Chagua lugha", shown, StringComparison.Ordinal);
        Assert.Contains("| Type the reference number of your report", shown, StringComparison.Ordinal);
        Assert.Contains("| 12345 is not a valid reference. Check the digits.", shown, StringComparison.Ordinal);
        Assert.Contains("(call dropped: dialling again)", shown, StringComparison.Ordinal);
    }
}
