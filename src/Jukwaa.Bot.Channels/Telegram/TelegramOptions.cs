using System.Text.RegularExpressions;
using Jukwaa.Bot.Channels.Http;

namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>The <c>Channels:Telegram</c> section: on when <c>BotToken</c> and <c>SecretToken</c> are both set.</summary>
public sealed partial class TelegramOptions : IChannelSettings
{
    public const string Section = "Channels:Telegram";

    public string? BotToken { get; set; }

    /// <summary>Registered with <c>setWebhook</c>; every update must carry it in <c>X-Telegram-Bot-Api-Secret-Token</c>.</summary>
    public string? SecretToken { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://api.telegram.org");

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);

    public IEnumerable<string> Problems(bool development)
    {
        if (!string.IsNullOrEmpty(SecretToken) && !SecretTokenPattern().IsMatch(SecretToken))
        {
            yield return $"{Section}:SecretToken may hold only A-Z, a-z, 0-9, _ and - (1 to 256 of them): Telegram refuses any other.";
        }
        if (development) yield break;
        foreach (var missing in ChannelSettings.MissingOfSome(("BotToken", BotToken), ("SecretToken", SecretToken)))
        {
            yield return $"{Section}:{missing} is not set: Telegram needs both BotToken and SecretToken (or neither, to leave it off).";
        }
        foreach (var problem in SampleValues.Problems(($"{Section}:BotToken", BotToken), ($"{Section}:SecretToken", SecretToken))) yield return problem;
    }

    public IEnumerable<string> Describe(bool development)
    {
        yield return (IsConfigured, development) switch
        {
            (true, _) => $"Telegram is on, sending through {ApiBaseUrl.Host}.",
            (false, true) => "Telegram is on for trying out: without a BotToken its replies are kept by the local sender (messages tail).",
            _ => $"Telegram is off ({Section}:BotToken and SecretToken are not set): its webhook answers 404.",
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretTokenPattern();
}
