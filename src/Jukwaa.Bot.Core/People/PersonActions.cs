using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;

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
        if (context.Channel == Channel.Sms) context.Person.SmsStoppedAt ??= context.Now;
        return Task.FromResult("done");
    }
}

/// <summary>START: messages flow again.</summary>
public sealed class StartAction : IDialogAction
{
    public string Name => "person.start";

    public IReadOnlyList<string> Outcomes { get; } = ["done"];

    public Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        if (context.Channel == Channel.Sms) context.Person.SmsStoppedAt = null;
        return Task.FromResult("done");
    }
}
