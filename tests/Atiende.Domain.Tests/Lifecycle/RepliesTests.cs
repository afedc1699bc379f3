using Atiende.Domain.Lifecycle;
using static Atiende.Domain.Tests.Lifecycle.LifecycleFixture;
using Rules = Atiende.Domain.Lifecycle.Lifecycle;

namespace Atiende.Domain.Tests.Lifecycle;

/// <summary>Agent and customer replies moving a ticket (<see cref="Rules.Apply"/>).</summary>
public sealed class RepliesTests
{
    [Fact]
    public void FirstAgentReply_OnNew_MovesToAnswered_AndSetsFirstRespondedAt()
    {
        var ticket = InStatus("new");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal("answered", ticket.Status);
        Assert.Equal(StatusCategory.WaitingCustomer, ticket.StatusCategory);
        Assert.Equal(Now, ticket.FirstRespondedAt);
    }

    [Fact]
    public void LaterAgentReply_KeepsTheFirstResponseTime()
    {
        var ticket = InStatus("open");
        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Earlier);

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);
        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now);

        Assert.Equal("answered", ticket.Status);
        Assert.Equal(Earlier, ticket.FirstRespondedAt);
    }

    [Fact]
    public void AgentReply_OnAnswered_WithoutAFirstResponse_RecordsIt()
    {
        var ticket = InStatus("answered");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal("answered", ticket.Status);
        Assert.Equal(Now, ticket.FirstRespondedAt);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("on_hold")]
    [InlineData("resolved")]
    [InlineData("answered")]
    public void AgentReply_WithAChosenStatus_MovesToIt(string chosen)
    {
        var ticket = InStatus("open");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now, chosen);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal(chosen, ticket.Status);
        Assert.Equal(Now, ticket.FirstRespondedAt);
    }

    [Fact]
    public void AgentReply_ChoosingResolved_SetsResolvedAt()
    {
        var ticket = InStatus("open");

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now, "resolved");

        Assert.Equal(StatusCategory.Resolved, ticket.StatusCategory);
        Assert.Equal(Now, ticket.ResolvedAt);
    }

    [Theory]
    [InlineData("closed")]
    [InlineData("spam")]
    [InlineData("open")]
    [InlineData("snoozed")]
    [InlineData("no_such_status")]
    public void AgentReply_WithAStatusAReplyCannotSet_IsRejectedListingTheChoices(string chosen)
    {
        var ticket = InStatus("open");
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now, chosen);

        Assert.False(outcome.Allowed);
        Assert.Equal($"A reply can set the status to answered, pending, on_hold, resolved; not '{chosen}'.", outcome.Rejection);
        Assert.Equal(before, Snapshot(ticket));
        Assert.Null(ticket.FirstRespondedAt);
    }

    [Fact]
    public void AgentReply_OnSnoozed_WakesItUpAsAnswered()
    {
        var ticket = InStatus("snoozed");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now);

        Assert.Equal("answered", ticket.Status);
        Assert.Null(ticket.SnoozedUntil);
        Assert.Contains(new FieldChange("snoozedUntil", "2025-03-16T09:30:00.0000000Z", null), outcome.Changes);
    }

    [Fact]
    public void AgentReply_OnResolved_ReopensAsAnswered_AndClearsResolvedAt()
    {
        var ticket = InStatus("resolved");

        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now);

        Assert.Equal("answered", ticket.Status);
        Assert.Null(ticket.ResolvedAt);
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("deleted")]
    public void AgentReply_OnARemovedTicket_IsRejected(string status)
    {
        var ticket = InStatus(status);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now);

        Assert.False(outcome.Allowed);
        Assert.Equal($"A ticket in status '{status}' cannot be replied to.", outcome.Rejection);
        Assert.Null(ticket.FirstRespondedAt);
    }

    [Fact]
    public void AgentReply_OnClosed_IsRejected()
    {
        var outcome = Rules.Apply(Definition, InStatus("closed"), LifecycleEvent.AgentReplied, Now, "pending");

        Assert.False(outcome.Allowed);
        Assert.Contains("closed", outcome.Rejection, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("new")]
    [InlineData("open")]
    public void CustomerReply_OnNewOrOpen_KeepsTheStatus(string status)
    {
        var ticket = InStatus(status);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.True(outcome.Allowed);
        Assert.Empty(outcome.Changes);
        Assert.Equal(status, ticket.Status);
    }

    [Fact]
    public void CustomerReply_OnAnswered_MovesToOpen()
    {
        var ticket = InStatus("answered");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.Equal("open", ticket.Status);
        Assert.Equal(StatusCategory.Active, ticket.StatusCategory);
        Assert.Equal([new FieldChange("status", "answered", "open")], outcome.Changes);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("on_hold")]
    public void CustomerReply_OnAWaitingStatus_MovesToOpen(string status)
    {
        var ticket = InStatus(status);

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.Equal("open", ticket.Status);
    }

    [Fact]
    public void CustomerReply_OnSnoozed_MovesToOpen_AndCancelsTheWakeUp()
    {
        var ticket = InStatus("pending");
        Rules.SetStatus(Definition, ticket, "snoozed", Later, Now);

        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.Equal("open", ticket.Status);
        Assert.Null(ticket.SnoozedUntil);
        Assert.Null(ticket.PreviousStatus);
    }

    [Fact]
    public void CustomerReply_OnResolved_ReopensAndClearsResolvedAt()
    {
        var ticket = InStatus("resolved");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.Equal("open", ticket.Status);
        Assert.Null(ticket.ResolvedAt);
        Assert.Equal([new FieldChange("status", "resolved", "open")], outcome.Changes);
    }

    [Fact]
    public void CustomerReply_OnClosed_NeedsAFollowUpTicket_AndLeavesTheClosedOneAlone()
    {
        var ticket = InStatus("closed");
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.True(outcome.Allowed);
        Assert.True(outcome.NeedsFollowUp);
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("deleted")]
    public void CustomerReply_OnARemovedTicket_KeepsItRemoved(string status)
    {
        var ticket = InStatus(status);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.True(outcome.Allowed);
        Assert.False(outcome.NeedsFollowUp);
        Assert.Equal(status, ticket.Status);
    }
}
