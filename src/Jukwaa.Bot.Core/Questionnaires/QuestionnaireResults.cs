using System.Globalization;
using System.Text;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>
/// Results of a questionnaire: a summary counted in the database (counts per choice, means of ratings and integers,
/// respondents complete and incomplete) and a download read as a stream, so that any number of responses fits in flat
/// memory (one row per response, no identity; free text only when asked for, for M&amp;E staff and administrators),
/// written to a sheet: <see cref="CsvResultsSheet"/> or <see cref="XlsxResultsSheet"/>.
/// </summary>
public sealed class QuestionnaireResults(IResultsQueries queries, DialogCatalog catalog, PersonalDataProtector protector)
{
    /// <summary>
    /// The columns every export has, in this order, before the questions' columns. The county question is not repeated
    /// among them: its answer is <c>county</c> (the code, which a spreadsheet may read as a number) and <c>county_name</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> FixedColumns =
        ["response", "questionnaire", "version", "county", "county_name", "language", "channel", "started", "completed"];

    public async Task<string> SummaryAsync(string questionnaireId, string? countyCode, CancellationToken cancellationToken)
    {
        var newest = catalog.Questionnaire(questionnaireId) ?? throw new ArgumentException($"No questionnaire '{questionnaireId}'.", nameof(questionnaireId));
        var questions = Questions(questionnaireId);
        var counts = questions.ToDictionary(q => q.Id, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        var sums = questions.ToDictionary(q => q.Id, _ => (Sum: 0.0, N: 0));
        // Counted in the database, as the console's results pages count them.
        var filter = new ResultsFilter(questionnaireId, Counties: countyCode is null ? null : [countyCode]);
        var overview = await queries.OverviewAsync(filter, cancellationToken);
        var (complete, incomplete) = (overview.Complete, overview.Incomplete);
        var byCounty = overview.ByCounty.ToDictionary(c => c.CountyCode, c => c.Complete + c.Incomplete, StringComparer.Ordinal);
        foreach (var (questionId, value, count) in await queries.AnswerCountsAsync(filter, counts.Keys, cancellationToken))
        {
            var question = questions.First(q => q.Id == questionId);
            if (question.Type == QuestionType.Text)
            {
                counts[question.Id]["answered"] = counts[question.Id].GetValueOrDefault("answered") + count;
                continue;
            }
            foreach (var one in question.Type == QuestionType.Multiple ? value.Split(',') : [value])
            {
                counts[question.Id][one] = counts[question.Id].GetValueOrDefault(one) + count;
            }
            if (question.Type is QuestionType.Rating or QuestionType.Integer && double.TryParse(value, CultureInfo.InvariantCulture, out var n))
            {
                sums[question.Id] = (sums[question.Id].Sum + (n * count), sums[question.Id].N + count);
            }
        }

        var text = new StringBuilder();
        var where = countyCode is null ? "all counties" : catalog.County(countyCode)?.Name ?? countyCode;
        text.AppendLine(CultureInfo.InvariantCulture, $"{newest.Title.Get(Languages.English)} ({questionnaireId}), {where}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Respondents: {overview.Respondents}; responses complete {complete}, incomplete {incomplete}");
        text.AppendLine("Responses by county: " + (byCounty.Count == 0 ? "none" : string.Join(", ",
            byCounty.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{(kv.Key.Length == 0 ? "not given" : catalog.County(kv.Key)?.Name ?? kv.Key)} {kv.Value}"))));
        foreach (var question in questions)
        {
            var tally = counts[question.Id];
            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{question.Id} ({question.Type.ToString().ToLowerInvariant()}): ");
            if (question.Type == QuestionType.Text)
            {
                line.Append(CultureInfo.InvariantCulture, $"{tally.GetValueOrDefault("answered")} answered (free text is not shown)");
            }
            else
            {
                if (sums[question.Id] is { N: > 0 } s) line.Append(CultureInfo.InvariantCulture, $"mean {s.Sum / s.N:0.00} (n={s.N}); ");
                var labels = Labels(question, questionnaireId);
                var ordered = labels.Count > 0
                    ? labels.Select(l => $"{l.Label} {tally.GetValueOrDefault(l.Value)}")
                    : tally.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => $"{(question.Type == QuestionType.County ? catalog.County(kv.Key)?.Name ?? kv.Key : kv.Key)} {kv.Value}");
                line.Append(question.Type == QuestionType.Integer ? $"{tally.Values.Sum()} answered" : string.Join(", ", ordered));
            }
            text.AppendLine(line.ToString());
        }
        return text.ToString();
    }

    /// <summary>
    /// Writes one row per response, read from the database one response at a time, so memory does not grow with the
    /// number of responses. Multiple choice gets a 1/0 column per choice; free-text questions get a column only when
    /// <paramref name="freeText"/> (the caller has checked the reader may see them). No identity, ever.
    /// </summary>
    public async Task<int> ExportAsync(ResultsFilter filter, bool freeText, IResultsSheet sheet, CancellationToken cancellationToken)
    {
        _ = catalog.Questionnaire(filter.QuestionnaireId, filter.Version) ?? throw new ArgumentException($"No questionnaire '{filter.QuestionnaireId}'.", nameof(filter));
        var columns = Columns(filter, freeText);
        await sheet.HeaderAsync([.. FixedColumns, .. columns.Select(c => c.Name)], cancellationToken);
        var rows = 0;
        var cells = new ResultCell[FixedColumns.Count + columns.Count];
        await foreach (var (response, language, answers) in queries.StreamAsync(filter, cancellationToken))
        {
            var given = answers.Where(a => !a.Skipped).ToDictionary(a => a.QuestionId, StringComparer.Ordinal);
            var county = response.CountyCode ?? "";
            cells[0] = ResultCell.Text(response.Id.ToString("N"));
            cells[1] = ResultCell.Text(response.QuestionnaireId);
            cells[2] = ResultCell.Number(response.Version);
            cells[3] = ResultCell.Text(county);
            cells[4] = ResultCell.Text(county.Length == 0 ? "" : catalog.County(county)?.Name ?? "");
            cells[5] = ResultCell.Text(language ?? "");
            cells[6] = ResultCell.Text(response.Channel.ToString().ToLowerInvariant());
            cells[7] = ResultCell.Text(response.StartedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            cells[8] = ResultCell.Text(response.CompletedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "");
            for (var i = 0; i < columns.Count; i++)
            {
                var (_, question, choice) = columns[i];
                var answered = given.TryGetValue(question.Id, out var answer);
                cells[FixedColumns.Count + i] = !answered ? ResultCell.Empty
                    : question.Type == QuestionType.Text ? ResultCell.FreeText(answer!.TextSealed is { } sealedText ? protector.Unseal(sealedText) : "")
                    : choice is not null ? ResultCell.Number(answer!.Value.Split(',').Contains(choice) ? 1 : 0)
                    : question.Type is QuestionType.Integer or QuestionType.Rating && double.TryParse(answer!.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                        ? ResultCell.Number(n)
                        : ResultCell.Text(answer!.Value);
            }
            await sheet.RowAsync(cells, cancellationToken);
            rows++;
        }
        await sheet.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>The questions' columns: questionnaire order, multiple choice one per choice, the county question left out (it is <c>county</c>).</summary>
    private List<(string Name, Question Question, string? Choice)> Columns(ResultsFilter filter, bool freeText)
    {
        var columns = new List<(string Name, Question Question, string? Choice)>();
        var questions = filter.Version is { } version ? [.. catalog.Questionnaire(filter.QuestionnaireId, version)!.Questions] : Questions(filter.QuestionnaireId);
        foreach (var question in questions.Where(q => q.Type != QuestionType.County && (freeText || q.Type != QuestionType.Text)))
        {
            // A question named like a fixed column (say "language") keeps a name of its own, so no header repeats.
            var name = FixedColumns.Contains(question.Id, StringComparer.Ordinal) ? "q." + question.Id : question.Id;
            if (question.Type == QuestionType.Multiple)
            {
                foreach (var (value, _) in Labels(question, filter.QuestionnaireId)) columns.Add(($"{name}.{value}", question, value));
            }
            else
            {
                columns.Add((name, question, null));
            }
        }
        return columns;
    }

    /// <summary>The questions of every deployed version, newest version's order first, so columns stay stable.</summary>
    private List<Question> Questions(string questionnaireId)
    {
        var result = new List<Question>();
        foreach (var version in catalog.Questionnaires.Where(q => q.Id == questionnaireId).OrderByDescending(q => q.Version))
        {
            result.AddRange(version.Questions.Where(q => result.All(r => r.Id != q.Id)));
        }
        return result;
    }

    private List<(string Value, string Label)> Labels(Question question, string questionnaireId)
    {
        var definition = catalog.Questionnaires.Where(q => q.Id == questionnaireId && q.Find(question.Id) is not null).MaxBy(q => q.Version)!;
        return [.. definition.ChoicesFor(question, catalog).Select(c => (c.Value, c.Label.Get(Languages.English)))];
    }
}
