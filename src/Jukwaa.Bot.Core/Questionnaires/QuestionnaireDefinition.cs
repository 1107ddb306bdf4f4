using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>Question types, in the spirit of XLSForm: select_one, select_multiple, integer, text, yes/no, a 1–5 rating, and a county.</summary>
#pragma warning disable CA1720 // The names are the questionnaire format's words.
public enum QuestionType { Single, Multiple, Integer, Text, YesNo, Rating, County }
#pragma warning restore CA1720

public sealed record Choice(string Value, LocalizedText Label);

/// <summary>Skip logic: the question is shown only when an earlier answer equals (or, for multiple choice, contains) a value.</summary>
public sealed record Condition(string Question, string Value, bool Contains);

/// <param name="Min">Integer: the smallest allowed; multiple choice: the fewest choices.</param>
/// <param name="Max">Integer: the largest; text: the longest; multiple choice: the most choices.</param>
/// <param name="Relevant">All must hold for the question to be asked.</param>
public sealed record Question(
    string Id, QuestionType Type, LocalizedText Label, bool Required, string? ChoiceList, int? Min, int? Max,
    LocalizedText? ConstraintMessage, IReadOnlyList<Condition> Relevant, int Line);

/// <summary>A questionnaire version from <c>dialogs/questionnaires/</c>; a person completes each version once.</summary>
public sealed record QuestionnaireDefinition(
    string Id, int Version, LocalizedText Title, DateOnly Opens, DateOnly Closes,
    IReadOnlyDictionary<string, IReadOnlyList<Choice>> Choices, IReadOnlyList<Question> Questions, string File)
{
    public bool IsOpen(DateTime now) => DateOnly.FromDateTime(now) >= Opens && DateOnly.FromDateTime(now) <= Closes;

    public Question? Find(string id) => Questions.FirstOrDefault(q => q.Id == id);

    /// <summary>The question's options: its choice list, yes/no, or the ratings 1 to 5 (labels from <c>strings.yaml</c>).</summary>
    public IReadOnlyList<Choice> ChoicesFor(Question question, DialogCatalog catalog) => question.Type switch
    {
        QuestionType.Single or QuestionType.Multiple => Choices[question.ChoiceList!],
        QuestionType.YesNo => [new("yes", catalog.Strings["questionnaire.yes"]), new("no", catalog.Strings["questionnaire.no"])],
        QuestionType.Rating => [.. Enumerable.Range(1, 5).Select(n => new Choice(n.ToString(System.Globalization.CultureInfo.InvariantCulture), catalog.Strings[$"questionnaire.rating{n}"]))],
        _ => [],
    };

    /// <summary>Whether skip logic asks this question, given the answers so far (question id → stored value).</summary>
    public static bool IsRelevant(Question question, IReadOnlyDictionary<string, string> answers) =>
        question.Relevant.All(c => answers.TryGetValue(c.Question, out var value)
            && (c.Contains ? value.Split(',').Contains(c.Value) : value == c.Value));
}
