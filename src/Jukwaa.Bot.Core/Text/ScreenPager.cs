using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Text;

/// <summary>
/// Lays a reply out on screens of a fixed size. What does not fit is split into pages that end with
/// "98 More" and (after the first) "0 Back"; options keep their numbers on every page.
/// </summary>
public static class ScreenPager
{
    public const string MoreKey = "98";
    public const string BackKey = "0";

    /// <summary>
    /// The longest screen a channel shows: USSD 160 GSM-7 characters (some networks cut past it); SMS
    /// one part, 160 GSM-7 characters (what callers typed is made GSM-7 before it is echoed).
    /// </summary>
    public static int MaxLength(Channel channel) => channel switch
    {
        Channel.Ussd or Channel.Sms => 160,
        Channel.Telegram => 4096,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "No screen size is defined for this channel yet."),
    };

    public static IReadOnlyList<string> Pages(Reply reply, int maxChars, string moreLabel, string backLabel)
    {
        var more = $"{MoreKey}. {moreLabel}";
        var back = $"{BackKey}. {backLabel}";
        var lines = reply.Text.Split('\n').Concat(reply.Options.Select(o => $"{o.Key}. {o.Label}")).ToList();
        var whole = string.Join('\n', lines);
        if (whole.Length <= maxChars || reply.Ends)
        {
            // An END screen cannot page: the phone closes it. Dialog texts are kept short enough.
            return [whole.Length <= maxChars ? whole : whole[..maxChars]];
        }

        var budget = maxChars - more.Length - back.Length - 2;
        var pages = new List<string>();
        var current = new List<string>();
        foreach (var line in lines.SelectMany(l => Wrap(l, budget)))
        {
            if (current.Count > 0 && Length(current) + 1 + line.Length > budget)
            {
                pages.Add(string.Join('\n', current.Append(more).Concat(pages.Count > 0 ? [back] : Array.Empty<string>())));
                current.Clear();
            }
            current.Add(line);
        }
        pages.Add(string.Join('\n', current.Append(back)));
        return pages;
    }

    private static int Length(List<string> lines) => lines.Sum(l => l.Length) + lines.Count - 1;

    private static IEnumerable<string> Wrap(string line, int width)
    {
        while (line.Length > width)
        {
            var cut = line.LastIndexOf(' ', width);
            if (cut <= 0) cut = width;
            yield return line[..cut].TrimEnd();
            line = line[cut..].TrimStart();
        }
        yield return line;
    }
}
