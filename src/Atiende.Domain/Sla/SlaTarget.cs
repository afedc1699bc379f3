namespace Atiende.Domain.Sla;

/// <summary>
/// One SLA clock of one ticket: first response, a next-response cycle (one per customer message), or resolution.
/// Elapsed business time accumulates while the ticket is in a running category; DueAt and WarnAt are planned from
/// the running start. Each step (warning, breach, reassignment) is stamped once, which is what makes it happen once.
/// </summary>
public sealed class SlaTarget
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public SlaTargetKind Kind { get; set; }
    public int Cycle { get; set; }
    public long PolicyId { get; set; }
    public int TargetMinutes { get; set; }
    public int WarningPercent { get; set; }
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Business time counted while paused clocks were running before.</summary>
    public TimeSpan Elapsed { get; set; }
    public DateTimeOffset? RunningSince { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? WarnAt { get; set; }
    public DateTimeOffset? WarnedAt { get; set; }
    public DateTimeOffset? BreachedAt { get; set; }
    public DateTimeOffset? ReassignedAt { get; set; }

    /// <summary>When the target was met. For resolution it is tentative until the ticket closes: a reopen clears it.</summary>
    public DateTimeOffset? AchievedAt { get; set; }

    /// <summary>Final: the outcome stands (closed ticket, superseded cycle, or the policy no longer has this target).</summary>
    public bool Completed { get; set; }
    public bool Cancelled { get; set; }

    /// <summary>Business minutes beyond the target when it ended late; zero when met in time.</summary>
    public int OverdueMinutes { get; set; }

    public bool IsOpen => !Completed && !Cancelled;
    public TimeSpan Target => TimeSpan.FromMinutes(TargetMinutes);

    public SlaState StateAt(DateTimeOffset now) =>
        Cancelled ? SlaState.Achieved
        : AchievedAt is not null ? SlaState.Achieved
        : BreachedAt is not null || (DueAt is { } due && now >= due) ? SlaState.Breached
        : RunningSince is null ? SlaState.Paused
        : WarnAt is { } warn && now >= warn ? SlaState.Warning
        : SlaState.Ok;
}
