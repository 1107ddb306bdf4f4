using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>
/// Which responses a result or a download counts: one questionnaire (one version, or all), the counties the officer may
/// see (null: all) narrowed perhaps to one, a channel, and the days (Kenya time) on which responses were started.
/// </summary>
public sealed record ResultsFilter(
    string QuestionnaireId, int? Version = null, IReadOnlyList<string>? Counties = null, Channel? Channel = null, DateOnly? From = null, DateOnly? To = null)
{
    /// <summary>The first instant counted (UTC), from the first day in Kenya time.</summary>
    public DateTime? Since => From is { } from ? OfficerAlerts.StartOfKenyaDay(from) : null;

    /// <summary>The first instant no longer counted (UTC): the day after the last day, in Kenya time.</summary>
    public DateTime? Until => To is { } to ? OfficerAlerts.StartOfKenyaDay(to.AddDays(1)) : null;
}

/// <summary>Respondents, complete and incomplete responses, and the same by county (an empty code: no county given).</summary>
public sealed record ResultsOverview(int Respondents, int Complete, int Incomplete, IReadOnlyList<(string CountyCode, int Complete, int Incomplete)> ByCounty)
{
    public int Responses => Complete + Incomplete;
}

/// <summary>How many gave one answer value to one question (multiple choice: one combination of choices).</summary>
public sealed record AnswerCount(string QuestionId, string Value, int Count);

/// <summary>
/// Questionnaire results counted in the database (GROUP BY): no query here loads responses one by one, so a page
/// costs the same at 200 responses as at 200,000.
/// </summary>
public interface IResultsQueries
{
    /// <summary>Responses per questionnaire and version within the counties (null: all).</summary>
    Task<IReadOnlyList<(string QuestionnaireId, int Version, int Responses)>> VersionsAsync(IReadOnlyList<string>? counties, CancellationToken cancellationToken);

    Task<ResultsOverview> OverviewAsync(ResultsFilter filter, CancellationToken cancellationToken);

    /// <summary>Answers given (not skipped) per question and value, for the questions named.</summary>
    Task<IReadOnlyList<AnswerCount>> AnswerCountsAsync(ResultsFilter filter, IReadOnlyCollection<string> questionIds, CancellationToken cancellationToken);

    /// <summary>One page of a free-text question's answers (sealed, newest first) and how many there are; nothing about who wrote them.</summary>
    Task<(int Total, IReadOnlyList<string> Sealed)> FreeTextAsync(ResultsFilter filter, string questionId, int skip, int take, CancellationToken cancellationToken);

    /// <summary>Every response with its answers and the respondent's language, one at a time in the order started: memory stays flat.</summary>
    IAsyncEnumerable<ResponseRow> StreamAsync(ResultsFilter filter, CancellationToken cancellationToken);
}

/// <summary>One response for a download: its answers and the language its respondent uses (null: never chosen).</summary>
public sealed record ResponseRow(QuestionnaireResponse Response, string? Language, IReadOnlyList<QuestionnaireAnswer> Answers);
