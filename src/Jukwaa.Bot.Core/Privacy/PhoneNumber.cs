using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Jukwaa.Bot.Core.Privacy;

/// <summary>Normalises sender numbers to E.164 so one phone is one person on USSD and SMS.</summary>
public static partial class PhoneNumber
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

    /// <summary>
    /// <paramref name="text"/> with every run of 7 or more digits (spaces, dots, dashes and brackets
    /// between them allowed) masked: a provider's error names the very numbers it could not parse, so
    /// anything number-like goes, not only what reads as a valid number. A leading <c>+</c> or its URL
    /// form <c>%2B</c> belongs to the number even after a letter (<c>number+2547…</c>); digits inside a
    /// word (a provider's id, <c>SM0123…</c>) are not a number.
    /// </summary>
    public static string Redact(string text) => NumberLike().Replace(text, match =>
    {
        var number = match.Value.StartsWith('%') ? "+" + match.Value[3..] : match.Value;
        return Normalize(number) is { } e164 ? Mask(e164) : new string('*', number.Length);
    });

    [GeneratedRegex(@"(?:\+|%2[Bb]|(?<![\w+]))\d(?:[ ().-]?\d){6,}(?!\w)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NumberLike();
}
