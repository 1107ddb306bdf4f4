using Jukwaa.Bot.Core.Dialogs;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>The sentences of the checks that stopped the host: options validated at start, dialog definitions.</summary>
public static class StartupProblems
{
    public static IReadOnlyList<string> From(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        DefinitionException dialogs => [.. dialogs.Errors.Select(e => "invalid dialog definition: " + e)],
        AggregateException all => [.. all.InnerExceptions.SelectMany(From)],
        _ => [],
    };
}
