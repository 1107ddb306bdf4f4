using PhoneNumbers;

namespace Jukwaa.Bot.Core.Privacy;

/// <summary>Normalises sender numbers to E.164 so one phone is one person on USSD and SMS.</summary>
public static class PhoneNumber
{
    private static readonly PhoneNumberUtil s_util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164 (+2547…) or null when the text is not a plausible number. Local numbers are read as Kenyan.</summary>
    public static string? Normalize(string? raw, string defaultRegion = "KE")
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 32) return null;
        try
        {
            var parsed = s_util.Parse(raw.Trim(), defaultRegion);
            return s_util.IsPossibleNumber(parsed) ? s_util.Format(parsed, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>"+2547*****678": what an officer may see (GSM-7, so it can go in any message).</summary>
    public static string Mask(string e164) =>
        e164.Length <= 7 ? new string('*', e164.Length) : string.Concat(e164.AsSpan(0, 5), new string('*', e164.Length - 8), e164.AsSpan(e164.Length - 3));
}
