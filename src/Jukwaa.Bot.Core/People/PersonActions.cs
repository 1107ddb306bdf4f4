using Jukwaa.Bot.Core.Dialogs;

namespace Jukwaa.Bot.Core.People;

/// <summary>Remembers the chosen language for the person, on every channel.</summary>
public sealed class SetLanguageAction : IDialogAction
{
    public string Name => "person.set_language";

    public IReadOnlyList<string> Outcomes { get; } = ["done"];

    public Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        context.Person.Language = Languages.OrDefault(context.Data.GetValueOrDefault("language"));
        return Task.FromResult("done");
    }
}

/// <summary>STOP: after the confirmation, nothing more is sent to the person on this channel until START.</summary>
public sealed class StopAction : IDialogAction
{
    public string Name => "person.stop";

    public IReadOnlyList<string> Outcomes { get; } = ["done"];

    public Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        context.Person.Stop(context.Channel, context.Now);
        return Task.FromResult("done");
    }
}

/// <summary>START (and Telegram's /start): messages flow again; <c>new</c> when the person has not chosen a language yet.</summary>
public sealed class StartAction : IDialogAction
{
    public string Name => "person.start";

    public IReadOnlyList<string> Outcomes { get; } = ["done", "new"];

    public Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        if (context.Person.IsStopped(context.Channel)) context.Say("person.started");
        context.Person.Start(context.Channel);
        return Task.FromResult(context.Person.Language is null ? "new" : "done");
    }
}
