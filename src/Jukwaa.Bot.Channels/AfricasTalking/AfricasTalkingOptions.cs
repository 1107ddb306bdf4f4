namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>The <c>Channels:AfricasTalking</c> section: USSD callback, SMS short code, SMS API.</summary>
public sealed class AfricasTalkingOptions
{
    public const string Section = "Channels:AfricasTalking";

    public string? Username { get; set; }
    public string? ApiKey { get; set; }

    /// <summary>The short code or alphanumeric sender; empty uses the account's default.</summary>
    public string? SenderId { get; set; }

    /// <summary>Live <c>https://api.africastalking.com</c>; the sandbox is <c>https://api.sandbox.africastalking.com</c>.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.africastalking.com");

    /// <summary>When set, every callback must carry it as the <c>secret</c> query parameter.</summary>
    public string? WebhookSecret { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Username) && !string.IsNullOrWhiteSpace(ApiKey);
}
