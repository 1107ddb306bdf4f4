namespace Jukwaa.Bot.Channels.Twilio;

/// <summary>The <c>Channels:Twilio</c> section.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Channels:Twilio";

    public string? AccountSid { get; set; }

    /// <summary>Signs Twilio's webhooks and authenticates our API calls. Without it the channel is off (Development accepts unsigned webhooks).</summary>
    public string? AuthToken { get; set; }

    public string? FromNumber { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>The URL Twilio calls when the host sits behind a proxy: signatures are checked against it, and status callbacks go to it.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(FromNumber);
}
