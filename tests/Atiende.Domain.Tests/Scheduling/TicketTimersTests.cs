using Atiende.Domain.Lifecycle;
using Atiende.Domain.Scheduling;
using Atiende.Domain.Tickets;

namespace Atiende.Domain.Tests.Scheduling;

public sealed class TicketTimersTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly LifecycleTimers Timers = new(PendingReminderDays: 3, PendingAutoCloseDays: 7, ResolvedAutoCloseDays: 5, TrashRetentionDays: 30);

    private static Ticket InStatus(string status, double daysAgo)
    {
        var definition = DefaultLifecycle.Definition.Get(status);
        return new Ticket { Id = 1, Subject = "s", Status = status, StatusCategory = definition.Category, StatusChangedAt = Now.AddDays(-daysAgo) };
    }

    [Theory]
    [InlineData("pending", 2.9, false)]
    [InlineData("pending", 3, true)]
    [InlineData("pending", 6.9, true)]
    [InlineData("pending", 7, false)] // auto-close is due instead
    [InlineData("open", 10, false)]
    public void PendingReminder(string status, double daysAgo, bool due) =>
        Assert.Equal(due, TicketTimers.IsDue(TimerKind.PendingReminder, InStatus(status, daysAgo), Timers, Now));

    [Fact]
    public void PendingReminder_IsSentOnce()
    {
        var ticket = InStatus("pending", 4);
        ticket.PendingReminderSentAt = Now.AddDays(-1);

        Assert.False(TicketTimers.IsDue(TimerKind.PendingReminder, ticket, Timers, Now));
    }

    [Theory]
    [InlineData(TimerKind.PendingAutoClose, "pending", 7, true)]
    [InlineData(TimerKind.PendingAutoClose, "pending", 6.5, false)]
    [InlineData(TimerKind.ResolvedAutoClose, "resolved", 5, true)]
    [InlineData(TimerKind.ResolvedAutoClose, "resolved", 4, false)]
    [InlineData(TimerKind.ResolvedAutoClose, "answered", 30, false)]
    [InlineData(TimerKind.Purge, "deleted", 30, true)]
    [InlineData(TimerKind.Purge, "deleted", 29, false)]
    [InlineData(TimerKind.Purge, "spam", 300, false)]
    public void AgeBasedTimers(TimerKind kind, string status, double daysAgo, bool due) =>
        Assert.Equal(due, TicketTimers.IsDue(kind, InStatus(status, daysAgo), Timers, Now));

    [Fact]
    public void ZeroDays_SwitchesATimerOff()
    {
        var off = Timers with { ResolvedAutoCloseDays = 0 };

        Assert.False(TicketTimers.IsDue(TimerKind.ResolvedAutoClose, InStatus("resolved", 999), off, Now));
        Assert.Null(TicketTimers.ChangedBefore(TimerKind.ResolvedAutoClose, off, Now));
    }

    [Fact]
    public void SnoozedTicket_WakesAtItsTime()
    {
        var ticket = InStatus("snoozed", 1);
        ticket.SnoozedUntil = Now.AddMinutes(1);
        Assert.False(TicketTimers.IsDue(TimerKind.WakeUp, ticket, Timers, Now));

        ticket.SnoozedUntil = Now;
        Assert.True(TicketTimers.IsDue(TimerKind.WakeUp, ticket, Timers, Now));
    }

    [Fact]
    public void Validate_RefusesAReminderAfterTheAutoClose()
    {
        Assert.NotEmpty((Timers with { PendingReminderDays = 8 }).Validate());
        Assert.NotEmpty((Timers with { TrashRetentionDays = -1 }).Validate());
        Assert.Empty(Timers.Validate());
    }
}
