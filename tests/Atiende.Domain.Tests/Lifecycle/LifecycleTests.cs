using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using static Atiende.Domain.Tests.Lifecycle.LifecycleFixture;
using Rules = Atiende.Domain.Lifecycle.Lifecycle;

namespace Atiende.Domain.Tests.Lifecycle;

/// <summary>The default lifecycle of DESIGN.md: its statuses, how tickets start, get assigned and close.</summary>
public sealed class LifecycleTests
{
    [Theory]
    [InlineData("new", StatusCategory.New, CustomerStatus.Open)]
    [InlineData("open", StatusCategory.Active, CustomerStatus.Open)]
    [InlineData("answered", StatusCategory.WaitingCustomer, CustomerStatus.AwaitingReply)]
    [InlineData("pending", StatusCategory.WaitingCustomer, CustomerStatus.AwaitingReply)]
    [InlineData("on_hold", StatusCategory.WaitingInternal, CustomerStatus.Open)]
    [InlineData("snoozed", StatusCategory.WaitingInternal, CustomerStatus.Open)]
    [InlineData("resolved", StatusCategory.Resolved, CustomerStatus.Resolved)]
    [InlineData("closed", StatusCategory.Closed, CustomerStatus.Closed)]
    [InlineData("spam", StatusCategory.Removed, CustomerStatus.Closed)]
    [InlineData("deleted", StatusCategory.Removed, CustomerStatus.Closed)]
    public void DefaultLifecycle_HasTheStatusesOfTheDesign(string name, StatusCategory category, CustomerStatus customerStatus)
    {
        Assert.Equal(new StatusDefinition(name, category, customerStatus), Definition.Find(name));
    }

    [Fact]
    public void DefaultLifecycle_HasExactlyTenStatuses_InDesignOrder()
    {
        Assert.Equal(Statuses, Definition.Statuses.Select(s => s.Name));
    }

    [Fact]
    public void CreatedByCustomer_StartsAtNew()
    {
        var ticket = Unstarted();

        Rules.Start(Definition, ticket, LifecycleEvent.CreatedByCustomer, Now);

        Assert.Equal("new", ticket.Status);
        Assert.Equal(StatusCategory.New, ticket.StatusCategory);
        Assert.Equal(Now, ticket.CreatedAt);
        Assert.Equal(Now, ticket.UpdatedAt);
        Assert.Null(ticket.FirstRespondedAt);
    }

    [Fact]
    public void CreatedWithAgentReply_StartsAtAnswered_AndCountsAsTheFirstResponse()
    {
        var ticket = Unstarted();

        Rules.Start(Definition, ticket, LifecycleEvent.CreatedWithAgentReply, Now);

        Assert.Equal("answered", ticket.Status);
        Assert.Equal(StatusCategory.WaitingCustomer, ticket.StatusCategory);
        Assert.Equal(Now, ticket.FirstRespondedAt);
    }

    [Fact]
    public void Start_WithAnEventThatCreatesNothing_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Rules.Start(Definition, Unstarted(), LifecycleEvent.Assigned, Now));
    }

    [Fact]
    public void Assign_OnNew_MovesToOpen()
    {
        var ticket = InStatus("new");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.Assigned, Now);

        Assert.Equal("open", ticket.Status);
        Assert.Equal([new FieldChange("status", "new", "open")], outcome.Changes);
    }

    [Fact]
    public void Assign_OnPending_KeepsTheStatus()
    {
        var ticket = InStatus("pending");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.Assigned, Now);

        Assert.True(outcome.Allowed);
        Assert.Empty(outcome.Changes);
        Assert.Equal("pending", ticket.Status);
    }

    [Fact]
    public void Assign_OnClosed_IsRejected()
    {
        var outcome = Rules.Apply(Definition, InStatus("closed"), LifecycleEvent.Assigned, Now);

        Assert.False(outcome.Allowed);
        Assert.Equal("Ticket #42 is closed and can no longer change.", outcome.Rejection);
    }

    [Fact]
    public void CustomerConfirm_OnResolved_Closes_AndKeepsTheResolutionTime()
    {
        var ticket = InStatus("resolved");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerConfirmed, Now);

        Assert.Equal("closed", ticket.Status);
        Assert.Equal(StatusCategory.Closed, ticket.StatusCategory);
        Assert.Equal(Now, ticket.ClosedAt);
        Assert.Equal(Earlier, ticket.ResolvedAt);
        Assert.Equal([new FieldChange("status", "resolved", "closed")], outcome.Changes);
    }

    [Fact]
    public void CustomerConfirm_OnAnswered_IsRejected()
    {
        var ticket = InStatus("answered");

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerConfirmed, Now);

        Assert.Equal("A ticket in status 'answered' cannot be confirmed as resolved.", outcome.Rejection);
        Assert.Null(ticket.ClosedAt);
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData("pending")]
    public void AutoClose_OnResolvedOrPending_Closes(string status)
    {
        var ticket = InStatus(status);

        Rules.Apply(Definition, ticket, LifecycleEvent.AutoClosed, Now);

        Assert.Equal("closed", ticket.Status);
        Assert.Equal(Now, ticket.ClosedAt);
    }

    [Fact]
    public void AutoClose_OnAnswered_IsRejected()
    {
        var outcome = Rules.Apply(Definition, InStatus("answered"), LifecycleEvent.AutoClosed, Now);

        Assert.Equal("A ticket in status 'answered' cannot be closed automatically.", outcome.Rejection);
    }

    [Fact]
    public void Merge_OnOpen_ClosesTheMergedTicket()
    {
        var ticket = InStatus("open");

        Rules.Apply(Definition, ticket, LifecycleEvent.Merged, Now);

        Assert.Equal("closed", ticket.Status);
        Assert.Equal(Now, ticket.ClosedAt);
    }

    [Fact]
    public void Merge_OnSnoozed_ClosesAndCancelsTheWakeUp()
    {
        var ticket = InStatus("snoozed");

        Rules.Apply(Definition, ticket, LifecycleEvent.Merged, Now);

        Assert.Equal("closed", ticket.Status);
        Assert.Null(ticket.SnoozedUntil);
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("deleted")]
    [InlineData("closed")]
    public void Merge_OnARemovedOrClosedTicket_IsRejected(string status)
    {
        var outcome = Rules.Apply(Definition, InStatus(status), LifecycleEvent.Merged, Now);

        Assert.False(outcome.Allowed);
    }

    [Theory]
    [InlineData(LifecycleEvent.Assigned)]
    [InlineData(LifecycleEvent.CustomerReplied)]
    [InlineData(LifecycleEvent.CustomerConfirmed)]
    [InlineData(LifecycleEvent.AutoClosed)]
    [InlineData(LifecycleEvent.Merged)]
    [InlineData(LifecycleEvent.WokeUp)]
    public void ChoosingAStatus_WithAnythingButAnAgentReply_IsRejected(LifecycleEvent ev)
    {
        var ticket = InStatus("resolved");
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, ev, Now, "pending");

        Assert.Equal("Only an agent's public reply can choose a status.", outcome.Rejection);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Fact]
    public void ATicketsLife_FromCreationToConfirmation()
    {
        var ticket = Unstarted();
        var t0 = Now;

        Rules.Start(Definition, ticket, LifecycleEvent.CreatedByCustomer, t0);
        Rules.Apply(Definition, ticket, LifecycleEvent.Assigned, t0.AddMinutes(5));
        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, t0.AddMinutes(20), "pending");
        Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, t0.AddHours(3));
        Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, t0.AddHours(4), "resolved");
        var confirmed = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerConfirmed, t0.AddDays(1));

        Assert.True(confirmed.Allowed, confirmed.Rejection);
        Assert.Equal("closed", ticket.Status);
        Assert.Equal(t0.AddMinutes(20), ticket.FirstRespondedAt);
        Assert.Equal(t0.AddHours(4), ticket.ResolvedAt);
        Assert.Equal(t0.AddDays(1), ticket.ClosedAt);
        Assert.Equal(t0.AddDays(1), ticket.UpdatedAt);
    }

    private static Ticket Unstarted() => new() { Id = 7, Subject = "Where is my parcel?", Status = "" };
}
