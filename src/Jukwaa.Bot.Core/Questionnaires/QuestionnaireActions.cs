using System.Globalization;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Reports;

namespace Jukwaa.Bot.Core.Questionnaires;

/// <summary>Keys a questionnaire keeps in the conversation while it is answered.</summary>
internal static class Keys
{
    public const string Questionnaire = "questionnaire";
    public const string Version = "q_version";
    public const string Response = "q_response";
    public static string Answer(string question) => "a:" + question;
    public static string Skipped(string question) => "s:" + question;
}

/// <summary>Which questionnaires are open: none, exactly one (chosen for the person), or several to choose from.</summary>
public sealed class ListQuestionnairesAction : IDialogAction
{
    public string Name => "questionnaire.list";

    public IReadOnlyList<string> Outcomes { get; } = ["none", "one", "many"];

    public Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var open = context.Catalog.OpenQuestionnaires(context.Now);
        if (open.Count == 1) context.Data[Keys.Questionnaire] = open[0].Id;
        return Task.FromResult(open.Count switch { 0 => "none", 1 => "one", _ => "many" });
    }
}

public sealed class OpenQuestionnaireOptions : IOptionSource
{
    public string Name => "open_questionnaires";

    public IReadOnlyList<ChoiceOption> Options(DialogContext context) =>
        [.. context.Catalog.OpenQuestionnaires(context.Now).Select(q => new ChoiceOption(q.Id, q.Title.Get(context.Language), [.. q.Title.Texts.Values]))];

    public string? Label(DialogContext context, string value) => context.Catalog.Questionnaire(value)?.Title.Get(context.Language);
}

/// <summary>
/// Starts or continues the person's response: an unfinished one continues on the version it began on
/// (even after a new version is deployed); a completed one for the newest version is "already".
/// </summary>
public sealed class StartQuestionnaireAction : IDialogAction
{
    public string Name => "questionnaire.start";

    public IReadOnlyList<string> Outcomes { get; } = ["started", "already"];

    public async Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var store = context.Questionnaires ?? throw new InvalidOperationException("No questionnaire store in this turn.");
        var id = context.Data[Keys.Questionnaire];
        var current = context.Catalog.Questionnaire(id) ?? throw new InvalidOperationException($"No questionnaire '{id}'.");
        var responses = await store.ResponsesAsync(id, context.Person.Id, cancellationToken);
        var response = responses.FirstOrDefault(r => r.CompletedAt is null && context.Catalog.Questionnaire(id, r.Version) is not null);
        if (response is null)
        {
            if (responses.Any(r => r.Version == current.Version && r.CompletedAt is not null)) return "already";
            response = new QuestionnaireResponse
            {
                QuestionnaireId = id, Version = current.Version, PersonId = context.Person.Id, Channel = context.Channel, StartedAt = context.Now,
            };
            store.AddResponse(response);
        }
        else
        {
            foreach (var answer in await store.AnswersAsync(response.Id, cancellationToken))
            {
                context.Data[answer.Skipped ? Keys.Skipped(answer.QuestionId) : Keys.Answer(answer.QuestionId)] = answer.Value;
            }
        }
        context.Data[Keys.Version] = response.Version.ToString(CultureInfo.InvariantCulture);
        context.Data[Keys.Response] = response.Id.ToString();
        return "started";
    }
}

/// <summary>
/// Asks the next relevant, unanswered question; checks the answer against its type and constraint; saves
/// it at once (so a dropped session loses nothing); and says <c>done</c> after the last one.
/// </summary>
public sealed class AnswerQuestionnaireScreen(Privacy.PersonalDataProtector protector) : IScreenHandler
{
    public const string SkipKey = "99";
    private static readonly char[] s_separators = [',', ' ', '*', '#', ';', '.'];

    public string Name => "questionnaire.answer";

    public IReadOnlyList<string> Outcomes { get; } = ["done"];

    public Reply Render(DialogContext context)
    {
        var (definition, question) = Next(context);
        if (question is null) return new Reply(definition.Title.Get(context.Language), [], false);
        var language = context.Language;
        var lines = new List<string> { question.Label.Get(language) };
        var choices = definition.ChoicesFor(question, context.Catalog);
        string Hint(string key, params (string, string)[] args) => context.Catalog.Text(key, language, args.ToDictionary(a => a.Item1, a => a.Item2));
        switch (question.Type)
        {
            case QuestionType.Multiple:
                lines.Add(Hint("questionnaire.multi_hint"));
                break;
            case QuestionType.Integer:
                lines.Add(Hint("questionnaire.integer_hint", ("min", Number(question.Min)), ("max", Number(question.Max))));
                break;
            case QuestionType.Text:
                lines.Add(Hint("questionnaire.text_hint", ("max", Number(question.Max))));
                break;
            case QuestionType.County:
                lines.Add(Hint("questionnaire.county_hint"));
                break;
        }
        var options = choices.Select((c, i) => new ReplyOption((i + 1).ToString(CultureInfo.InvariantCulture), c.Label.Get(language))).ToList();
        if (!question.Required) options.Add(new ReplyOption(SkipKey, Hint("questionnaire.skip")));
        return new Reply(string.Join('\n', lines), options, false);
    }

    public async Task<string?> HandleAsync(DialogContext context, string input, CancellationToken cancellationToken)
    {
        var (definition, question) = Next(context);
        if (question is null) return "done";
        var store = context.Questionnaires ?? throw new InvalidOperationException("No questionnaire store in this turn.");
        var response = await store.FindResponseAsync(Guid.Parse(context.Data[Keys.Response]), cancellationToken)
            ?? throw new InvalidOperationException("The response of this conversation is gone.");

        var answer = new QuestionnaireAnswer { ResponseId = response.Id, QuestionId = question.Id, AnsweredAt = context.Now };
        if (!question.Required && input == SkipKey)
        {
            answer.Skipped = true;
            context.Data[Keys.Skipped(question.Id)] = "";
        }
        else
        {
            if (Read(context, definition, question, input) is not { } value) return null;
            if (question.Type == QuestionType.Text)
            {
                answer.TextSealed = protector.Seal(value);
                context.Data[Keys.Answer(question.Id)] = "";
            }
            else
            {
                answer.Value = value;
                context.Data[Keys.Answer(question.Id)] = value;
                if (question.Type == QuestionType.County) response.CountyCode = value;
            }
        }
        store.AddAnswer(answer);
        if (Next(context).Question is not null) return null;
        response.CompletedAt = context.Now;
        return "done";
    }

    /// <summary>The stored form of a valid answer, or null after saying what is accepted.</summary>
    private static string? Read(DialogContext context, QuestionnaireDefinition definition, Question question, string input)
    {
        var choices = definition.ChoicesFor(question, context.Catalog);
        void Refuse(string key, params (string, string)[] args)
        {
            if (question.ConstraintMessage is { } custom && key is "questionnaire.too_few" or "questionnaire.too_many" or "questionnaire.out_of_range")
            {
                context.Say("questionnaire.constraint", ("message", custom.Get(context.Language)));
            }
            else
            {
                context.Say(key, args);
            }
        }
        switch (question.Type)
        {
            case QuestionType.Single or QuestionType.YesNo or QuestionType.Rating:
                if (ChoiceIndex(input, choices, context.Language) is { } chosen) return choices[chosen].Value;
                Refuse(CommonText.InvalidChoice, ("count", Number(choices.Count)));
                return null;
            case QuestionType.Multiple:
                var parts = input.Split(s_separators, StringSplitOptions.RemoveEmptyEntries);
                var indexes = parts.Select(p => ChoiceIndex(p, choices, context.Language)).ToList();
                if (indexes.Count == 0 || indexes.Any(i => i is null))
                {
                    Refuse("questionnaire.invalid_multi", ("count", Number(choices.Count)));
                    return null;
                }
                var distinct = indexes.Select(i => i!.Value).Distinct().Order().ToList();
                if (question.Min is { } fewest && distinct.Count < fewest) { Refuse("questionnaire.too_few", ("min", Number(fewest))); return null; }
                if (question.Max is { } most && distinct.Count > most) { Refuse("questionnaire.too_many", ("max", Number(most))); return null; }
                return string.Join(',', distinct.Select(i => choices[i].Value));
            case QuestionType.Integer:
                if (!int.TryParse(input, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < question.Min || n > question.Max)
                {
                    Refuse("questionnaire.out_of_range", ("min", Number(question.Min)), ("max", Number(question.Max)));
                    return null;
                }
                return Number(n);
            case QuestionType.Text:
                if (input.Length == 0) { Refuse(CommonText.EmptyInput); return null; }
                if (input.Length > question.Max) { Refuse(CommonText.TooLong, ("max", Number(question.Max)), ("length", Number(input.Length))); return null; }
                return input;
            case QuestionType.County:
                switch (CountySearchAction.Search(context.Catalog, input))
                {
                    case [var county]:
                        return county.Code;
                    case []:
                        Refuse("county.none", ("typed", input));
                        return null;
                    case var several:
                        Refuse("questionnaire.county_many", ("names", string.Join(", ", several.Select(c => $"{c.Name} {c.Code}"))));
                        return null;
                }
            default:
                return null;
        }
    }

    private static int? ChoiceIndex(string typed, IReadOnlyList<Choice> choices, string language)
    {
        if (int.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n >= 1 && n <= choices.Count ? n - 1 : null;
        var folded = DialogCatalog.Fold(typed);
        var matches = choices.Select((c, i) => (c, i)).Where(x => x.c.Label.Texts.Values.Any(l => DialogCatalog.Fold(l) == folded)).ToList();
        return folded.Length > 1 && matches.Count == 1 ? matches[0].i : null;
    }

    /// <summary>The questionnaire version of this response and its next relevant, unanswered question.</summary>
    private static (QuestionnaireDefinition Definition, Question? Question) Next(DialogContext context)
    {
        var definition = context.Catalog.Questionnaire(context.Data[Keys.Questionnaire], int.Parse(context.Data[Keys.Version], CultureInfo.InvariantCulture))
            ?? throw new InvalidOperationException("The questionnaire version of this response is not deployed.");
        var answers = definition.Questions
            .Where(q => context.Data.ContainsKey(Keys.Answer(q.Id)))
            .ToDictionary(q => q.Id, q => context.Data[Keys.Answer(q.Id)]);
        var next = definition.Questions.FirstOrDefault(q =>
            !context.Data.ContainsKey(Keys.Answer(q.Id)) && !context.Data.ContainsKey(Keys.Skipped(q.Id))
            && QuestionnaireDefinition.IsRelevant(q, answers));
        return (definition, next);
    }

    private static string Number(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";
}
