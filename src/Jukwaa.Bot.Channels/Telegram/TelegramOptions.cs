namespace Jukwaa.Bot.Channels.Telegram;

/// <summary>The <c>Channels:Telegram</c> section.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Channels:Telegram";

    public string? BotToken { get; set; }

    /// <summary>Registered with <c>setWebhook</c>; every update must carry it in <c>X-Telegram-Bot-Api-Secret-Token</c>.</summary>
    public string? SecretToken { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://api.telegram.org");

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);
}
