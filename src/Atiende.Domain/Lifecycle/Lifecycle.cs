using Atiende.Domain.Tickets;

namespace Atiende.Domain.Lifecycle;

public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>
/// What the lifecycle decided. <see cref="Rejection"/> is set when the move is not allowed (nothing was changed);
/// <see cref="NeedsFollowUp"/> when a customer wrote to a closed ticket and a new linked ticket must take the message.
/// </summary>
public sealed record LifecycleOutcome(IReadOnlyList<FieldChange> Changes, string? Rejection = null, bool NeedsFollowUp = false)
{
    public bool Allowed => Rejection is null;

    public static LifecycleOutcome Rejected(string reason) => new([], reason);
}

/// <summary>Enforces a <see cref="LifecycleDefinition"/> on a ticket. Pure: the caller persists the result.</summary>
public static class Lifecycle
{
    /// <summary>Sets the starting status of a ticket that is being created.</summary>
    public static void Start(LifecycleDefinition definition, Ticket ticket, LifecycleEvent creation, DateTimeOffset now)
    {
        var status = definition.Get(definition.InitialStatus(creation));
        ticket.Status = status.Name;
        ticket.StatusCategory = status.Category;
        ticket.CreatedAt = now;
        ticket.UpdatedAt = now;
        ticket.StatusChangedAt = now;
        if (creation == LifecycleEvent.CreatedWithAgentReply)
        {
            ticket.FirstRespondedAt = now;
            ticket.LastAgentMessageAt = now;
        }
        else
        {
            ticket.LastCustomerMessageAt = now;
        }
    }

    /// <summary>Applies an event. <paramref name="chosenStatus"/> is the status an agent picks with a public reply.</summary>
    public static LifecycleOutcome Apply(
        LifecycleDefinition definition, Ticket ticket, LifecycleEvent ev, DateTimeOffset now, string? chosenStatus = null)
    {
        var current = definition.Get(ticket.Status);
        if (current.Category == StatusCategory.Closed)
        {
            return ev == LifecycleEvent.CustomerReplied
                ? new LifecycleOutcome([], NeedsFollowUp: true)
                : LifecycleOutcome.Rejected($"Ticket #{ticket.Id} is closed and can no longer change.");
        }

        if (ev == LifecycleEvent.CustomerReplied)
        {
            ticket.LastCustomerMessageAt = now;
        }

        if (chosenStatus is not null && ev != LifecycleEvent.AgentReplied)
        {
            return LifecycleOutcome.Rejected("Only an agent's public reply can choose a status.");
        }

        var move = definition.MoveFor(ev, ticket.Status);
        if (move is null)
        {
            return definition.EventsThatMayKeepStatus.Contains(ev)
                ? new LifecycleOutcome([])
                : LifecycleOutcome.Rejected($"A ticket in status '{ticket.Status}' cannot be {Describe(ev)}.");
        }

        var target = move.To;
        if (move.ToPrevious && ticket.PreviousStatus is { } previous && definition.Find(previous) is { Category: not (StatusCategory.Closed or StatusCategory.Removed) })
        {
            target = previous;
        }

        if (chosenStatus is not null)
        {
            if (!definition.ReplyStatuses.Contains(chosenStatus, StringComparer.Ordinal))
            {
                return LifecycleOutcome.Rejected(
                    $"A reply can set the status to {string.Join(", ", definition.ReplyStatuses)}; not '{chosenStatus}'.");
            }

            target = chosenStatus;
        }

        var changes = new List<FieldChange>();
        if (ev == LifecycleEvent.AgentReplied)
        {
            ticket.FirstRespondedAt ??= now;
            ticket.LastAgentMessageAt = now;
        }

        MoveTo(definition, ticket, target, now, changes);
        return new LifecycleOutcome(changes);
    }

    /// <summary>An agent sets the status by hand. Moving to a snoozed-category status needs a future wake time.</summary>
    public static LifecycleOutcome SetStatus(
        LifecycleDefinition definition, Ticket ticket, string target, DateTimeOffset? snoozedUntil, DateTimeOffset now)
    {
        var to = definition.Find(target);
        if (to is null)
        {
            return LifecycleOutcome.Rejected(
                $"Unknown status '{target}'. Known statuses: {string.Join(", ", definition.Statuses.Select(s => s.Name))}.");
        }

        if (string.Equals(ticket.Status, target, StringComparison.Ordinal))
        {
            // Snoozing a snoozed ticket again with a new time moves its wake time.
            return IsSnooze(target) && snoozedUntil is { } until ? Resnooze(ticket, until, now) : new LifecycleOutcome([]);
        }

        if (definition.Get(ticket.Status).Category == StatusCategory.Closed)
        {
            return LifecycleOutcome.Rejected($"Ticket #{ticket.Id} is closed and can no longer change.");
        }

        if (!definition.CanMoveByHand(ticket.Status, target))
        {
            return LifecycleOutcome.Rejected(to.Category == StatusCategory.Closed
                ? "Agents do not close tickets directly: a ticket closes when the customer confirms the resolution, by auto-close, or by a merge."
                : $"A ticket in status '{ticket.Status}' cannot move to '{target}'.");
        }

        var wakes = IsSnooze(target);
        if (wakes && (snoozedUntil is null || snoozedUntil <= now))
        {
            return LifecycleOutcome.Rejected("Snoozing needs snoozedUntil, a time in the future.");
        }

        var changes = new List<FieldChange>();
        MoveTo(definition, ticket, target, now, changes);
        if (wakes)
        {
            SetSnooze(ticket, snoozedUntil, changes);
        }

        return new LifecycleOutcome(changes);
    }

    /// <summary>Changes the wake time of a ticket that is already snoozed.</summary>
    public static LifecycleOutcome Resnooze(Ticket ticket, DateTimeOffset until, DateTimeOffset now)
    {
        if (!IsSnooze(ticket.Status))
        {
            return LifecycleOutcome.Rejected("snoozedUntil can only be set together with status 'snoozed' or on a snoozed ticket.");
        }

        if (until <= now)
        {
            return LifecycleOutcome.Rejected("snoozedUntil must be in the future.");
        }

        var changes = new List<FieldChange>();
        SetSnooze(ticket, until, changes);
        return new LifecycleOutcome(changes);
    }

    // Snoozing is the one status with a timer attached; a custom lifecycle keeps the name to get the wake-up.
    private static bool IsSnooze(string status) => string.Equals(status, DefaultLifecycle.Snoozed, StringComparison.Ordinal);

    private static void SetSnooze(Ticket ticket, DateTimeOffset? until, List<FieldChange> changes)
    {
        if (ticket.SnoozedUntil != until)
        {
            changes.Add(new FieldChange("snoozedUntil", Format(ticket.SnoozedUntil), Format(until)));
            ticket.SnoozedUntil = until;
        }
    }

    private static void MoveTo(LifecycleDefinition definition, Ticket ticket, string target, DateTimeOffset now, List<FieldChange> changes)
    {
        if (string.Equals(ticket.Status, target, StringComparison.Ordinal))
        {
            return;
        }

        var from = definition.Get(ticket.Status);
        var to = definition.Get(target);
        changes.Add(new FieldChange("status", from.Name, to.Name));

        // Remember where to come back to: a snoozed ticket wakes to it, a removed one is restored to it.
        if (IsSnooze(to.Name) || to.Category == StatusCategory.Removed)
        {
            if (from.Category != StatusCategory.Removed && !IsSnooze(from.Name))
            {
                ticket.PreviousStatus = from.Name;
            }
        }
        else
        {
            ticket.PreviousStatus = null;
        }

        if (IsSnooze(from.Name) && !IsSnooze(to.Name))
        {
            SetSnooze(ticket, null, changes);
        }

        ticket.Status = to.Name;
        ticket.StatusCategory = to.Category;
        ticket.UpdatedAt = now;
        ticket.StatusChangedAt = now;
        ticket.PendingReminderSentAt = null;
        if (to.Category == StatusCategory.Resolved)
        {
            ticket.ResolvedAt = now;
        }
        else if (from.Category == StatusCategory.Resolved && to.Category != StatusCategory.Closed)
        {
            ticket.ResolvedAt = null; // reopened: the earlier resolution no longer stands
        }

        if (to.Category == StatusCategory.Closed)
        {
            ticket.ClosedAt = now;
        }
    }

    private static string? Format(DateTimeOffset? at) => at?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(LifecycleEvent ev) => ev switch
    {
        LifecycleEvent.AgentReplied => "replied to",
        LifecycleEvent.CustomerConfirmed => "confirmed as resolved",
        LifecycleEvent.AutoClosed => "closed automatically",
        LifecycleEvent.Merged => "merged",
        LifecycleEvent.WokeUp => "woken up",
        LifecycleEvent.Assigned => "assigned",
        _ => ev.ToString(),
    };
}
