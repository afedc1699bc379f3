using Atiende.Domain.Lifecycle;
using Atiende.Domain.Scheduling;
using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Notifications;
using Atiende.Server.Shared;
using Atiende.Server.Sla;
using Atiende.Server.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Scheduler;

/// <summary>What one scheduler pass did, per kind of work.</summary>
public sealed record SchedulerPass(bool Leader, IReadOnlyDictionary<string, int> Done)
{
    public int Total => Done.Values.Sum();
}

/// <summary>
/// One pass over all time-based work. Each kind finds its due tickets through an index on a due time (never a scan of
/// all tickets), re-checks each with the pure rules, acts, and saves a batch in one transaction. The ticket's version
/// is the concurrency token: should two processes ever act on the same ticket, one save fails and that ticket is
/// retried alone, so each step happens once.
/// </summary>
public sealed class RunDueWork(AtiendeDb db, SlaTracking sla, LifecycleDefinition lifecycle, MailOutbound mail)
{
    public const string SlaWork = "sla";

    public async Task<SchedulerPass> RunAsync(DateTimeOffset now, int batchSize, int maxPerPass, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var timers = await LifecycleTimersApi.LoadAsync(db, cancellationToken);
        var done = new Dictionary<string, int>(StringComparer.Ordinal);
        var kinds = new[] { TimerKind.WakeUp, TimerKind.PendingAutoClose, TimerKind.PendingReminder, TimerKind.ResolvedAutoClose, TimerKind.Purge };
        foreach (var work in new[] { SlaWork }.Concat(kinds.Select(k => k.ToString())))
        {
            var count = 0;
            while (count < maxPerPass)
            {
                var ids = await DueIds(work, timers, now, batchSize).ToListAsync(cancellationToken);
                if (ids.Count == 0)
                {
                    break;
                }

                count += work == nameof(TimerKind.Purge)
                    ? await PurgeAsync(ids, timers, now, cancellationToken)
                    : await ProcessBatchAsync(work, ids, timers, now, cancellationToken);
                await renewLease();
                if (ids.Count < batchSize)
                {
                    break;
                }
            }

            done[work] = count;
        }

        return new SchedulerPass(true, done);
    }

    private IQueryable<long> DueIds(string work, LifecycleTimers timers, DateTimeOffset now, int batchSize)
    {
        IQueryable<Ticket> due;
        if (work == SlaWork)
        {
            due = db.Tickets.Where(t => t.SlaDueAt <= now).OrderBy(t => t.SlaDueAt);
        }
        else
        {
            var kind = Enum.Parse<TimerKind>(work);
            var before = TicketTimers.ChangedBefore(kind, timers, now);
            due = kind switch
            {
                TimerKind.WakeUp => db.Tickets.Where(t => t.SnoozedUntil <= now && t.Status == DefaultLifecycle.Snoozed).OrderBy(t => t.SnoozedUntil),
                _ when before is null => db.Tickets.Where(t => false),
                TimerKind.PendingReminder => db.Tickets.Where(t => t.Status == DefaultLifecycle.Pending && t.PendingReminderSentAt == null && t.StatusChangedAt <= before)
                    .OrderBy(t => t.StatusChangedAt),
                TimerKind.PendingAutoClose => db.Tickets.Where(t => t.Status == DefaultLifecycle.Pending && t.StatusChangedAt <= before).OrderBy(t => t.StatusChangedAt),
                TimerKind.ResolvedAutoClose => db.Tickets.Where(t => t.StatusCategory == StatusCategory.Resolved && t.StatusChangedAt <= before).OrderBy(t => t.StatusChangedAt),
                _ => db.Tickets.Where(t => t.Status == DefaultLifecycle.Deleted && t.StatusChangedAt <= before).OrderBy(t => t.StatusChangedAt),
            };
        }

        return due.Select(t => t.Id).Take(batchSize);
    }

    private async Task<int> ProcessBatchAsync(string work, List<long> ids, LifecycleTimers timers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var count = await ActAsync(work, ids, timers, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return count;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone changed one of these tickets meanwhile: redo them one at a time, skipping the one that moved on.
            db.ChangeTracker.Clear();
            var count = 0;
            foreach (var id in ids)
            {
                try
                {
                    count += await ActAsync(work, [id], timers, now, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException)
                {
                    db.ChangeTracker.Clear();
                }
            }

            return count;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private async Task<int> ActAsync(string work, List<long> ids, LifecycleTimers timers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tickets = await db.Tickets.Where(t => ids.Contains(t.Id)).Include(t => t.Tags).Include(t => t.SlaTargets)
            .AsSplitQuery().ToListAsync(cancellationToken);
        var groupIds = tickets.Where(t => t.GroupId != null).Select(t => t.GroupId!.Value).Distinct().ToList();
        var leads = await db.Groups.Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.LeadId, cancellationToken);
        var count = 0;
        foreach (var ticket in tickets)
        {
            var acted = work == SlaWork
                ? await SlaStepsAsync(ticket, leads, now, cancellationToken)
                : Timer(Enum.Parse<TimerKind>(work), ticket, timers, now);
            if (acted)
            {
                TicketHistory.Touch(ticket, now);
                count++;
            }

            if (acted && ticket.StatusCategory == StatusCategory.Closed)
            {
                await mail.EnqueueStatusNoticeAsync(db, ticket, TicketNotice.Closed, cancellationToken);
            }

            var before = ticket.SlaDueAt;
            await sla.ReconcileAsync(db, ticket, now, cancellationToken);
            if (ticket.SlaDueAt <= now && before == ticket.SlaDueAt)
            {
                ticket.SlaDueAt = now.AddMinutes(1); // never spin on a step that cannot be taken
            }
        }

        return count;
    }

    private bool Timer(TimerKind kind, Ticket ticket, LifecycleTimers timers, DateTimeOffset now)
    {
        if (!TicketTimers.IsDue(kind, ticket, timers, now))
        {
            return false;
        }

        if (kind == TimerKind.PendingReminder)
        {
            ticket.PendingReminderSentAt = now;
            TicketHistory.Record(ticket, HistoryKind.PendingReminder, null, now, $"no reply for {timers.PendingReminderDays} days");
            return true;
        }

        var outcome = Lifecycle.Apply(lifecycle, ticket, kind == TimerKind.WakeUp ? LifecycleEvent.WokeUp : LifecycleEvent.AutoClosed, now);
        TicketHistory.Record(ticket, outcome.Changes, null, now);
        return outcome.Allowed && outcome.Changes.Count > 0;
    }

    private async Task<bool> SlaStepsAsync(Ticket ticket, Dictionary<long, long?> leads, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = await sla.PolicyForAsync(db, ticket, cancellationToken);
        var steps = SlaPlanner.DueSteps(ticket.SlaTargets, policy, now);
        var lead = ticket.GroupId is { } group ? leads.GetValueOrDefault(group) : null;
        foreach (var step in steps)
        {
            var target = step.Target;
            var what = $"{Json.EnumName(target.Kind)} due {target.DueAt:u}";
            switch (step.Kind)
            {
                case SlaStepKind.Warning:
                    target.WarnedAt = now;
                    TicketHistory.Record(ticket, HistoryKind.SlaWarning, null, now, what, isInternal: true);
                    Notify(ticket.AssigneeId ?? lead, ticket, "sla_warning", $"SLA warning on #{ticket.Id}: {what}", now);
                    break;
                case SlaStepKind.Breach:
                    target.BreachedAt = now;
                    TicketHistory.Record(ticket, HistoryKind.SlaBreach, null, now, what, isInternal: true);
                    Notify(ticket.AssigneeId, ticket, "sla_breach", $"SLA breached on #{ticket.Id}: {what}", now);
                    if (policy?.NotifyLeadOnBreach == true && lead != ticket.AssigneeId)
                    {
                        Notify(lead, ticket, "sla_breach", $"SLA breached on #{ticket.Id} in your group: {what}", now);
                    }

                    break;
                case SlaStepKind.Reassign:
                    target.ReassignedAt = now;
                    Reassign(ticket, policy!, lead, now);
                    break;
            }
        }

        return steps.Count > 0;
    }

    private void Reassign(Ticket ticket, SlaPolicy policy, long? lead, DateTimeOffset now)
    {
        var changes = new List<FieldChange>();
        if (policy.ReassignToGroupId is { } group && group != ticket.GroupId)
        {
            changes.Add(new FieldChange("groupId", ticket.GroupId?.ToString(System.Globalization.CultureInfo.InvariantCulture), group.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            ticket.GroupId = group;
            if (ticket.AssigneeId is not null)
            {
                changes.Add(new FieldChange("assigneeId", ticket.AssigneeId?.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
                ticket.AssigneeId = null;
            }
        }
        else if (policy.ReassignToGroupId is null && lead is { } leadId && leadId != ticket.AssigneeId)
        {
            changes.Add(new FieldChange("assigneeId", ticket.AssigneeId?.ToString(System.Globalization.CultureInfo.InvariantCulture), leadId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            ticket.AssigneeId = leadId;
            Notify(leadId, ticket, "sla_reassigned", $"#{ticket.Id} was reassigned to you after an SLA breach.", now);
        }

        TicketHistory.Record(ticket, HistoryKind.SlaReassign, null, now, changes.Count > 0 ? "reassigned" : "nobody to reassign to", isInternal: true);
        TicketHistory.Record(ticket, changes, null, now);
    }

    private void Notify(long? userId, Ticket ticket, string kind, string text, DateTimeOffset now)
    {
        if (userId is { } id)
        {
            db.Notifications.Add(new Notification { UserId = id, TicketId = ticket.Id, Kind = kind, Text = text, CreatedAt = now });
        }
    }

    private async Task<int> PurgeAsync(List<long> ids, LifecycleTimers timers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var id in ids)
        {
            var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (ticket is not null && TicketTimers.IsDue(TimerKind.Purge, ticket, timers, now)
                && await EraseTicket.EraseAsync(db, id, null, now, cancellationToken) is not null)
            {
                count++;
            }

            db.ChangeTracker.Clear();
        }

        return count;
    }
}
