using Jukwaa.Bot.Channels.Http;

namespace Jukwaa.Bot.Channels.Twilio;

/// <summary>The <c>Channels:Twilio</c> section: SMS through Twilio, on when <c>AccountSid</c>, <c>AuthToken</c> and <c>FromNumber</c> are all set.</summary>
public sealed class TwilioOptions : IChannelSettings
{
    public const string Section = "Channels:Twilio";

    public string? AccountSid { get; set; }

    /// <summary>Signs Twilio's webhooks and authenticates our API calls. In Development, without it, webhooks are accepted unsigned.</summary>
    public string? AuthToken { get; set; }

    public string? FromNumber { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>The URL Twilio calls when the host sits behind a proxy: signatures are checked against it, and status callbacks go to it.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(FromNumber);

    public IEnumerable<string> Problems(bool development)
    {
        if (development) yield break;
        foreach (var missing in ChannelSettings.MissingOfSome(("AccountSid", AccountSid), ("AuthToken", AuthToken), ("FromNumber", FromNumber)))
        {
            yield return $"{Section}:{missing} is not set: SMS through Twilio needs AccountSid, AuthToken and FromNumber (or none of them, to leave it off).";
        }
        foreach (var problem in SampleValues.Problems(($"{Section}:AccountSid", AccountSid), ($"{Section}:AuthToken", AuthToken))) yield return problem;
    }

    public IEnumerable<string> Describe(bool development)
    {
        yield return (IsConfigured, development) switch
        {
            (true, _) => $"SMS through Twilio is on, sending through {ApiBaseUrl.Host}.",
            (false, true) => "SMS through Twilio is on for trying out: without AccountSid, AuthToken and FromNumber its replies are kept by the local sender (messages tail)"
                + (string.IsNullOrWhiteSpace(AuthToken) ? " and its webhooks are accepted unsigned." : "."),
            _ => $"SMS through Twilio is off ({Section}:AccountSid, AuthToken and FromNumber are not set): its webhooks answer 404.",
        };
    }
}
