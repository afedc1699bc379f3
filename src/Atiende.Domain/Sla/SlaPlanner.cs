using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;

namespace Atiende.Domain.Sla;

public enum SlaStepKind
{
    Warning,
    Breach,
    Reassign,
}

/// <summary>A step the scheduler must take for one target, now due.</summary>
public sealed record SlaStep(SlaStepKind Kind, SlaTarget Target);

/// <summary>
/// Keeps a ticket's SLA targets in line with its facts. It is called after every change to a ticket and is
/// idempotent: it starts the targets the policy sets, stops the ones that were met, pauses and resumes clocks by
/// status category, re-plans when the policy or its minutes change, and plans each open target's next step.
/// </summary>
public static class SlaPlanner
{
    public static bool ClockRuns(StatusCategory category) => category is StatusCategory.New or StatusCategory.Active;

    public static void Reconcile(Ticket ticket, SlaPolicy? policy, BusinessClock clock, List<SlaTarget> targets, DateTimeOffset now)
    {
        // A target the matching policy no longer sets is cancelled (re-planned away), never left dangling.
        foreach (var target in targets.Where(t => t.IsOpen && (policy is null || policy.MinutesFor(t.Kind) is null)))
        {
            Stop(target, clock, now);
            target.Cancelled = true;
        }

        if (policy is not null)
        {
            Start(ticket, policy, targets, now);
        }

        var closed = ticket.StatusCategory is StatusCategory.Closed or StatusCategory.Removed;
        foreach (var target in targets.Where(t => t.IsOpen))
        {
            if (policy is not null)
            {
                target.PolicyId = policy.Id;
                target.TargetMinutes = policy.MinutesFor(target.Kind)!.Value;
                target.WarningPercent = policy.WarningPercent;
            }

            var metAt = MetAt(ticket, target);
            if (metAt is { } at && target.AchievedAt is null)
            {
                Stop(target, clock, Min(at, now));
                target.AchievedAt = at;
                target.OverdueMinutes = Overdue(target);
            }
            else if (metAt is null && target.AchievedAt is not null)
            {
                target.AchievedAt = null; // reopened after a resolution: the resolution clock goes on
                target.OverdueMinutes = 0;
            }

            if (target.AchievedAt is not null || closed)
            {
                Stop(target, clock, now);
                target.Completed = target.Kind != SlaTargetKind.Resolution || closed;
            }
            else if (ClockRuns(ticket.StatusCategory))
            {
                target.RunningSince ??= now;
            }
            else
            {
                Stop(target, clock, now);
            }

            Plan(target, clock);
        }

        ticket.SlaDueAt = NextStepAt(targets, policy);
    }

    /// <summary>The steps due at <paramref name="now"/>: each happens once because the caller stamps it.</summary>
    public static IReadOnlyList<SlaStep> DueSteps(IEnumerable<SlaTarget> targets, SlaPolicy? policy, DateTimeOffset now)
    {
        var steps = new List<SlaStep>();
        foreach (var target in targets.Where(t => t.IsOpen && t.AchievedAt is null && t.RunningSince is not null))
        {
            if (target.BreachedAt is null && target.DueAt is { } due && due <= now)
            {
                steps.Add(new SlaStep(SlaStepKind.Breach, target));
            }
            else if (target.WarnedAt is null && target.BreachedAt is null && target.WarnAt is { } warn && warn <= now)
            {
                steps.Add(new SlaStep(SlaStepKind.Warning, target));
            }
            else if (ReassignAt(target, policy) is { } reassign && reassign <= now)
            {
                steps.Add(new SlaStep(SlaStepKind.Reassign, target));
            }
        }

        return steps;
    }

    public static DateTimeOffset? NextStepAt(IEnumerable<SlaTarget> targets, SlaPolicy? policy)
    {
        DateTimeOffset? next = null;
        foreach (var target in targets.Where(t => t.IsOpen && t.AchievedAt is null && t.RunningSince is not null))
        {
            var at = target.BreachedAt is null
                ? target.WarnedAt is null && target.WarnAt is { } warn ? warn : target.DueAt
                : ReassignAt(target, policy);
            if (at is { } candidate && (next is null || candidate < next))
            {
                next = candidate;
            }
        }

        return next;
    }

    private static DateTimeOffset? ReassignAt(SlaTarget target, SlaPolicy? policy) =>
        target.BreachedAt is { } breached && target.ReassignedAt is null && policy?.ReassignAfterMinutes is { } minutes
            ? breached.AddMinutes(minutes)
            : null;

    private static void Start(Ticket ticket, SlaPolicy policy, List<SlaTarget> targets, DateTimeOffset now)
    {
        void Add(SlaTargetKind kind, int cycle, DateTimeOffset startedAt) => targets.Add(new SlaTarget
        {
            TicketId = ticket.Id,
            Kind = kind,
            Cycle = cycle,
            PolicyId = policy.Id,
            TargetMinutes = policy.MinutesFor(kind)!.Value,
            WarningPercent = policy.WarningPercent,
            StartedAt = startedAt,
        });

        var closed = ticket.StatusCategory is StatusCategory.Closed or StatusCategory.Removed;
        if (closed)
        {
            return;
        }

        if (policy.FirstResponseMinutes is not null && ticket.FirstRespondedAt is null && targets.All(t => t.Kind != SlaTargetKind.FirstResponse))
        {
            Add(SlaTargetKind.FirstResponse, 1, now);
        }

        if (policy.ResolutionMinutes is not null && targets.All(t => t.Kind != SlaTargetKind.Resolution))
        {
            Add(SlaTargetKind.Resolution, 1, now);
        }

        // A customer message after the first response, not yet answered, opens a next-response cycle.
        if (policy.NextResponseMinutes is not null && ticket.FirstRespondedAt is not null
            && ticket.LastCustomerMessageAt is { } asked && (ticket.LastAgentMessageAt is not { } answered || answered < asked)
            && !targets.Any(t => t.Kind == SlaTargetKind.NextResponse && t.StartedAt >= asked))
        {
            foreach (var previous in targets.Where(t => t.Kind == SlaTargetKind.NextResponse && t.IsOpen))
            {
                previous.Completed = true;
            }

            Add(SlaTargetKind.NextResponse, targets.Count(t => t.Kind == SlaTargetKind.NextResponse) + 1, asked);
        }
    }

    private static DateTimeOffset? MetAt(Ticket ticket, SlaTarget target) => target.Kind switch
    {
        SlaTargetKind.FirstResponse => ticket.FirstRespondedAt,
        SlaTargetKind.NextResponse => ticket.LastAgentMessageAt is { } answered && answered >= target.StartedAt ? answered : null,
        _ => ticket.StatusCategory is StatusCategory.Resolved or StatusCategory.Closed ? ticket.ResolvedAt ?? ticket.ClosedAt : null,
    };

    private static void Stop(SlaTarget target, BusinessClock clock, DateTimeOffset at)
    {
        if (target.RunningSince is { } since)
        {
            target.Elapsed += clock.Between(since, at);
            target.RunningSince = null;
        }
    }

    private static void Plan(SlaTarget target, BusinessClock clock)
    {
        if (target.RunningSince is not { } since)
        {
            target.DueAt = null;
            target.WarnAt = null;
            return;
        }

        target.DueAt = clock.Add(since, Max(TimeSpan.Zero, target.Target - target.Elapsed));
        var warnShare = target.Target * (target.WarningPercent / 100.0);
        target.WarnAt = target.WarningPercent is > 0 and < 100 ? clock.Add(since, Max(TimeSpan.Zero, warnShare - target.Elapsed)) : null;
    }

    private static int Overdue(SlaTarget target) => (int)Math.Max(0, Math.Ceiling((target.Elapsed - target.Target).TotalMinutes));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
