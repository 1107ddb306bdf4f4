using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Messaging;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Host.Workers;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// The host's own sections (<c>Console</c>, <c>Conversations</c>, <c>Outbox</c>, <c>Retention</c>, <c>Alerts</c>): each bound to its
/// options class and checked at start, so a value that would misbehave in production (a lease shorter
/// than a send, a zero rate) stops the host with a sentence naming the key. The bound value is also
/// registered as itself, for the classes that take it.
/// </summary>
public static class Sections
{
    public static IServiceCollection AddHostSections(this IServiceCollection services, bool development)
    {
        services.AddSection<ConsoleOptions>(ConsoleOptions.Section, o => o.Problems(development));
        services.AddSection<ConversationOptions>("Conversations", Check);
        services.AddSection<OutboxOptions>("Outbox", Check);
        services.AddSection<OutboxWorkerOptions>("Outbox", o => Positive(("Outbox:PollInterval", o.PollInterval), ("Outbox:ErrorDelay", o.ErrorDelay)));
        services.AddSection<RetentionOptions>("Retention", o => Positive(("Retention:MessageBodies", o.MessageBodies), ("Retention:Interval", o.Interval)));
        services.AddSection<AlertOptions>("Alerts", o => Positive(("Alerts:PollInterval", o.PollInterval)));
        return services;
    }

    private static IEnumerable<string> Check(ConversationOptions o) =>
        Positive(("Conversations:ResumeWindow", o.ResumeWindow), ("Conversations:SmsIdleTimeout", o.SmsIdleTimeout), ("Conversations:ThrottleWindow", o.ThrottleWindow))
            .Concat(AtLeastOne(("Conversations:ThrottleLimit", o.ThrottleLimit)));

    private static IEnumerable<string> Check(OutboxOptions o)
    {
        foreach (var problem in AtLeastOne(
            [("Outbox:MaxParallelSends", o.MaxParallelSends), ("Outbox:MaxAttempts", o.MaxAttempts), ("Outbox:DefaultMaxPerSecond", o.DefaultMaxPerSecond),
             .. o.MaxPerSecond.Select(kv => ($"Outbox:MaxPerSecond:{kv.Key}", kv.Value))]))
        {
            yield return problem;
        }
        foreach (var problem in Positive(("Outbox:FirstRetryDelay", o.FirstRetryDelay), ("Outbox:MaxProviderPause", o.MaxProviderPause))) yield return problem;
        if (o.MaxRetryDelay < o.FirstRetryDelay) yield return "Outbox:MaxRetryDelay must be at least Outbox:FirstRetryDelay.";

        // A claimed message waits at most for the rate cap, then its send takes at most SendTimeout.PerCall:
        // a lease shorter than both lets another host claim and send it again while the first still sends.
        var slowest = Math.Max(1, o.MaxPerSecond.Values.Append(o.DefaultMaxPerSecond).Min());
        var minimum = SendTimeout.PerCall + TimeSpan.FromSeconds(Math.Ceiling(Math.Max(1, o.MaxParallelSends) / (double)slowest)) + TimeSpan.FromSeconds(5);
        if (o.Lease < minimum)
        {
            yield return $"Outbox:Lease is {o.Lease}; it must outlast a claimed message's wait for the rate cap and its send ({SendTimeout.PerCall.TotalSeconds:0} s), "
                + $"so at least {minimum} with these settings, or another host may send the message again.";
        }
    }

    private static void AddSection<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>> check) where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new Validator<T>(check));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }

    private static IEnumerable<string> Positive(params (string Key, TimeSpan Value)[] values) =>
        values.Where(v => v.Value <= TimeSpan.Zero).Select(v => $"{v.Key} must be longer than zero, not {v.Value}.");

    private static IEnumerable<string> AtLeastOne(params (string Key, int Value)[] values) =>
        values.Where(v => v.Value < 1).Select(v => $"{v.Key} must be at least 1, not {v.Value}.");

    private sealed class Validator<T>(Func<T, IEnumerable<string>> check) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) => check(options).ToList() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
    }
}
