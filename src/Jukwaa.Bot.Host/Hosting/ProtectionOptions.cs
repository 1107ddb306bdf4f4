using System.Text.Json;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// The <c>Protection</c> section: two base64 keys of 32 bytes. <c>HashKey</c> makes the look-up hash of
/// phone numbers; <c>EncryptionKey</c> encrypts numbers, narratives and conversation text. Every host
/// sharing a database must have the same keys, and losing them loses the data they protect.
/// </summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";
    public const string DevelopmentKeyFile = "data/protection-keys.json";

    public string? HashKey { get; set; }
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// Binds the section, validated at start: outside Development both keys must be set, and no key may be
    /// the sample's. In Development, when none are configured, keys kept in <see cref="DevelopmentKeyFile"/>
    /// under the content root (made on first run) so that <c>dotnet run</c> needs no set-up.
    /// </summary>
    public static IServiceCollection AddProtection(IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<ProtectionOptions>().BindConfiguration(Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProtectionOptions>>(new Validator(environment.IsDevelopment()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ProtectionOptions>>().Value;
            if (!options.HasKeys) options = DevelopmentKeys(Path.Combine(environment.ContentRootPath, DevelopmentKeyFile));
            return new PersonalDataProtector(Convert.FromBase64String(options.HashKey!), Convert.FromBase64String(options.EncryptionKey!));
        });
        return services;
    }

    private bool HasKeys => !string.IsNullOrWhiteSpace(HashKey) && !string.IsNullOrWhiteSpace(EncryptionKey);

    private static ProtectionOptions DevelopmentKeys(string path)
    {
        if (File.Exists(path)) return JsonSerializer.Deserialize<ProtectionOptions>(File.ReadAllText(path))!;
        var keys = new ProtectionOptions
        {
            HashKey = Convert.ToBase64String(PersonalDataProtector.NewKey()),
            EncryptionKey = Convert.ToBase64String(PersonalDataProtector.NewKey()),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(keys));
        return keys;
    }

    private sealed class Validator(bool development) : IValidateOptions<ProtectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProtectionOptions options)
        {
            if (!options.HasKeys)
            {
                return development && string.IsNullOrWhiteSpace(options.HashKey) && string.IsNullOrWhiteSpace(options.EncryptionKey)
                    ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail("Protection:HashKey and Protection:EncryptionKey must both be set"
                        + (development ? "" : " outside Development") + " (base64, 32 bytes each; e.g. `openssl rand -base64 32`).");
            }
            var problems = new List<string>();
            foreach (var (key, value) in new[] { ("HashKey", options.HashKey!), ("EncryptionKey", options.EncryptionKey!) })
            {
                var published = development ? [] : SampleValues.Problems(($"Protection:{key}", value)).ToList();
                if (published.Count > 0)
                {
                    problems.AddRange(published.Select(p => p.TrimEnd('.') + " (openssl rand -base64 32)."));
                }
                else if (Problem(value) is { } problem)
                {
                    problems.Add($"Protection:{key} {problem}");
                }
            }
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }

        private static string? Problem(string value)
        {
            var bytes = new byte[value.Length];
            if (!Convert.TryFromBase64String(value, bytes, out var length)) return "is not valid base64 (generate one with openssl rand -base64 32).";
            return length == 32 ? null : $"must decode to 32 bytes, not {length}.";
        }
    }
}
