namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>The <c>Channels:AfricasTalking</c> section.</summary>
public sealed class AfricasTalkingOptions
{
    public const string Section = "Channels:AfricasTalking";

    public string? Username { get; set; }
    public string? ApiKey { get; set; }
    public string? SenderId { get; set; }
    public Uri ApiBaseUrl { get; set; } = new("https://api.africastalking.com");

    /// <summary>When set, every callback must carry it as the <c>secret</c> query parameter.</summary>
    public string? WebhookSecret { get; set; }
}
