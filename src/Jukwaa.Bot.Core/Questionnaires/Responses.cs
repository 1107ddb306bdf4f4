using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>One person's answers to one questionnaire version; complete when every relevant question is answered.</summary>
public sealed class QuestionnaireResponse
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string QuestionnaireId { get; set; }
    public int Version { get; set; }
    public Guid PersonId { get; set; }
    public Channel Channel { get; set; }
    /// <summary>From the questionnaire's county question, for results by county.</summary>
    public string? CountyCode { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>One answer, saved as it is given. Free text is encrypted and never leaves in an export.</summary>
public sealed class QuestionnaireAnswer
{
    public long Id { get; set; }
    public Guid ResponseId { get; set; }
    public required string QuestionId { get; set; }
    /// <summary>A choice value, several joined by commas, or a number; empty when skipped or free text.</summary>
    public string Value { get; set; } = "";
    public string? TextSealed { get; set; }
    public bool Skipped { get; set; }
    public DateTime AnsweredAt { get; set; }
}

public interface IQuestionnaireStore
{
    /// <summary>The person's responses to a questionnaire, newest first (tracked).</summary>
    Task<IReadOnlyList<QuestionnaireResponse>> ResponsesAsync(string questionnaireId, Guid personId, CancellationToken cancellationToken);

    Task<QuestionnaireResponse?> FindResponseAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<QuestionnaireAnswer>> AnswersAsync(Guid responseId, CancellationToken cancellationToken);

    void AddResponse(QuestionnaireResponse response);

    void AddAnswer(QuestionnaireAnswer answer);

    /// <summary>Per questionnaire, how many responses of a county are complete and how many not.</summary>
    Task<IReadOnlyList<(string QuestionnaireId, int Complete, int Incomplete)>> CountyCountsAsync(string countyCode, CancellationToken cancellationToken);
}
