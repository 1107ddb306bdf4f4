using Jukwaa.Bot.Channels.AfricasTalking;
using Jukwaa.Bot.Channels.Twilio;
using Jukwaa.Bot.Core.Dialogs;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Web;

/// <summary>
/// "How to report" on the county pages and the printed scorecards: the USSD code to dial
/// (<c>Channels:AfricasTalking:UssdServiceCode</c>, left out when unset), the SMS number when the host has a
/// numeric one (an Africa's Talking short code as <c>SenderId</c>, else Twilio's <c>FromNumber</c>) and the
/// SMS keywords from <c>dialogs/keywords.yaml</c> in both languages, so what is printed is what the bot answers to.
/// </summary>
public sealed record ReportingChannels(string? UssdCode, string? SmsNumber)
{
    public static ReportingChannels From(IServiceProvider services)
    {
        var africasTalking = services.GetRequiredService<IOptions<AfricasTalkingOptions>>().Value;
        var twilio = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
        var shortCode = africasTalking.SenderId is { Length: > 0 } id && id.All(char.IsAsciiDigit) ? id : null;
        return new(string.IsNullOrWhiteSpace(africasTalking.UssdServiceCode) ? null : africasTalking.UssdServiceCode.Trim(),
            shortCode ?? (twilio.IsConfigured ? twilio.FromNumber : null));
    }

    /// <summary>The dialling line, if there is a code to dial.</summary>
    public string? Ussd(PageText text) => UssdCode is null ? null : text.Format("web.report_ussd", ("code", UssdCode));

    public string SmsHeading(PageText text) => SmsNumber is null ? text["web.report_sms"] : text.Format("web.report_sms_to", ("number", SmsNumber));

    /// <summary>One line per keyword a citizen needs, the word in the page's language first: "REPORT / RIPOTI and what happened: …".</summary>
    public IReadOnlyList<string> Keywords(PageText text) =>
        [.. new[] { ("report", "web.keyword_report"), ("status", "web.keyword_status"), ("score", "web.keyword_score"), ("help", "web.keyword_help") }
            .Select(k => (Word: Word(text, k.Item1), Key: k.Item2))
            .Where(k => k.Word is not null)
            .Select(k => text.Format(k.Key, ("word", k.Word!)))];

    private static string? Word(PageText text, string id)
    {
        if (text.Catalog.Keywords.FirstOrDefault(k => k.Id == id) is not { } keyword) return null;
        var words = new[] { text.Language, text.Other }
            .Select(language => keyword.Words.TryGetValue(language, out var list) && list.Count > 0 ? list[0] : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return words.Count == 0 ? null : string.Join(" / ", words);
    }
}
