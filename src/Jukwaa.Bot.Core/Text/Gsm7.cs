namespace Jukwaa.Bot.Core.Text;

/// <summary>The GSM 03.38 default alphabet: what every feature phone shows, on USSD and in one SMS part of 160.</summary>
public static class Gsm7
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Extension characters cost two septets (escape + char).
    private const string Extension = "^{}\\[~]|€\f";

    private static readonly HashSet<char> s_basic = [.. Basic];
    private static readonly HashSet<char> s_extension = [.. Extension];

    public static bool IsGsm7(char c) => s_basic.Contains(c) || s_extension.Contains(c);

    public static bool IsGsm7(string text) => text.All(IsGsm7);

    /// <summary>Length in septets, or null when the text needs UCS-2.</summary>
    public static int? SeptetLength(string text)
    {
        var length = 0;
        foreach (var c in text)
        {
            if (s_basic.Contains(c)) length += 1;
            else if (s_extension.Contains(c)) length += 2;
            else return null;
        }
        return length;
    }

    /// <summary>
    /// How many SMS parts the text takes: GSM-7 160 septets in one part or 153 per part when split;
    /// UCS-2 (anything else) 70 characters in one part or 67 per part.
    /// </summary>
    public static int SmsParts(string text)
    {
        if (SeptetLength(text) is { } septets) return septets <= 160 ? 1 : (septets + 152) / 153;
        return text.Length <= 70 ? 1 : (text.Length + 66) / 67;
    }

    /// <summary>
    /// Makes text a person typed safe to echo on a GSM-7 screen: common look-alikes are mapped
    /// (curly quotes, dashes, accents) and anything else becomes '?'.
    /// </summary>
    public static string Sanitize(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (s_basic.Contains(c) || s_extension.Contains(c)) { builder.Append(c); continue; }
            builder.Append(c switch
            {
                '‘' or '’' or '`' or '´' => '\'',
                '“' or '”' => '"',
                '–' or '—' => '-',
                '\t' => ' ',
                'á' or 'â' or 'ã' => 'a',
                'ê' or 'ë' => 'e',
                'í' or 'î' or 'ï' => 'i',
                'ó' or 'ô' or 'õ' => 'o',
                'ú' or 'û' => 'u',
                'ç' => 'c',
                _ => '?',
            });
        }
        return builder.ToString();
    }
}
