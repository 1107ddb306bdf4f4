using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Channels.Http;

/// <summary>
/// A channel's options section, checked at start and described in one sentence per channel. Outside
/// Development a channel is fully configured or off: a half-configured one stops the host with a
/// sentence naming the missing key. In Development anything goes, and replies of a channel without
/// credentials are kept by the local sender.
/// </summary>
public interface IChannelSettings
{
    /// <summary>What stops the host, one sentence each naming the key; empty when the section is usable.</summary>
    IEnumerable<string> Problems(bool development);

    /// <summary>One sentence per channel that this section drives, saying whether it is on.</summary>
    IEnumerable<string> Describe(bool development);
}

public static class ChannelSettings
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it when the host starts (and whenever it is first read).</summary>
    public static IServiceCollection AddChannelOptions<T>(this IServiceCollection services, string section) where T : class, IChannelSettings
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, Validator<T>>();
        services.AddSingleton<IChannelSettings>(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    /// <summary>Whether exactly some of <paramref name="keys"/> are set: the keys that are missing, or none when all or none are set.</summary>
    public static IReadOnlyList<string> MissingOfSome(params (string Key, string? Value)[] keys)
    {
        var missing = keys.Where(k => string.IsNullOrWhiteSpace(k.Value)).Select(k => k.Key).ToList();
        return missing.Count == keys.Length ? [] : missing;
    }

    /// <summary>The 404 of a channel that is off on this host (which keys to set is said in the start-up log, not to callers).</summary>
    public static IResult NotEnabled(string channel) => Results.Text(
        $"{channel} is not enabled on this host.", "text/plain", Encoding.UTF8, StatusCodes.Status404NotFound);

    private sealed class Validator<T>(IHostEnvironment environment) : IValidateOptions<T> where T : class, IChannelSettings
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems(environment.IsDevelopment()).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>
/// Every secret ever published in <c>appsettings.sample.json</c>, and the mark its placeholders carry:
/// a host outside Development refuses to start with any of them, naming the key.
/// </summary>
public static class SampleValues
{
    public const string PlaceholderMark = "REPLACE-ME";

    private static readonly HashSet<string> s_published = new(StringComparer.Ordinal)
    {
        "q3X2m8m1qk6b6mC7v0t9bq2d9Zb0e2K1s8Y7aJ4wz1U=",
        "0mQ8d2b4Xw7n1Kc5Jv9Tz3Hs6Ly0Pe4Ra8Ug2Fi5Ob7=",
        "change-me-long-random-value",
        "change-me_long-random-value",
        "replace-with-the-api-key-from-the-dashboard",
        "replace-with-the-auth-token",
        "123456789:replace-with-the-bot-token",
        "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    };

    public static bool IsSample(string? value) =>
        value is not null && (s_published.Contains(value.Trim()) || value.Contains(PlaceholderMark, StringComparison.OrdinalIgnoreCase));

    /// <summary>A sentence for each of <paramref name="keys"/> that still holds a sample value.</summary>
    public static IEnumerable<string> Problems(params (string Key, string? Value)[] keys) =>
        keys.Where(k => IsSample(k.Value)).Select(k => $"{k.Key} holds a value published in appsettings.sample.json, which anyone can read; set one of your own.");
}
