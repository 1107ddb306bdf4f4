using Jukwaa.Bot.Core.Domain;
using Stateless;

namespace Jukwaa.Bot.Core.Officers;

/// <summary>What an officer can do to a report.</summary>
public enum ReportAction { Review, Verify, TakeAction, Close, Reject, Escalate }

/// <summary>
/// The report lifecycle: received → under review → verified → action taken → closed, with rejected
/// (needs a reason) and escalated on the way. Every move is guarded by the officer's role and counties;
/// an escalated report waits for a regional officer or an administrator.
/// </summary>
public sealed class ReportLifecycle
{
    private readonly StateMachine<ReportStatus, ReportAction> _machine;

    public ReportLifecycle(Report report, Officer officer)
    {
        _machine = new StateMachine<ReportStatus, ReportAction>(() => report.Status, s => report.Status = s);
        bool CanAct() => officer.CanChange(report);
        bool CanTakeEscalated() => CanAct() && officer.Role is OfficerRole.Regional or OfficerRole.Admin;

        _machine.Configure(ReportStatus.Received)
            .PermitIf(ReportAction.Review, ReportStatus.UnderReview, CanAct)
            .PermitIf(ReportAction.Reject, ReportStatus.Rejected, CanAct)
            .PermitIf(ReportAction.Escalate, ReportStatus.Escalated, CanAct);
        _machine.Configure(ReportStatus.UnderReview)
            .PermitIf(ReportAction.Verify, ReportStatus.Verified, CanAct)
            .PermitIf(ReportAction.Reject, ReportStatus.Rejected, CanAct)
            .PermitIf(ReportAction.Escalate, ReportStatus.Escalated, CanAct);
        _machine.Configure(ReportStatus.Verified)
            .PermitIf(ReportAction.TakeAction, ReportStatus.ActionTaken, CanAct)
            .PermitIf(ReportAction.Escalate, ReportStatus.Escalated, CanAct);
        _machine.Configure(ReportStatus.ActionTaken)
            .PermitIf(ReportAction.Close, ReportStatus.Closed, CanAct);
        _machine.Configure(ReportStatus.Escalated)
            .PermitIf(ReportAction.Review, ReportStatus.UnderReview, CanTakeEscalated)
            .PermitIf(ReportAction.Reject, ReportStatus.Rejected, CanTakeEscalated);
    }

    /// <summary>What this officer may do now, in the lifecycle's order.</summary>
    public IReadOnlyList<ReportAction> Allowed => [.. Enum.GetValues<ReportAction>().Where(_machine.CanFire)];

    public bool CanApply(ReportAction action) => _machine.CanFire(action);

    /// <summary>Moves the report; false when this officer may not do that now.</summary>
    public bool Apply(ReportAction action)
    {
        if (!_machine.CanFire(action)) return false;
        _machine.Fire(action);
        return true;
    }

    public static bool IsOpen(ReportStatus status) => status is not (ReportStatus.Closed or ReportStatus.Rejected);
}
