using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>
/// county: their own counties; regional: several; national: every county, read-only; admin: everything;
/// analyst: M&amp;E staff, every county, read-only for reports, and may read questionnaires' free-text answers.
/// Stored as its number (no constraint on the column), so a new role needs no migration.
/// </summary>
public enum OfficerRole { County = 1, Regional = 2, National = 3, Admin = 4, Analyst = 5 }

/// <summary>How an officer hears of new reports in their scope: urgent categories always at once unless off.</summary>
public enum AlertMode
{
    /// <summary>Urgent categories at once, the rest in one message a day at <see cref="Officer.DigestMinute"/>.</summary>
    Digest = 0,
    /// <summary>Every new report at once.</summary>
    Now = 1,
    Off = 2,
}

/// <summary>Someone who reads and moves reports (on Telegram and in the web console), within their role and counties.</summary>
public sealed class Officer
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public OfficerRole Role { get; set; }
    /// <summary>County codes, comma-separated; empty for national and admin (all counties).</summary>
    public string Counties { get; set; } = "";
    /// <summary>May read SGBV, child-protection and terrorism reports.</summary>
    public bool SeesSensitive { get; set; }
    /// <summary>Keyed hash of their Telegram user id: one active officer per Telegram account.</summary>
    public string? TelegramHash { get; set; }
    /// <summary>The Telegram user id (encrypted), for <c>officers list</c>; null for officers registered before it was kept.</summary>
    public string? TelegramSealed { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneSealed { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }
    public AlertMode Alerts { get; set; }
    /// <summary>When the daily digest is sent: minutes after midnight, Kenya time (EAT). 07:00 unless the officer chose.</summary>
    public int DigestMinute { get; set; } = DefaultDigestMinute;
    /// <summary>When the last digest was sent; reports received after it go in the next.</summary>
    public DateTime? LastDigestAt { get; set; }

    public const int DefaultDigestMinute = 7 * 60;

    public IReadOnlyList<string> CountyCodes => Counties.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool CoversAllCounties => Role is OfficerRole.National or OfficerRole.Admin or OfficerRole.Analyst;

    public bool Covers(string countyCode) => CoversAllCounties || CountyCodes.Contains(countyCode);

    /// <summary>Whether the officer may read this report at all: their county, and sensitive only with the flag.</summary>
    public bool CanRead(Report report, bool sensitive) => Covers(report.CountyCode) && (!sensitive || SeesSensitive);

    /// <summary>National officers and M&amp;E analysts only read.</summary>
    public bool CanChange(Report report) => Role is not (OfficerRole.National or OfficerRole.Analyst) && Covers(report.CountyCode);
}

public enum ReportEventKind
{
    /// <summary>The report moved from one status to another.</summary>
    StatusChange = 0,
    /// <summary>An officer read the narrative of a report in a sensitive category (From and To are its status then).</summary>
    NarrativeRead = 1,
}

/// <summary>One entry in a report's history: a change of status (who, when, from, to, why) or a read of a sensitive narrative.</summary>
public sealed class ReportEvent
{
    public long Id { get; set; }
    public ReportEventKind Kind { get; set; }
    public Guid ReportId { get; set; }
    public Guid? OfficerId { get; set; }
    public DateTime At { get; set; }
    public ReportStatus From { get; set; }
    public ReportStatus To { get; set; }
    /// <summary>The officer's note (encrypted: it may describe people).</summary>
    public string? NoteSealed { get; set; }
}

/// <summary>
/// A single-use sign-in link for the web console (valid 10 minutes). Only a hash of the token is kept, so
/// a copy of the database cannot sign anyone in.
/// </summary>
public sealed class SignInToken
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OfficerId { get; set; }
    /// <summary>SHA-256 of the token, hex.</summary>
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

/// <summary>An officer was told of a report (at once or in a digest): at most once per officer and report.</summary>
public sealed class OfficerAlert
{
    public long Id { get; set; }
    public Guid OfficerId { get; set; }
    public Guid ReportId { get; set; }
    public DateTime At { get; set; }
    /// <summary>Sent in a digest rather than at once.</summary>
    public bool InDigest { get; set; }
}
