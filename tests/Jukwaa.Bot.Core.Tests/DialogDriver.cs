using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Questionnaires;
using Jukwaa.Bot.Core.Scorecards;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Tests;

namespace Jukwaa.Bot.Core.Tests;

/// <summary>Drives a dialog with no HTTP and no database: the engine, the real definitions, reports kept in a list.</summary>
internal sealed class DialogDriver
{
    public static readonly PersonalDataProtector Protector = new(PersonalDataProtector.NewKey(), PersonalDataProtector.NewKey());
    private static readonly Lazy<DialogCatalog> s_catalog = new(() => new DialogCatalogLoader(Registry()).LoadOrThrow(RepoPaths.Dialogs));

    private readonly DialogEngine _engine = new(Catalog, Registry());
    private readonly DialogContext _context;

    public DialogDriver(string language = "en")
    {
        var person = new Person { AddressHash = "h", AddressSealed = "s", Language = language };
        _context = new DialogContext(person, new Conversation { Channel = Channel.Ussd }, [], DateTime.UtcNow, Catalog, Reports);
    }

    public static DialogCatalog Catalog => s_catalog.Value;

    public static DialogRegistry Registry() => new(
        [new CountySearchAction(), new SubmitReportAction(Protector), new ReportStatusAction(), new SetLanguageAction(), new StopAction(), new StartAction(),
            new ListQuestionnairesAction(), new StartQuestionnaireAction(), new ShowScorecardAction(), new SubscribeAction(), new UnsubscribeAction()],
        [new CategoryOptions(), new CountyMatchOptions(), new OpenQuestionnaireOptions()],
        [new AnswerQuestionnaireScreen(Protector)]);

    public InMemoryReports Reports { get; } = new();

    public Conversation Conversation => _context.Conversation;

    public IReadOnlyDictionary<string, string> Data => _context.Data;

    public Task<Reply> StartAsync(string dialog) => _engine.StartAsync(_context, dialog, CancellationToken.None);

    public Task<Reply> SendAsync(string input)
    {
        _context.Notice = null;
        return _engine.StepAsync(_context, input, CancellationToken.None);
    }

    public static string Show(Reply reply) => string.Join('\n', [reply.Text, .. reply.Options.Select(o => $"{o.Key}. {o.Label}")]);
}

internal sealed class InMemoryReports : IReportStore
{
    public List<Report> Saved { get; } = [];

    public Task<bool> ReferenceExistsAsync(string reference, CancellationToken cancellationToken) =>
        Task.FromResult(Saved.Any(r => r.Reference == reference));

    public Task<Report?> FindByReferenceAsync(string reference, CancellationToken cancellationToken) =>
        Task.FromResult(Saved.FirstOrDefault(r => r.Reference == reference));

    public void Add(Report report) => Saved.Add(report);
}
