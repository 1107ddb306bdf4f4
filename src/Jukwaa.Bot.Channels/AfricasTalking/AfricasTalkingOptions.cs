using Jukwaa.Bot.Channels.Http;

namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>
/// The <c>Channels:AfricasTalking</c> section: two channels. USSD needs only <c>WebhookSecret</c> (required
/// outside Development); SMS (inbound short code, and every SMS sent, including status messages to USSD
/// reporters) needs <c>Username</c> and <c>ApiKey</c> as well, and is off without them.
/// </summary>
public sealed class AfricasTalkingOptions : IChannelSettings
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

    /// <summary>
    /// The USSD code citizens dial (<c>*384*57#</c>), as the telco assigned it: printed on the scorecards and named on
    /// the public pages under "how to report". Unset: they name the SMS keywords only.
    /// </summary>
    public string? UssdServiceCode { get; set; }

    /// <summary>SMS can be sent and received: the account is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Username) && !string.IsNullOrWhiteSpace(ApiKey);

    public IEnumerable<string> Problems(bool development)
    {
        if (UssdServiceCode is { } code && !System.Text.RegularExpressions.Regex.IsMatch(code, @"^\*[0-9]{1,4}(\*[0-9]{1,4}){0,4}#$"))
        {
            yield return $"{Section}:UssdServiceCode '{code}' is not a USSD code such as *384*57#: it is printed on the scorecards for citizens to dial.";
        }
        if (development) yield break;
        if (string.IsNullOrWhiteSpace(WebhookSecret))
        {
            yield return $"{Section}:WebhookSecret is not set: the USSD and SMS callbacks could not be told from forgeries; outside Development it is required.";
        }
        foreach (var missing in ChannelSettings.MissingOfSome(("Username", Username), ("ApiKey", ApiKey)))
        {
            yield return $"{Section}:{missing} is not set: SMS through Africa's Talking needs both Username and ApiKey (or neither, for USSD only).";
        }
        foreach (var problem in SampleValues.Problems(($"{Section}:WebhookSecret", WebhookSecret), ($"{Section}:ApiKey", ApiKey))) yield return problem;
    }

    public IEnumerable<string> Describe(bool development)
    {
        yield return string.IsNullOrWhiteSpace(WebhookSecret)
            ? "USSD (Africa's Talking) is on, without a webhook secret (Development only)."
            : "USSD (Africa's Talking) is on; its callbacks must carry the webhook secret.";
        yield return (IsConfigured, development) switch
        {
            (true, _) => $"SMS through Africa's Talking is on, sending through {ApiBaseUrl.Host}.",
            (false, true) => "SMS through Africa's Talking is on for trying out: with no Username and ApiKey its replies are kept by the local sender (messages tail).",
            _ => $"SMS through Africa's Talking is off ({Section}:Username and ApiKey are not set): its webhooks answer 404 and SMS to USSD callers stay queued.",
        };
    }
}
