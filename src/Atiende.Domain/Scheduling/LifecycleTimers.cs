using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;

namespace Atiende.Domain.Scheduling;

/// <summary>Days after which the scheduler acts on a ticket that nobody touched; 0 switches a timer off.</summary>
public sealed record LifecycleTimers(int PendingReminderDays = 3, int PendingAutoCloseDays = 7, int ResolvedAutoCloseDays = 5, int TrashRetentionDays = 30)
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, days) in new[]
                 {
                     ("pendingReminderDays", PendingReminderDays), ("pendingAutoCloseDays", PendingAutoCloseDays),
                     ("resolvedAutoCloseDays", ResolvedAutoCloseDays), ("trashRetentionDays", TrashRetentionDays),
                 })
        {
            if (days is < 0 or > 3650)
            {
                problems.Add($"{name} must be between 0 (off) and 3650 days.");
            }
        }

        if (PendingReminderDays > 0 && PendingAutoCloseDays > 0 && PendingReminderDays >= PendingAutoCloseDays)
        {
            problems.Add("pendingReminderDays must come before pendingAutoCloseDays.");
        }

        return problems;
    }
}

public enum TimerKind
{
    WakeUp,
    PendingReminder,
    PendingAutoClose,
    ResolvedAutoClose,
    Purge,
}

/// <summary>Which time-based move is due for a ticket. The server finds candidates by index; this decides.</summary>
public static class TicketTimers
{
    /// <summary>Tickets whose status changed at or before this instant are due for the timer (null: the timer is off).</summary>
    public static DateTimeOffset? ChangedBefore(TimerKind kind, LifecycleTimers timers, DateTimeOffset now)
    {
        var days = kind switch
        {
            TimerKind.PendingReminder => timers.PendingReminderDays,
            TimerKind.PendingAutoClose => timers.PendingAutoCloseDays,
            TimerKind.ResolvedAutoClose => timers.ResolvedAutoCloseDays,
            TimerKind.Purge => timers.TrashRetentionDays,
            _ => 0,
        };
        return days > 0 ? now.AddDays(-days) : null;
    }

    public static bool IsDue(TimerKind kind, Ticket ticket, LifecycleTimers timers, DateTimeOffset now) => kind switch
    {
        TimerKind.WakeUp => ticket.Status == DefaultLifecycle.Snoozed && ticket.SnoozedUntil is { } wake && wake <= now,
        TimerKind.PendingReminder => ticket.Status == DefaultLifecycle.Pending && ticket.PendingReminderSentAt is null
            && ChangedBefore(kind, timers, now) is { } before && ticket.StatusChangedAt <= before
            && !IsDue(TimerKind.PendingAutoClose, ticket, timers, now),
        TimerKind.PendingAutoClose => ticket.Status == DefaultLifecycle.Pending
            && ChangedBefore(kind, timers, now) is { } before && ticket.StatusChangedAt <= before,
        TimerKind.ResolvedAutoClose => ticket.StatusCategory == StatusCategory.Resolved
            && ChangedBefore(kind, timers, now) is { } before && ticket.StatusChangedAt <= before,
        TimerKind.Purge => ticket.Status == DefaultLifecycle.Deleted
            && ChangedBefore(kind, timers, now) is { } before && ticket.StatusChangedAt <= before,
        _ => false,
    };
}
