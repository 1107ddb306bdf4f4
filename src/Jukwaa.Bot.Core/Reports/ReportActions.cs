using System.Globalization;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Core.Reports;

/// <summary>The programme's thematic areas (<c>dialogs/categories.yaml</c>) as menu options.</summary>
public sealed class CategoryOptions : IOptionSource
{
    public string Name => "categories";

    public IReadOnlyList<ChoiceOption> Options(DialogContext context) =>
        [.. context.Catalog.Categories.Select(c => new ChoiceOption(c.Id, c.Label.Get(context.Language), [.. c.Label.Texts.Values]))];

    public string? Label(DialogContext context, string value) => context.Catalog.Category(value)?.Label.Get(context.Language);
}

/// <summary>The counties that matched what the person typed, kept by <see cref="CountySearchAction"/>.</summary>
public sealed class CountyMatchOptions : IOptionSource
{
    public const string MatchesKey = "county_matches";

    public string Name => "county_matches";

    public IReadOnlyList<ChoiceOption> Options(DialogContext context) =>
        [.. context.Data.GetValueOrDefault(MatchesKey, "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(context.Catalog.County).OfType<County>().Select(c => new ChoiceOption(c.Code, c.Name, c.Aliases))];

    public string? Label(DialogContext context, string value) => context.Catalog.County(value)?.Name;
}

/// <summary>
/// Finds counties from a name, part of a name, a misspelling or the official code, so any of the 47
/// is chosen in two screens: type, then pick from at most <see cref="MaxMatches"/> candidates.
/// </summary>
public sealed class CountySearchAction : IDialogAction
{
    public const int MaxMatches = 4;

    public string Name => "county.search";

    /// <summary><c>one</c>: a single county matched (kept as <c>county</c> too, for dialogs that need no confirmation); <c>found</c>: several; <c>none</c>.</summary>
    public IReadOnlyList<string> Outcomes { get; } = ["one", "found", "none"];

    public Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var matches = Search(context.Catalog, input ?? "");
        if (matches.Count == 0)
        {
            context.Say("county.none", ("typed", input ?? ""));
            return Task.FromResult("none");
        }
        context.Data[CountyMatchOptions.MatchesKey] = string.Join(',', matches.Select(c => c.Code));
        if (matches.Count > 1) return Task.FromResult("found");
        context.Data["county"] = matches[0].Code;
        return Task.FromResult("one");
    }

    public static IReadOnlyList<County> Search(DialogCatalog catalog, string typed)
    {
        var folded = DialogCatalog.Fold(typed);
        if (folded.Length == 0) return [];
        if (folded.All(char.IsAsciiDigit))
        {
            var code = int.TryParse(folded, CultureInfo.InvariantCulture, out var n) ? n.ToString("000", CultureInfo.InvariantCulture) : "";
            return catalog.County(code) is { } byCode ? [byCode] : [];
        }
        // Only the best kind of match counts: a prefix hides misspellings, an exact name hides everything else.
        var best = catalog.Counties
            .Select(c => (County: c, Match: Match(folded, c)))
            .Where(x => x.Match.Tier < NoMatch)
            .GroupBy(x => x.Match.Tier)
            .OrderBy(g => g.Key)
            .FirstOrDefault();
        if (best is null) return [];
        return [.. best.OrderBy(x => x.Match.Distance).ThenBy(x => x.County.Name, StringComparer.Ordinal).Take(MaxMatches).Select(x => x.County)];
    }

    private const int NoMatch = 4;

    /// <summary>Tier 0 exact, 1 prefix, 2 contains, 3 a few letters wrong; 4 no match.</summary>
    private static (int Tier, int Distance) Match(string folded, County county)
    {
        var best = (Tier: NoMatch, Distance: 0);
        foreach (var name in county.Aliases.Append(county.Name).Select(DialogCatalog.Fold))
        {
            if (name == folded) return (0, 0);
            if (name.StartsWith(folded, StringComparison.Ordinal) && folded.Length >= 2) best = Min(best, (1, 0));
            else if (name.Contains(folded, StringComparison.Ordinal) && folded.Length >= 3) best = Min(best, (2, 0));
            else
            {
                var distance = Distance(folded, name.Length > folded.Length + 2 ? name[..(folded.Length + 1)] : name);
                var allowed = folded.Length <= 4 ? 1 : folded.Length <= 8 ? 2 : 3;
                if (distance <= allowed) best = Min(best, (3, distance));
            }
        }
        return best;
    }

    private static (int Tier, int Distance) Min((int Tier, int Distance) a, (int Tier, int Distance) b) => a.CompareTo(b) <= 0 ? a : b;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

/// <summary>Stores the report from the dialog's answers and gives the person its reference.</summary>
public sealed class SubmitReportAction(PersonalDataProtector protector) : IDialogAction
{
    private const int MaxReferenceAttempts = 8;

    public string Name => "report.submit";

    public IReadOnlyList<string> Outcomes { get; } = ["submitted"];

    public async Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var data = context.Data;
        var reference = await NewReferenceAsync(context.Reports, cancellationToken);
        context.Reports.Add(new Report
        {
            Reference = reference,
            // A quick report (SMS REPORT <text>) asks only the county: it is filed as "other", without a
            // place, and with the reporter's identity hidden until they say otherwise.
            Category = data.GetValueOrDefault("category", "other"),
            CountyCode = data["county"],
            PlaceSealed = protector.Seal(data.GetValueOrDefault("place", "")),
            DetailsSealed = protector.Seal(data["details"]),
            Anonymous = data.GetValueOrDefault("anonymous", "yes") == "yes",
            ReporterId = context.Person.Id,
            Channel = context.Channel,
            // USSD cannot reach a person later: they hear back by SMS through Africa's Talking, the USSD provider.
            ReplyProvider = context.Provider ?? (context.Channel == Channel.Ussd ? "africastalking" : Messaging.LocalSmsSender.Name),
            Language = context.Language,
            CreatedAt = context.Now,
            StatusChangedAt = context.Now,
        });
        context.ReportSubmitted = true;
        // The narrative now lives in the report (encrypted); the session keeps only the reference.
        data.Clear();
        data["ref"] = ReferenceNumber.Format(reference);
        return "submitted";
    }

    private static async Task<string> NewReferenceAsync(IReportStore reports, CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxReferenceAttempts; i++)
        {
            var reference = ReferenceNumber.New();
            if (!await reports.ReferenceExistsAsync(reference, cancellationToken)) return reference;
        }
        throw new InvalidOperationException("Could not find an unused report reference.");
    }
}

/// <summary>"Check a report": status and date of last change, by reference.</summary>
public sealed class ReportStatusAction : IDialogAction
{
    public string Name => "report.status";

    public IReadOnlyList<string> Outcomes { get; } = ["found", "invalid", "not_found"];

    public async Task<string> RunAsync(DialogContext context, string? input, CancellationToken cancellationToken)
    {
        var check = ReferenceNumber.Check(input ?? "");
        if (check.Validity != ReferenceValidity.Valid)
        {
            context.Say("status.invalid", ("typed", input ?? ""));
            return "invalid";
        }
        var report = await context.Reports.FindByReferenceAsync(check.Digits, cancellationToken);
        if (report is null)
        {
            context.Say("status.not_found", ("ref", ReferenceNumber.Format(check.Digits)));
            return "not_found";
        }
        context.Data["ref"] = ReferenceNumber.Format(report.Reference);
        context.Data["changed"] = report.StatusChangedAt.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var statusKey = "report_status." + StatusKey(report.Status);
        if (context.Catalog.Strings.TryGetValue(statusKey, out var label)) context.SetLocalized("status", label);
        else context.Data["status"] = report.Status.ToString();
        return "found";
    }

    public static string StatusKey(ReportStatus status) => status switch
    {
        ReportStatus.UnderReview => "under_review",
        ReportStatus.ActionTaken => "action_taken",
        _ => status.ToString().ToLowerInvariant(),
    };
}
