using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Questionnaires;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>Questionnaire results in the web console: scope, free text for M&amp;E only and without identity, filters, charts against tables, downloads.</summary>
public partial class ConsoleResultsTests
{
    private const string Nakuru = "032";
    private const string Kisumu = "042";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One response as the dialog stores it; the person's phone is never stored in clear, so a test can look for the hash and the id.</summary>
    internal sealed record Given(string County, Channel Channel, string Language, DateTime Started, bool Complete, string Respondent, string Concerns, int TrustPolice, string? Suggestion);

    private static readonly Given[] s_responses =
    [
        new(Nakuru, Channel.Ussd, "en", new(2026, 11, 10, 8, 0, 0, DateTimeKind.Utc), true, "elder", "gangs,land", 4, "Night patrols at Kondele"),
        new(Nakuru, Channel.Ussd, "en", new(2026, 11, 10, 9, 0, 0, DateTimeKind.Utc), true, "youth", "gangs", 2, null),
        new(Nakuru, Channel.Sms, "en", new(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc), false, "elder", "stock_theft", 5, null),
        new(Kisumu, Channel.Sms, "sw", new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc), true, "women", "gangs", 3, "Taa za barabarani sokoni"),
        new(Kisumu, Channel.Sms, "sw", new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc), true, "elder", "land", 1, null),
    ];

    /// <summary>The five responses above, with their people; the people's ids, to check that none is ever shown.</summary>
    internal static async Task<List<Guid>> SeedAsync(JukwaaApp app)
    {
        var protector = app.Service<PersonalDataProtector>();
        var people = new List<Guid>();
        await app.QueryAsync(db =>
        {
            foreach (var given in s_responses)
            {
                var person = new Person { AddressHash = protector.Hash(JukwaaApp.RandomPhone()), AddressSealed = protector.Seal("+254700000000"), Language = given.Language, CreatedAt = given.Started };
                people.Add(person.Id);
                db.People.Add(person);
                var response = new QuestionnaireResponse
                {
                    QuestionnaireId = "forum", Version = 1, PersonId = person.Id, Channel = given.Channel, CountyCode = given.County,
                    StartedAt = given.Started, CompletedAt = given.Complete ? given.Started.AddMinutes(4) : null,
                };
                db.QuestionnaireResponses.Add(response);
                void Answer(string question, string value, string? text = null) => db.QuestionnaireAnswers.Add(new QuestionnaireAnswer
                {
                    ResponseId = response.Id, QuestionId = question, Value = value, TextSealed = text is null ? null : protector.Seal(text), AnsweredAt = given.Started,
                });
                Answer("county", given.County);
                Answer("respondent", given.Respondent);
                Answer("concerns", given.Concerns);
                Answer("trust_police", given.TrustPolice.ToString(CultureInfo.InvariantCulture));
                if (given.Suggestion is { } suggestion) Answer("suggestion", "", suggestion);
            }
            return db.SaveChangesAsync(Ct);
        });
        return people;
    }

    private static Task<ConsoleVisitor> AsAsync(JukwaaApp app, OfficerRole role, string counties = "") =>
        ConsoleTests.AddOfficerAsync(app, "Officer " + role, role, counties).ContinueWith(t => ConsoleTests.SignedInAsync(app, t.Result), Ct).Unwrap();

    private static string Figure(string html, string label) =>
        Regex.Match(ConsoleVisitor.Text(html), Regex.Escape(label) + @" (\d+)").Groups[1].Value;

    [Fact]
    public async Task ACountyOfficerSeesTheResultsOfTheirCountiesOnlyAndNeverFreeText()
    {
        await using var app = new JukwaaApp();
        await SeedAsync(app);
        var officer = await AsAsync(app, OfficerRole.County, Nakuru);

        var list = ConsoleVisitor.Text(await officer.PageAsync("/console/results"));
        Assert.Contains("Forum questionnaire 1 01/01/2026 – 31/12/2027 3", list, StringComparison.Ordinal);

        var html = await officer.PageAsync("/console/results/forum/1");
        var text = ConsoleVisitor.Text(html);
        Assert.Equal(("3", "2", "1"), (Figure(html, "Respondents"), Figure(html, "Complete"), Figure(html, "Not finished")));
        Assert.Contains("Nakuru", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kisumu", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kondele", text, StringComparison.Ordinal);
        Assert.Contains("Free-text answers are read by M&E staff only.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Read the answers", text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/console/results/forum/1?county={Kisumu}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/console/results/forum/1/text/suggestion")).Status);

        var csv = await DownloadAsync(officer, "/console/results/forum/responses.csv");
        Assert.Equal(4, csv.Length);
        Assert.All(csv.Skip(1), row => Assert.Equal((Nakuru, "Nakuru"), (row[3], row[4])));
        Assert.DoesNotContain("suggestion", csv[0]);
        Assert.Equal(csv, ReadXlsx(await BytesAsync(officer, "/console/results/forum/responses.xlsx")));
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/console/results/forum/responses.csv?county={Kisumu}")).Status);
    }

    [Fact]
    public async Task AnMAndEAnalystReadsFreeTextButNeverWhoWroteIt()
    {
        await using var app = new JukwaaApp();
        var people = await SeedAsync(app);
        var analyst = await AsAsync(app, OfficerRole.Analyst);

        var results = await analyst.PageAsync("/console/results/forum/1");
        Assert.Contains("(M&E, read-only)", ConsoleVisitor.Text(results), StringComparison.Ordinal);
        Assert.Equal("5", Figure(results, "Respondents"));
        Assert.Contains("href=\"/console/results/forum/1/text/suggestion\"", results, StringComparison.Ordinal);

        var page = await analyst.PageAsync("/console/results/forum/1/text/suggestion");
        var text = ConsoleVisitor.Text(page);
        Assert.Contains("2 answers, newest first, page 1. Who wrote them is never shown.", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Taa za barabarani sokoni", StringComparison.Ordinal) < text.IndexOf("Night patrols at Kondele", StringComparison.Ordinal), text);
        // Only Nakuru's: the filters apply to free text too.
        Assert.DoesNotContain("Taa za", ConsoleVisitor.Text(await analyst.PageAsync($"/console/results/forum/1/text/suggestion?county={Nakuru}")), StringComparison.Ordinal);

        var csv = await DownloadAsync(analyst, "/console/results/forum/responses.csv?version=1");
        Assert.Equal(6, csv.Length);
        var suggestion = Array.IndexOf(csv[0], "suggestion");
        Assert.True(suggestion > 0, string.Join(",", csv[0]));
        Assert.Equal(["Night patrols at Kondele", "", "", "Taa za barabarani sokoni", ""], csv.Skip(1).Select(r => r[suggestion]));

        foreach (var body in new[] { page, results, string.Join("\n", csv.Select(r => string.Join(",", r))) })
        {
            foreach (var person in people)
            {
                Assert.DoesNotContain(person.ToString(), body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(person.ToString("N"), body, StringComparison.OrdinalIgnoreCase);
            }
            Assert.DoesNotContain("+2547", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FiltersByCountyChannelAndDaysChangeTheNumbers()
    {
        await using var app = new JukwaaApp();
        await SeedAsync(app);
        var analyst = await AsAsync(app, OfficerRole.Analyst);

        Assert.Equal("5", Figure(await analyst.PageAsync("/console/results/forum/1"), "Respondents"));
        Assert.Equal("3", Figure(await analyst.PageAsync($"/console/results/forum/1?county={Nakuru}"), "Respondents"));
        Assert.Equal("3", Figure(await analyst.PageAsync("/console/results/forum/1?channel=sms"), "Respondents"));
        // Days are Kenya time: 20/11 starts at 21:00 UTC on the 19th.
        var late = await analyst.PageAsync("/console/results/forum/1?from=2026-11-20&to=2026-11-20");
        Assert.Equal(("2", "1", "1"), (Figure(late, "Respondents"), Figure(late, "Complete"), Figure(late, "Not finished")));
        var smsInNakuru = await analyst.PageAsync($"/console/results/forum/1?county={Nakuru}&channel=sms");
        Assert.Equal("1", Figure(smsInNakuru, "Respondents"));
        Assert.Contains("<tr><th scope=\"row\">Village elder</th><td>1</td><td>100.0 %</td></tr>", smsInNakuru, StringComparison.Ordinal);

        // The downloads follow the same filters.
        Assert.Equal(2, (await DownloadAsync(analyst, "/console/results/forum/responses.csv?channel=sms&from=2026-11-21")).Length);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync("/console/results/forum/1?channel=fax")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync("/console/results/forum/1?from=20/11/2026")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/console/results/forum/9")).Status);
    }

    [Fact]
    public async Task EveryPercentBarIsAsLongAsTheTableBesideItSays()
    {
        await using var app = new JukwaaApp();
        await SeedAsync(app);
        var analyst = await AsAsync(app, OfficerRole.Analyst);
        var html = await analyst.PageAsync("/console/results/forum/1?lang=sw");
        Assert.Contains("Waliojibu 5", ConsoleVisitor.Text(html), StringComparison.Ordinal);

        var table = TableRow().Matches(html).Select(m => (Label: WebUtility.HtmlDecode(m.Groups[1].Value), Count: m.Groups[2].Value, Percent: m.Groups[3].Value)).ToList();
        var bars = Bar().Matches(html).ToList();
        Assert.True(bars.Count >= 20, $"{bars.Count} bars");
        foreach (Match bar in bars)
        {
            var (width, label, count, percent) = (double.Parse(bar.Groups[1].Value, CultureInfo.InvariantCulture), WebUtility.HtmlDecode(bar.Groups[2].Value), bar.Groups[3].Value, bar.Groups[4].Value);
            Assert.Contains((label, count, percent), table);
            Assert.Equal(double.Parse(percent, CultureInfo.InvariantCulture) * 2.9, width, 0.2);
        }
        // Elders are 3 of 5 who answered; gangs were chosen by 3 of 5 (with other concerns; the shares add to more than 100).
        Assert.Contains(("Mzee wa kijiji", "3", "60.0"), table);
        Assert.Contains(("Magenge", "3", "60.0"), table);
        Assert.Contains("Wastani 3.00", ConsoleVisitor.Text(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsvHeaderNamesEachColumnOnceAndTheXlsxHoldsTheSameRows()
    {
        await using var app = new JukwaaApp();
        await SeedAsync(app);
        var analyst = await AsAsync(app, OfficerRole.Analyst);

        using var response = await analyst.Client.GetAsync("/console/results/forum/responses.csv", Ct);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("forum-responses.csv", response.Content.Headers.ContentDisposition?.FileName);
        var csv = await DownloadAsync(analyst, "/console/results/forum/responses.csv");
        Assert.Equal(csv[0].Length, csv[0].Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["response", "questionnaire", "version", "county", "county_name", "language", "channel", "started", "completed", "respondent"], csv[0][..10]);
        Assert.Contains(csv, r => r.Skip(3).Take(4).SequenceEqual([Kisumu, "Kisumu", "sw", "sms"]));

        using var xlsxResponse = await analyst.Client.GetAsync("/console/results/forum/responses.xlsx", Ct);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsxResponse.Content.Headers.ContentType?.MediaType);
        var xlsx = ReadXlsx(await xlsxResponse.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(csv, xlsx);
        // In the workbook the county code is text, so a spreadsheet keeps its leading zero; a rating is a number.
        var cells = XlsxCells(await xlsxResponse.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(CellValues.InlineString, cells[1][3].DataType?.Value);
        Assert.Equal(CellValues.Number, cells[1][Array.IndexOf(csv[0], "trust_police")].DataType?.Value);
    }

    private static async Task<byte[]> BytesAsync(ConsoleVisitor visitor, string path)
    {
        using var response = await visitor.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>The CSV as rows of cells (RFC 4180 quoting).</summary>
    private static async Task<string[][]> DownloadAsync(ConsoleVisitor visitor, string path)
    {
        var bytes = await BytesAsync(visitor, path);
        // Excel needs the byte-order mark to read UTF-8; a CSV reader skips it.
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\n') { row.Add(cell.ToString().TrimEnd('\r')); cell.Clear(); rows.Add([.. row]); row.Clear(); }
            else cell.Append(c);
        }
        return [.. rows];
    }

    private static List<Cell[]> XlsxCells(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return [.. sheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToArray())];
    }

    /// <summary>The workbook's one sheet as rows of text, read back with OpenXml.</summary>
    private static string[][] ReadXlsx(byte[] bytes) =>
        [.. XlsxCells(bytes).Select(r => r.Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "").ToArray())];

    [GeneratedRegex("""<tr><th scope="row">([^<]*)</th><td>([\d,]+)</td><td>([\d.]+) %</td></tr>""")]
    private static partial Regex TableRow();

    [GeneratedRegex("""<rect class="bar" x="0" y="[\d.]+" width="([\d.]+)" height="10"><title>([^<]*): ([\d,]+) \(([\d.]+) %\)</title></rect>""")]
    private static partial Regex Bar();
}
