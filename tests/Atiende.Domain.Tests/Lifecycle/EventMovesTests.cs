using Atiende.Domain.Lifecycle;
using static Atiende.Domain.Tests.Lifecycle.LifecycleFixture;
using Rules = Atiende.Domain.Lifecycle.Lifecycle;

namespace Atiende.Domain.Tests.Lifecycle;

/// <summary>Events moving a ticket (<see cref="Rules.Apply"/>): every event from every status.</summary>
public sealed class EventMovesTests
{
    // Rows: the event; columns: the status the ticket is in; a cell names the status the ticket ends in.
    // = allowed and unchanged, ! refused, follow-up = unchanged but the message needs a new linked ticket.
    // Creation events only start tickets (Lifecycle.Start), so applying one to an existing ticket is refused.
    // WokeUp here has no remembered status; waking up to a remembered one is in LifecycleTests.
    private static readonly string[] EventTable =
    [
        "event/from             new       open      answered  pending   on_hold   snoozed   resolved  closed     spam  deleted",
        "CreatedByCustomer      !         !         !         !         !         !         !         !          !     !",
        "CreatedWithAgentReply  !         !         !         !         !         !         !         !          !     !",
        "Assigned               open      =         =         =         =         =         =         !          =     =",
        "AgentReplied           answered  answered  =         answered  answered  answered  answered  !          !     !",
        "CustomerReplied        =         =         open      open      open      open      open      follow-up  =     =",
        "CustomerConfirmed      !         !         !         !         !         !         closed    !          !     !",
        "AutoClosed             !         !         !         closed    !         !         closed    !          !     !",
        "Merged                 closed    closed    closed    closed    closed    closed    closed    !          !     !",
        "WokeUp                 !         !         !         !         !         open      !         !          !     !",
    ];

    // The status an agent picks with a public reply. Rows: the status the ticket is in; columns: the chosen status.
    // x = the ticket ends in the chosen status, . = refused.
    private static readonly string[] ChosenStatusTable =
    [
        "from/chosen  new  open  answered  pending  on_hold  snoozed  resolved  closed  spam  deleted",
        "new          .    .     x         x        x        .        x         .       .     .",
        "open         .    .     x         x        x        .        x         .       .     .",
        "answered     .    .     x         x        x        .        x         .       .     .",
        "pending      .    .     x         x        x        .        x         .       .     .",
        "on_hold      .    .     x         x        x        .        x         .       .     .",
        "snoozed      .    .     x         x        x        .        x         .       .     .",
        "resolved     .    .     x         x        x        .        x         .       .     .",
        "closed       .    .     .         .        .        .        .         .       .     .",
        "spam         .    .     .         .        .        .        .         .       .     .",
        "deleted      .    .     .         .        .        .        .         .       .     .",
    ];

    public static TheoryData<LifecycleEvent, string, string> Moves
    {
        get
        {
            var data = new TheoryData<LifecycleEvent, string, string>();
            foreach (var (ev, from, cell) in EventCells().Where(c => c.Cell is not ("=" or "!" or "follow-up")))
            {
                data.Add(ev, from, cell);
            }

            return data;
        }
    }

    public static TheoryData<LifecycleEvent, string> Keeps => EventCellsMarked("=");

    public static TheoryData<LifecycleEvent, string> Refusals => EventCellsMarked("!");

    public static TheoryData<string, string> ChosenAllowed => ChosenCellsMarked("x");

    public static TheoryData<string, string> ChosenRefused => ChosenCellsMarked(".");

    [Fact]
    public void EventTable_CoversEveryEventFromEveryStatus()
    {
        Assert.Equal(Statuses, Cells(EventTable[0])[1..]);
        Assert.Equal(Enum.GetValues<LifecycleEvent>(), EventTable[1..].Select(row => Enum.Parse<LifecycleEvent>(Cells(row)[0])));
        Assert.All(EventTable, row => Assert.Equal(Statuses.Length + 1, Cells(row).Length));
    }

    [Fact]
    public void ChosenStatusTable_CoversEveryPairOfStatuses()
    {
        Assert.Equal(Statuses, Cells(ChosenStatusTable[0])[1..]);
        Assert.Equal(Statuses, ChosenStatusTable[1..].Select(row => Cells(row)[0]));
        Assert.Equal(100, ChosenAllowed.Count + ChosenRefused.Count);
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void Event_MovesTheTicket_AsTheTableSays(LifecycleEvent ev, string from, string to)
    {
        var ticket = InStatus(from, firstRespondedAt: Earlier);

        var outcome = Rules.Apply(Definition, ticket, ev, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.False(outcome.NeedsFollowUp);
        Assert.Equal(to, ticket.Status);
        Assert.Equal(Categories[to], ticket.StatusCategory);
        Assert.Equal(Now, ticket.UpdatedAt);
        Assert.Equal(Earlier, ticket.CreatedAt);
        Assert.Equal(new FieldChange("status", from, to), Assert.Single(outcome.Changes, c => c.Field == "status"));
        if (to == "closed")
        {
            Assert.Equal(Now, ticket.ClosedAt);
        }
    }

    [Theory]
    [MemberData(nameof(Keeps))]
    public void Event_IsAllowed_AndLeavesTheTicketAsItWas(LifecycleEvent ev, string from)
    {
        var ticket = InStatus(from, firstRespondedAt: Earlier);
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, ev, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.False(outcome.NeedsFollowUp);
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Event_IsRejectedWithAReason_AndChangesNothing(LifecycleEvent ev, string from)
    {
        var ticket = InStatus(from, firstRespondedAt: null);
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, ev, Now);

        Assert.False(outcome.Allowed);
        Assert.False(outcome.NeedsFollowUp);
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
        Assert.Contains(from == "closed" ? "closed and can no longer change" : $"'{from}'", outcome.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomerReply_OnClosed_AsksForAFollowUpTicket_AndChangesNothing()
    {
        Assert.Equal(
            [(LifecycleEvent.CustomerReplied, "closed", "follow-up")],
            EventCells().Where(c => c.Cell == "follow-up"));
        var ticket = InStatus("closed");
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.CustomerReplied, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.True(outcome.NeedsFollowUp);
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Theory]
    [MemberData(nameof(ChosenAllowed))]
    public void AgentReply_WithAnAllowedChosenStatus_EndsInIt(string from, string chosen)
    {
        var ticket = InStatus(from, firstRespondedAt: Earlier);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now, chosen);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Equal(chosen, ticket.Status);
        Assert.Equal(Categories[chosen], ticket.StatusCategory);
        if (from == chosen)
        {
            Assert.Empty(outcome.Changes);
        }
        else
        {
            Assert.Equal(new FieldChange("status", from, chosen), Assert.Single(outcome.Changes, c => c.Field == "status"));
        }
    }

    [Theory]
    [MemberData(nameof(ChosenRefused))]
    public void AgentReply_WithAForbiddenChosenStatus_IsRejected_AndChangesNothing(string from, string chosen)
    {
        var ticket = InStatus(from, firstRespondedAt: null);
        var before = Snapshot(ticket);

        var outcome = Rules.Apply(Definition, ticket, LifecycleEvent.AgentReplied, Now, chosen);

        Assert.False(outcome.Allowed);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Rejection));
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
    }

    private static IEnumerable<(LifecycleEvent Event, string From, string Cell)> EventCells()
    {
        foreach (var row in EventTable[1..])
        {
            var cells = Cells(row);
            var ev = Enum.Parse<LifecycleEvent>(cells[0]);
            for (var i = 0; i < Statuses.Length; i++)
            {
                yield return (ev, Cells(EventTable[0])[i + 1], cells[i + 1]);
            }
        }
    }

    private static TheoryData<LifecycleEvent, string> EventCellsMarked(string mark)
    {
        var data = new TheoryData<LifecycleEvent, string>();
        foreach (var (ev, from, _) in EventCells().Where(c => c.Cell == mark))
        {
            data.Add(ev, from);
        }

        return data;
    }

    private static TheoryData<string, string> ChosenCellsMarked(string mark)
    {
        var chosen = Cells(ChosenStatusTable[0])[1..];
        var data = new TheoryData<string, string>();
        foreach (var row in ChosenStatusTable[1..])
        {
            var cells = Cells(row);
            for (var i = 0; i < chosen.Length; i++)
            {
                if (cells[i + 1] == mark)
                {
                    data.Add(cells[0], chosen[i]);
                }
            }
        }

        return data;
    }
}
