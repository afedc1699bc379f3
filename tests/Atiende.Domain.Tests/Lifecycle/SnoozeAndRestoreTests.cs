using Atiende.Domain.Lifecycle;
using static Atiende.Domain.Tests.Lifecycle.LifecycleFixture;
using Rules = Atiende.Domain.Lifecycle.Lifecycle;

namespace Atiende.Domain.Tests.Lifecycle;

/// <summary>Snoozing and waking up, removing to spam or trash and restoring: the remembered previous status.</summary>
public sealed class SnoozeAndRestoreTests
{
    [Theory]
    [InlineData("new")]
    [InlineData("open")]
    [InlineData("answered")]
    [InlineData("pending")]
    [InlineData("on_hold")]
    public void WakeUp_ReturnsToTheStatusItHadBeforeSnoozing(string before)
    {
        var ticket = InStatus(before);
        Rules.SetStatus(Definition, ticket, "snoozed", Later, Now);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.WokeUp, Later);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal(before, ticket.Status);
        Assert.Equal(Categories[before], ticket.StatusCategory);
        Assert.Null(ticket.SnoozedUntil);
        Assert.Null(ticket.PreviousStatus);
        Assert.Contains(new FieldChange("status", "snoozed", before), outcome.Changes);
    }

    [Fact]
    public void WakeUp_WithoutAPreviousStatus_MovesToOpen()
    {
        var ticket = InStatus("snoozed");

        Rules.Apply(Definition, ticket, LifecycleEvent.WokeUp, Now);

        Assert.Equal("open", ticket.Status);
        Assert.Null(ticket.SnoozedUntil);
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("deleted")]
    [InlineData("closed")]
    [InlineData("no_such_status")]
    public void WakeUp_WithAPreviousStatusItCannotReturnTo_MovesToOpen(string previous)
    {
        var ticket = InStatus("snoozed");
        ticket.PreviousStatus = previous;

        Rules.Apply(Definition, ticket, LifecycleEvent.WokeUp, Now);

        Assert.Equal("open", ticket.Status);
    }

    [Fact]
    public void WakeUp_OnATicketThatIsNotSnoozed_IsRejected()
    {
        var outcome = Rules.Apply(Definition, InStatus("pending"), LifecycleEvent.WokeUp, Now);

        Assert.Equal("A ticket in status 'pending' cannot be woken up.", outcome.Rejection);
    }

    [Fact]
    public void Snooze_WithoutWakeTime_IsRejected()
    {
        var ticket = InStatus("pending");
        var before = Snapshot(ticket);

        var outcome = Rules.SetStatus(Definition, ticket, "snoozed", null, Now);

        Assert.False(outcome.Allowed);
        Assert.Contains("snoozedUntil", outcome.Rejection, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(0)]
    public void Snooze_UntilAPastTimeOrNow_IsRejected(int minutesFromNow)
    {
        var ticket = InStatus("pending");
        var before = Snapshot(ticket);

        var outcome = Rules.SetStatus(Definition, ticket, "snoozed", Now.AddMinutes(minutesFromNow), Now);

        Assert.False(outcome.Allowed);
        Assert.Contains("future", outcome.Rejection, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Fact]
    public void Snooze_UntilAFutureTime_SetsTheWakeTimeAndRemembersThePreviousStatus()
    {
        var ticket = InStatus("pending");
        var until = new DateTimeOffset(2025, 3, 20, 8, 0, 0, TimeSpan.FromHours(1));

        var outcome = Rules.SetStatus(Definition, ticket, "snoozed", until, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal("snoozed", ticket.Status);
        Assert.Equal(StatusCategory.WaitingInternal, ticket.StatusCategory);
        Assert.Equal(until, ticket.SnoozedUntil);
        Assert.Equal("pending", ticket.PreviousStatus);
        Assert.Equal(
            [new FieldChange("status", "pending", "snoozed"), new FieldChange("snoozedUntil", null, "2025-03-20T07:00:00.0000000Z")],
            outcome.Changes);
    }

    [Theory]
    [InlineData("open")]
    [InlineData("answered")]
    [InlineData("pending")]
    [InlineData("on_hold")]
    [InlineData("resolved")]
    [InlineData("spam")]
    [InlineData("deleted")]
    public void LeavingSnoozed_ClearsTheWakeTime(string to)
    {
        var ticket = InStatus("snoozed");

        var outcome = Rules.SetStatus(Definition, ticket, to, null, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Null(ticket.SnoozedUntil);
        Assert.Contains(new FieldChange("snoozedUntil", "2025-03-16T09:30:00.0000000Z", null), outcome.Changes);
    }

    [Fact]
    public void LeavingSnoozed_ForAWorkingStatus_ForgetsThePreviousStatus()
    {
        var ticket = InStatus("pending");
        Rules.SetStatus(Definition, ticket, "snoozed", Later, Now);

        Rules.SetStatus(Definition, ticket, "open", null, Now);

        Assert.Null(ticket.PreviousStatus);
    }

    [Theory]
    [InlineData("new", "spam")]
    [InlineData("open", "deleted")]
    [InlineData("answered", "spam")]
    [InlineData("pending", "deleted")]
    [InlineData("on_hold", "spam")]
    [InlineData("resolved", "deleted")]
    public void Removing_RemembersTheStatusToRestoreTo(string from, string to)
    {
        var ticket = InStatus(from);

        Rules.SetStatus(Definition, ticket, to, null, Now);

        Assert.Equal(from, ticket.PreviousStatus);
        Assert.Equal(StatusCategory.Removed, ticket.StatusCategory);
    }

    [Fact]
    public void Removing_ASnoozedTicket_RemembersTheStatusItHadBeforeSnoozing()
    {
        var ticket = InStatus("on_hold");
        Rules.SetStatus(Definition, ticket, "snoozed", Later, Now);

        Rules.SetStatus(Definition, ticket, "spam", null, Now);

        Assert.Equal("on_hold", ticket.PreviousStatus);
        Assert.Null(ticket.SnoozedUntil);
    }

    [Fact]
    public void SpamMovedToTrash_KeepsTheStatusToRestoreTo()
    {
        var ticket = InStatus("answered");
        Rules.SetStatus(Definition, ticket, "spam", null, Now);

        Rules.SetStatus(Definition, ticket, "deleted", null, Now);

        Assert.Equal("answered", ticket.PreviousStatus);
    }

    [Theory]
    [InlineData("spam", "new")]
    [InlineData("spam", "open")]
    [InlineData("deleted", "new")]
    [InlineData("deleted", "open")]
    public void Restoring_FromSpamOrTrash_ForgetsThePreviousStatus(string removed, string to)
    {
        var ticket = InStatus("pending");
        Rules.SetStatus(Definition, ticket, removed, null, Now);

        var outcome = Rules.SetStatus(Definition, ticket, to, null, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal(to, ticket.Status);
        Assert.Null(ticket.PreviousStatus);
    }

    [Fact]
    public void Resnooze_OnASnoozedTicket_MovesTheWakeTime()
    {
        var ticket = InStatus("snoozed");
        var until = Later.AddDays(1);

        var outcome = Rules.Resnooze(ticket, until, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal(until, ticket.SnoozedUntil);
        Assert.Equal([new FieldChange("snoozedUntil", "2025-03-16T09:30:00.0000000Z", "2025-03-17T09:30:00.0000000Z")], outcome.Changes);
    }

    [Fact]
    public void SnoozingASnoozedTicket_WithANewTime_MovesTheWakeTime()
    {
        var ticket = InStatus("snoozed");
        var until = Later.AddDays(2);

        var outcome = Rules.SetStatus(Definition, ticket, "snoozed", until, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal(until, ticket.SnoozedUntil);
        Assert.Equal("snoozedUntil", Assert.Single(outcome.Changes).Field);
    }

    [Fact]
    public void Resnooze_ToAPastTime_IsRejected()
    {
        var ticket = InStatus("snoozed");

        var outcome = Rules.Resnooze(ticket, Earlier, Now);

        Assert.False(outcome.Allowed);
        Assert.Equal(Later, ticket.SnoozedUntil);
    }

    [Fact]
    public void Resnooze_OnATicketThatIsNotSnoozed_IsRejected()
    {
        var ticket = InStatus("open");

        var outcome = Rules.Resnooze(ticket, Later, Now);

        Assert.False(outcome.Allowed);
        Assert.Null(ticket.SnoozedUntil);
    }
}
