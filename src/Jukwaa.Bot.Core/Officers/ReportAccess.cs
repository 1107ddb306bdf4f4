using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>
/// What part of the reports an officer may see: a set of counties (null: all) and the categories hidden
/// from them (the sensitive ones, unless they may see those). Queries filter by it in the database.
/// </summary>
public sealed record ReportScope(IReadOnlyList<string>? Counties, IReadOnlyList<string> HiddenCategories)
{
    public bool Covers(string countyCode) => Counties is null || Counties.Contains(countyCode, StringComparer.Ordinal);

    /// <summary>The same scope narrowed to one county (which the caller has checked it covers).</summary>
    public ReportScope Only(string countyCode) => this with { Counties = [countyCode] };
}

/// <summary>
/// The one place that decides what an officer may read and change, for the Telegram console and the web
/// console alike: their counties, sensitive categories only with the flag, national officers read-only.
/// A report outside an officer's reach is answered exactly as one that does not exist.
/// </summary>
public sealed class ReportAccess(DialogCatalog catalog)
{
    public bool IsSensitive(string category) => catalog.Category(category)?.Sensitive ?? false;

    public bool IsSensitive(Report report) => IsSensitive(report.Category);

    public bool CanRead(Officer officer, Report report) => !officer.Disabled && officer.CanRead(report, IsSensitive(report));

    public bool CanChange(Officer officer, Report report) => CanRead(officer, report) && officer.CanChange(report);

    /// <summary>
    /// Whether the officer may read questionnaires' free-text answers (never with who gave them): M&amp;E analysts and
    /// administrators. County, regional and national officers see how many answered, not what.
    /// </summary>
    public static bool CanReadFreeText(Officer officer) => !officer.Disabled && officer.Role is (OfficerRole.Analyst or OfficerRole.Admin);

    /// <summary>The counties whose questionnaire results the officer may see (null: all), the same counties as their reports.</summary>
    public static IReadOnlyList<string>? ResultCounties(Officer officer) => officer.CoversAllCounties ? null : officer.CountyCodes;

    public ReportScope ScopeOf(Officer officer) => new(
        officer.CoversAllCounties ? null : officer.CountyCodes,
        officer.SeesSensitive ? [] : [.. catalog.Categories.Where(c => c.Sensitive).Select(c => c.Id)]);
}
