using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>The sentences of the configuration checks that stopped the host (options validated at start).</summary>
public static class StartupProblems
{
    public static IReadOnlyList<string> From(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all => [.. all.InnerExceptions.SelectMany(From)],
        _ => [],
    };
}
