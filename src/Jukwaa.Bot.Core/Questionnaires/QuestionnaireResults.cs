using System.Globalization;
using System.Text;
using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>
/// Results of a questionnaire, read as a stream so that any number of responses fits in flat memory:
/// a summary (counts per choice, means of ratings and integers, respondents complete and incomplete)
/// and a CSV export (one row per response, no identity, no free text).
/// </summary>
public sealed class QuestionnaireResults(IQuestionnaireStore store, DialogCatalog catalog)
{
    /// <summary>The columns every export has, in this order, before the questions' columns.</summary>
    public static readonly IReadOnlyList<string> FixedColumns = ["response", "questionnaire", "version", "county", "channel", "started", "completed"];

    public async Task<string> SummaryAsync(string questionnaireId, string? countyCode, CancellationToken cancellationToken)
    {
        var newest = catalog.Questionnaire(questionnaireId) ?? throw new ArgumentException($"No questionnaire '{questionnaireId}'.", nameof(questionnaireId));
        var questions = Questions(questionnaireId);
        var counts = questions.ToDictionary(q => q.Id, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        var sums = questions.ToDictionary(q => q.Id, _ => (Sum: 0.0, N: 0));
        var byCounty = new Dictionary<string, int>(StringComparer.Ordinal);
        var respondents = new HashSet<Guid>();
        int complete = 0, incomplete = 0;

        await foreach (var (response, answers) in store.StreamAsync(questionnaireId, countyCode, cancellationToken))
        {
            respondents.Add(response.PersonId);
            if (response.CompletedAt is null) incomplete++;
            else complete++;
            var county = response.CountyCode ?? "";
            byCounty[county] = byCounty.GetValueOrDefault(county) + 1;
            foreach (var answer in answers.Where(a => !a.Skipped && counts.ContainsKey(a.QuestionId)))
            {
                var question = questions.First(q => q.Id == answer.QuestionId);
                if (question.Type == QuestionType.Text)
                {
                    counts[question.Id]["answered"] = counts[question.Id].GetValueOrDefault("answered") + 1;
                    continue;
                }
                foreach (var value in question.Type == QuestionType.Multiple ? answer.Value.Split(',') : [answer.Value])
                {
                    counts[question.Id][value] = counts[question.Id].GetValueOrDefault(value) + 1;
                }
                if (question.Type is QuestionType.Rating or QuestionType.Integer && double.TryParse(answer.Value, CultureInfo.InvariantCulture, out var n))
                {
                    sums[question.Id] = (sums[question.Id].Sum + n, sums[question.Id].N + 1);
                }
            }
        }

        var text = new StringBuilder();
        var where = countyCode is null ? "all counties" : catalog.County(countyCode)?.Name ?? countyCode;
        text.AppendLine(CultureInfo.InvariantCulture, $"{newest.Title.Get(Languages.English)} ({questionnaireId}), {where}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Respondents: {respondents.Count}; responses complete {complete}, incomplete {incomplete}");
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

    /// <summary>Writes the CSV one response at a time. Multiple choice gets a 1/0 column per choice; free text and identity are left out.</summary>
    public async Task<int> ExportCsvAsync(string questionnaireId, string? countyCode, TextWriter output, CancellationToken cancellationToken)
    {
        _ = catalog.Questionnaire(questionnaireId) ?? throw new ArgumentException($"No questionnaire '{questionnaireId}'.", nameof(questionnaireId));
        var columns = new List<(string Name, Question Question, string? Choice)>();
        foreach (var question in Questions(questionnaireId).Where(q => q.Type != QuestionType.Text))
        {
            if (question.Type == QuestionType.Multiple)
            {
                foreach (var (value, _) in Labels(question, questionnaireId)) columns.Add(($"{question.Id}.{value}", question, value));
            }
            else
            {
                columns.Add((question.Id, question, null));
            }
        }
        await output.WriteLineAsync(string.Join(',', FixedColumns.Concat(columns.Select(c => c.Name))));
        var rows = 0;
        var cells = new string[FixedColumns.Count + columns.Count];
        await foreach (var (response, answers) in store.StreamAsync(questionnaireId, countyCode, cancellationToken))
        {
            var given = answers.Where(a => !a.Skipped).ToDictionary(a => a.QuestionId, a => a.Value, StringComparer.Ordinal);
            cells[0] = response.Id.ToString("N");
            cells[1] = response.QuestionnaireId;
            cells[2] = response.Version.ToString(CultureInfo.InvariantCulture);
            cells[3] = response.CountyCode ?? "";
            cells[4] = response.Channel.ToString().ToLowerInvariant();
            cells[5] = response.StartedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            cells[6] = response.CompletedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";
            for (var i = 0; i < columns.Count; i++)
            {
                var (_, question, choice) = columns[i];
                var answered = given.TryGetValue(question.Id, out var value);
                cells[FixedColumns.Count + i] = choice is null ? Csv(answered ? value! : "")
                    : !answered ? "" : value!.Split(',').Contains(choice) ? "1" : "0";
            }
            await output.WriteLineAsync(string.Join(',', cells));
            rows++;
        }
        await output.FlushAsync(cancellationToken);
        return rows;
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

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
