namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>The <c>Channels:AfricasTalking</c> section (the USSD callback; SMS adds its API keys).</summary>
public sealed class AfricasTalkingOptions
{
    public const string Section = "Channels:AfricasTalking";

    /// <summary>When set, every callback must carry it as the <c>secret</c> query parameter.</summary>
    public string? WebhookSecret { get; set; }
}
