using Jukwaa.Bot.Core.Questionnaires;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Storage;

/// <summary>
/// Questionnaire results as grouped counts in the database, and the one streamed read the downloads use. The index on
/// (questionnaire, county) narrows responses; answers are reached by their (response, question) index.
/// </summary>
public sealed class EfResultsQueries(JukwaaDbContext db) : IResultsQueries
{
    public async Task<IReadOnlyList<(string QuestionnaireId, int Version, int Responses)>> VersionsAsync(IReadOnlyList<string>? counties, CancellationToken cancellationToken)
    {
        var query = db.QuestionnaireResponses.AsNoTracking();
        if (counties is not null)
        {
            var codes = counties.ToList();
            query = query.Where(r => r.CountyCode != null && codes.Contains(r.CountyCode));
        }
        var rows = await query.GroupBy(r => new { r.QuestionnaireId, r.Version })
            .Select(g => new { g.Key.QuestionnaireId, g.Key.Version, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.QuestionnaireId, r.Version, r.Count))];
    }

    public async Task<ResultsOverview> OverviewAsync(ResultsFilter filter, CancellationToken cancellationToken)
    {
        var responses = Responses(filter);
        var byCounty = await responses.GroupBy(r => r.CountyCode)
            .Select(g => new { County = g.Key, Complete = g.Count(r => r.CompletedAt != null), All = g.Count() })
            .ToListAsync(cancellationToken);
        var respondents = await responses.Select(r => r.PersonId).Distinct().CountAsync(cancellationToken);
        return new ResultsOverview(respondents, byCounty.Sum(c => c.Complete), byCounty.Sum(c => c.All - c.Complete),
            [.. byCounty.Select(c => (c.County ?? "", c.Complete, c.All - c.Complete)).OrderBy(c => c.Item1, StringComparer.Ordinal)]);
    }

    public async Task<IReadOnlyList<AnswerCount>> AnswerCountsAsync(ResultsFilter filter, IReadOnlyCollection<string> questionIds, CancellationToken cancellationToken)
    {
        var ids = questionIds.ToList();
        var rows = await (from answer in db.QuestionnaireAnswers.AsNoTracking()
                          join response in Responses(filter) on answer.ResponseId equals response.Id
                          where !answer.Skipped && ids.Contains(answer.QuestionId)
                          group answer by new { answer.QuestionId, answer.Value } into g
                          select new { g.Key.QuestionId, g.Key.Value, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new AnswerCount(r.QuestionId, r.Value, r.Count))];
    }

    public async Task<(int Total, IReadOnlyList<string> Sealed)> FreeTextAsync(ResultsFilter filter, string questionId, int skip, int take, CancellationToken cancellationToken)
    {
        // An erased answer (right to erasure) is an empty sealed value: it is not an answer any more.
        var texts = from answer in db.QuestionnaireAnswers.AsNoTracking()
                    join response in Responses(filter) on answer.ResponseId equals response.Id
                    where answer.QuestionId == questionId && !answer.Skipped && answer.TextSealed != null && answer.TextSealed != ""
                    select answer;
        var total = await texts.CountAsync(cancellationToken);
        var page = await texts.OrderByDescending(a => a.AnsweredAt).ThenByDescending(a => a.Id).Skip(skip).Take(take)
            .Select(a => a.TextSealed!).ToListAsync(cancellationToken);
        return (total, page);
    }

    public async IAsyncEnumerable<ResponseRow> StreamAsync(ResultsFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Answers arrive ordered by response, so one response is held at a time, whatever the total.
        var rows = from answer in db.QuestionnaireAnswers.AsNoTracking()
                   join response in Responses(filter) on answer.ResponseId equals response.Id
                   join person in db.People.AsNoTracking() on response.PersonId equals person.Id
                   orderby response.StartedAt, response.Id, answer.Id
                   select new { response, person.Language, answer };
        QuestionnaireResponse? current = null;
        string? language = null;
        var answers = new List<QuestionnaireAnswer>();
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (current is not null && row.response.Id != current.Id)
            {
                yield return new ResponseRow(current, language, answers);
                answers = [];
            }
            current = row.response;
            language = row.Language;
            answers.Add(row.answer);
        }
        if (current is not null) yield return new ResponseRow(current, language, answers);
    }

    private IQueryable<QuestionnaireResponse> Responses(ResultsFilter filter)
    {
        var query = db.QuestionnaireResponses.AsNoTracking().Where(r => r.QuestionnaireId == filter.QuestionnaireId);
        if (filter.Version is { } version) query = query.Where(r => r.Version == version);
        if (filter.Counties is { } counties)
        {
            var codes = counties.ToList();
            query = query.Where(r => r.CountyCode != null && codes.Contains(r.CountyCode));
        }
        if (filter.Channel is { } channel) query = query.Where(r => r.Channel == channel);
        if (filter.Since is { } since) query = query.Where(r => r.StartedAt >= since);
        if (filter.Until is { } until) query = query.Where(r => r.StartedAt < until);
        return query;
    }
}
