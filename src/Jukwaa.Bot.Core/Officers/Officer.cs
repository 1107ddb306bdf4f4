using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>county: their own counties; regional: several; national: every county, read-only; admin: everything.</summary>
public enum OfficerRole { County = 1, Regional = 2, National = 3, Admin = 4 }

/// <summary>Someone who reads and moves reports from Telegram, within their role and counties.</summary>
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

    public IReadOnlyList<string> CountyCodes => Counties.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool CoversAllCounties => Role is OfficerRole.National or OfficerRole.Admin;

    public bool Covers(string countyCode) => CoversAllCounties || CountyCodes.Contains(countyCode);

    /// <summary>Whether the officer may read this report at all: their county, and sensitive only with the flag.</summary>
    public bool CanRead(Report report, bool sensitive) => Covers(report.CountyCode) && (!sensitive || SeesSensitive);

    /// <summary>National officers only read.</summary>
    public bool CanChange(Report report) => Role != OfficerRole.National && Covers(report.CountyCode);
}

/// <summary>One change of a report's status: who, when, from, to, and why.</summary>
public sealed class ReportEvent
{
    public long Id { get; set; }
    public Guid ReportId { get; set; }
    public Guid? OfficerId { get; set; }
    public DateTime At { get; set; }
    public ReportStatus From { get; set; }
    public ReportStatus To { get; set; }
    /// <summary>The officer's note (encrypted: it may describe people).</summary>
    public string? NoteSealed { get; set; }
}
