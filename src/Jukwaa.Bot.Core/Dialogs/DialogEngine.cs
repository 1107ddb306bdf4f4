using System.Globalization;
using Stateless;
using Stateless.Graph;

namespace Jukwaa.Bot.Core.Dialogs;

/// <summary>A channel-neutral answer: text, numbered options, and whether the conversation ends.</summary>
public sealed record Reply(string Text, IReadOnlyList<ReplyOption> Options, bool Ends);

public sealed record ReplyOption(string Key, string Label);

/// <summary>
/// Steps a dialog one turn. Each turn builds a Stateless machine over the conversation's stored state
/// (never shared between requests), decides the trigger from what the person sent, fires it, runs any
/// action states it lands on, and renders the state it stops at.
/// </summary>
public sealed class DialogEngine(DialogCatalog catalog, DialogRegistry registry)
{
    private const string ReturnKey = "_return";
    private const string NextTrigger = "next";
    private const string ReturnTrigger = "return";
    private const int MaxChainedActions = 16;

    public DialogCatalog Catalog => catalog;

    /// <summary>
    /// Starts a dialog on its newest version, forgetting the answers of the previous one;
    /// <paramref name="answers"/> are given before it starts (e.g. the text after an SMS keyword).
    /// </summary>
    public async Task<Reply> StartAsync(
        DialogContext context, string dialogId, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? answers = null)
    {
        var dialog = catalog.Current(dialogId);
        var conversation = context.Conversation;
        conversation.DialogId = dialog.Id;
        conversation.DialogVersion = dialog.Version;
        conversation.State = dialog.Start;
        conversation.Page = 0;
        context.Data.Clear();
        foreach (var (key, value) in answers ?? new Dictionary<string, string>()) context.Data[key] = value;
        return await SettleAsync(context, cancellationToken);
    }

    /// <summary>One turn: the person's input for the current state.</summary>
    public async Task<Reply> StepAsync(DialogContext context, string input, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;
        // An answer (right or wrong) starts the next screen on its first page, where a notice shows.
        conversation.Page = 0;
        var dialog = catalog.Find(conversation.DialogId, conversation.DialogVersion);
        if (dialog is null || !dialog.States.TryGetValue(conversation.State, out var state) || state is EndStateDefinition)
        {
            // The version this session began on is no longer deployed (or the session had ended).
            if (dialog is null) context.Say(CommonText.VersionGone);
            return await StartAsync(context, DialogRegistry.MainDialog, cancellationToken);
        }

        var trigger = state switch
        {
            MenuStateDefinition menu => Choose(context, menu, input),
            InputStateDefinition field => await AnswerAsync(context, field, input, cancellationToken),
            ScreenStateDefinition screen => await registry.Screen(screen.Handler).HandleAsync(context, input.Trim(), cancellationToken) is { } outcome
                ? OutcomeTrigger(outcome) : null,
            _ => null,
        };
        if (trigger is null) return Render(context);

        await Fire(context, dialog, trigger);
        return await SettleAsync(context, cancellationToken);
    }

    /// <summary>The screen for where the conversation stands, without changing anything.</summary>
    public Reply Render(DialogContext context)
    {
        var conversation = context.Conversation;
        var dialog = catalog.Find(conversation.DialogId, conversation.DialogVersion)
            ?? throw new InvalidOperationException($"Dialog {conversation.DialogId} v{conversation.DialogVersion} is not loaded.");
        var state = dialog.States[conversation.State];
        var language = context.Language;
        string Fill(LocalizedText text) => DialogCatalog.Fill(text.Get(language, context.Channel), name => Display(context, dialog, name));
        var notice = context.Notice is null ? null : catalog.Text(context.Notice, language, context.NoticeArgs);
        string WithNotice(string text) => notice is null ? text : notice + "\n" + text;

        return state switch
        {
            MenuStateDefinition menu => new Reply(WithNotice(Fill(menu.Prompt)), OptionLabels(context, menu, Fill), false),
            InputStateDefinition field => new Reply(WithNotice(Fill(field.Prompt)), [], false),
            EndStateDefinition end => new Reply(WithNotice(Fill(end.Text)), [], true),
            ScreenStateDefinition screen => registry.Screen(screen.Handler).Render(context) is var drawn ? drawn with { Text = WithNotice(drawn.Text) } : null!,
            _ => throw new InvalidOperationException($"State '{state.Name}' cannot be shown."),
        };
    }

    /// <summary>The dialog drawn as Mermaid or DOT, from the same machine the engine runs.</summary>
    public static string Graph(DialogDefinition dialog, bool dot)
    {
        var state = dialog.Start;
        var machine = Build(dialog, () => state, s => state = s, () => null);
        return dot ? UmlDotGraph.Format(machine.GetInfo()) : MermaidGraph.Format(machine.GetInfo());
    }

    private string? Choose(DialogContext context, MenuStateDefinition menu, string input)
    {
        var fromSource = menu.Source is null ? [] : registry.Source(menu.Source).Options(context);
        var count = fromSource.Count + menu.Options.Count;
        if (!int.TryParse(input.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var chosen))
        {
            chosen = ChosenByWord(input, fromSource, menu.Options);
        }
        if (chosen < 1 || chosen > count)
        {
            context.Say(CommonText.InvalidChoice, ("count", count.ToString(CultureInfo.InvariantCulture)));
            return null;
        }
        if (chosen <= fromSource.Count)
        {
            context.Data[menu.Save!] = fromSource[chosen - 1].Value;
            return Continue(context);
        }
        var index = chosen - fromSource.Count - 1;
        var option = menu.Options[index];
        if (option.Value is not null) context.Data[menu.Save!] = option.Value;
        if (option.ReturnTo is not null) context.Data[ReturnKey] = option.ReturnTo;
        return option.Goto is not null ? OptionTrigger(index, option) : Continue(context);
    }

    /// <summary>
    /// An option named instead of numbered ("yes", "Ndiyo", "kiswahili"): the whole label or its first
    /// word, in any supported language, ignoring case and accents. 0 when no single option matches.
    /// </summary>
    private static int ChosenByWord(string input, IReadOnlyList<ChoiceOption> fromSource, IReadOnlyList<OptionDefinition> inline)
    {
        var typed = DialogCatalog.Fold(input);
        if (typed.Length < 2) return 0;
        var words = fromSource.Select(o => o.Words.Append(o.Label))
            .Concat(inline.Select(o => o.Label.Texts.Values))
            .Select((labels, i) => (Index: i + 1, Labels: labels.ToList()))
            .ToList();
        bool Matches(string label) => DialogCatalog.Fold(label) == typed || DialogCatalog.Fold(label.Split(' ', '/', '-')[0]) == typed;
        var matched = words.Where(w => w.Labels.Any(Matches)).Select(w => w.Index).Distinct().ToList();
        return matched.Count == 1 ? matched[0] : 0;
    }

    private async Task<string?> AnswerAsync(DialogContext context, InputStateDefinition field, string input, CancellationToken cancellationToken)
    {
        var text = input.Trim();
        if (text.Length == 0)
        {
            context.Say(CommonText.EmptyInput);
            return null;
        }
        if (text.Length > field.MaxLength)
        {
            context.Say(CommonText.TooLong,
                ("max", field.MaxLength.ToString(CultureInfo.InvariantCulture)),
                ("length", text.Length.ToString(CultureInfo.InvariantCulture)));
            return null;
        }
        if (field.Save is not null) context.Data[field.Save] = text;
        if (field.Action is null) return Continue(context);
        var outcome = await registry.Action(field.Action).RunAsync(context, text, cancellationToken);
        return OutcomeTrigger(outcome);
    }

    /// <summary>Runs action states and follows jumps to other dialogs until a state waits for the person.</summary>
    private async Task<Reply> SettleAsync(DialogContext context, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;
        for (var i = 0; i < MaxChainedActions; i++)
        {
            if (DialogDefinition.IsDialogTarget(conversation.State, out var next))
            {
                var target = catalog.Current(next);
                conversation.DialogId = target.Id;
                conversation.DialogVersion = target.Version;
                conversation.State = target.Start;
                context.Data.Clear();
                continue;
            }
            var dialog = catalog.Find(conversation.DialogId, conversation.DialogVersion)!;
            if (dialog.States[conversation.State] is not ActionStateDefinition action) return Render(context);
            var outcome = await registry.Action(action.Action).RunAsync(context, null, cancellationToken);
            await Fire(context, dialog, OutcomeTrigger(outcome));
        }
        throw new InvalidOperationException($"Dialog '{conversation.DialogId}' ran {MaxChainedActions} actions without waiting for input.");
    }

    private static async Task Fire(DialogContext context, DialogDefinition dialog, string trigger)
    {
        var conversation = context.Conversation;
        var machine = Build(dialog, () => conversation.State, s => conversation.State = s, () => context.Data.GetValueOrDefault(ReturnKey));
        await machine.FireAsync(trigger);
        if (trigger == ReturnTrigger) context.Data.Remove(ReturnKey);
        conversation.Page = 0;
    }

    private static StateMachine<string, string> Build(
        DialogDefinition dialog, Func<string> read, Action<string> write, Func<string?> returnTo)
    {
        var machine = new StateMachine<string, string>(read, write);
        foreach (var state in dialog.States.Values)
        {
            var config = machine.Configure(state.Name);
            void Edge(string trigger, string target)
            {
                if (target == state.Name) config.PermitReentry(trigger);
                else config.Permit(trigger, target);
            }
            switch (state)
            {
                case MenuStateDefinition menu:
                    if (menu.Next is not null) Edge(NextTrigger, menu.Next);
                    for (var i = 0; i < menu.Options.Count; i++)
                    {
                        if (menu.Options[i].Goto is { } target) Edge(OptionTrigger(i, menu.Options[i]), target);
                    }
                    config.PermitDynamic(ReturnTrigger, () => returnTo() ?? state.Name);
                    break;
                case InputStateDefinition field:
                    if (field.Next is not null) Edge(NextTrigger, field.Next);
                    foreach (var (outcome, target) in field.On) Edge(OutcomeTrigger(outcome), target);
                    config.PermitDynamic(ReturnTrigger, () => returnTo() ?? state.Name);
                    break;
                case ActionStateDefinition action:
                    foreach (var (outcome, target) in action.On) Edge(OutcomeTrigger(outcome), target);
                    break;
                case ScreenStateDefinition screen:
                    foreach (var (outcome, target) in screen.On) Edge(OutcomeTrigger(outcome), target);
                    break;
            }
        }
        return machine;
    }

    /// <summary>An answered state goes to its <c>next</c>, or back to the summary the person came from to correct it.</summary>
    private static string Continue(DialogContext context) => context.Data.ContainsKey(ReturnKey) ? ReturnTrigger : NextTrigger;

    private static string OptionTrigger(int index, OptionDefinition option) =>
        $"option {index + 1}: {option.Label.Get(Languages.English)}";

    private static string OutcomeTrigger(string outcome) => "outcome " + outcome;

    private List<ReplyOption> OptionLabels(DialogContext context, MenuStateDefinition menu, Func<LocalizedText, string> fill)
    {
        var labels = (menu.Source is null ? [] : registry.Source(menu.Source).Options(context).Select(o => o.Label))
            .Concat(menu.Options.Select(o => fill(o.Label)));
        return [.. labels.Select((label, i) => new ReplyOption((i + 1).ToString(CultureInfo.InvariantCulture), label))];
    }

    /// <summary>How a stored answer reads back: the label of a chosen option, else the text itself.</summary>
    private string? Display(DialogContext context, DialogDefinition dialog, string name)
    {
        var language = context.Language;
        if (context.Data.TryGetValue($"{name}@{language}", out var localized)) return localized;
        if (!context.Data.TryGetValue(name, out var value)) return null;
        foreach (var menu in dialog.States.Values.OfType<MenuStateDefinition>().Where(m => m.Save == name))
        {
            if (menu.Options.FirstOrDefault(o => o.Value == value) is { } option) return option.Label.Get(language, context.Channel);
            if (menu.Source is not null && registry.Source(menu.Source).Label(context, value) is { } label) return label;
        }
        return value;
    }
}
