using Atiende.Domain.Lifecycle;
using static Atiende.Domain.Tests.Lifecycle.LifecycleFixture;
using Rules = Atiende.Domain.Lifecycle.Lifecycle;

namespace Atiende.Domain.Tests.Lifecycle;

/// <summary>An agent setting the status by hand (<see cref="Rules.SetStatus"/>): every one of the 10 × 10 pairs.</summary>
public sealed class ManualMovesTests
{
    // The table, written out so that a change to DefaultLifecycle's data fails here.
    // Rows: the status the ticket is in; columns: the status the agent picks.
    // x = allowed, . = refused, = = the same status (allowed, nothing changes).
    private static readonly string[] Table =
    [
        "from/to   new  open  answered  pending  on_hold  snoozed  resolved  closed  spam  deleted",
        "new       =    x     x         x        x        x        x         .       x     x",
        "open      .    =     x         x        x        x        x         .       x     x",
        "answered  .    x     =         x        x        x        x         .       x     x",
        "pending   .    x     x         =        x        x        x         .       x     x",
        "on_hold   .    x     x         x        =        x        x         .       x     x",
        "snoozed   .    x     x         x        x        =        x         .       x     x",
        "resolved  .    x     .         .        .        .        =         .       x     x",
        "closed    .    .     .         .        .        .        .         =       .     .",
        "spam      x    x     .         .        .        .        .         .       =     x",
        "deleted   x    x     .         .        .        .        .         .       .     =",
    ];

    public static TheoryData<string, string> AllowedMoves => Pairs("x");

    public static TheoryData<string, string> ForbiddenMoves => Pairs(".");

    public static TheoryData<string, string> SameStatusMoves => Pairs("=");

    [Fact]
    public void Table_CoversEveryPairOfStatuses()
    {
        var header = Cells(Table[0]);
        Assert.Equal(Statuses, header[1..]);
        Assert.Equal(Statuses, Table[1..].Select(row => Cells(row)[0]));
        Assert.All(Table, row => Assert.Equal(Statuses.Length + 1, Cells(row).Length));
        Assert.Equal(100, AllowedMoves.Count + ForbiddenMoves.Count + SameStatusMoves.Count);
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void AllowedMove_UpdatesStatusAndCategory_AndRecordsTheChange(string from, string to)
    {
        var ticket = InStatus(from);

        var outcome = Rules.SetStatus(Definition, ticket, to, Later, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.False(outcome.NeedsFollowUp);
        Assert.Equal(to, ticket.Status);
        Assert.Equal(Categories[to], ticket.StatusCategory);
        Assert.Equal(Now, ticket.UpdatedAt);
        Assert.Equal(Earlier, ticket.CreatedAt);
        var status = Assert.Single(outcome.Changes, c => c.Field == "status");
        Assert.Equal(new FieldChange("status", from, to), status);
        Assert.All(outcome.Changes, c => Assert.True(c.Field is "status" or "snoozedUntil", c.Field));
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public void ForbiddenMove_IsRejectedWithAReason_AndChangesNothing(string from, string to)
    {
        var ticket = InStatus(from);
        var before = Snapshot(ticket);

        var outcome = Rules.SetStatus(Definition, ticket, to, Later, Now);

        Assert.False(outcome.Allowed);
        Assert.False(outcome.NeedsFollowUp);
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
        Assert.False(string.IsNullOrWhiteSpace(outcome.Rejection));
        if (from == "closed")
        {
            Assert.Contains("closed and can no longer change", outcome.Rejection, StringComparison.Ordinal);
        }
        else if (to == "closed")
        {
            AssertExplainsHowTicketsClose(outcome.Rejection);
        }
        else
        {
            Assert.Contains($"'{from}'", outcome.Rejection, StringComparison.Ordinal);
            Assert.Contains($"'{to}'", outcome.Rejection, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(SameStatusMoves))]
    public void SameStatus_IsANoOp(string from, string to)
    {
        var ticket = InStatus(from);
        var before = Snapshot(ticket);

        var outcome = Rules.SetStatus(Definition, ticket, to, null, Now);

        Assert.True(outcome.Allowed, outcome.Rejection);
        Assert.Empty(outcome.Changes);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Theory]
    [InlineData("new")]
    [InlineData("open")]
    [InlineData("answered")]
    [InlineData("pending")]
    [InlineData("on_hold")]
    [InlineData("snoozed")]
    [InlineData("resolved")]
    public void Close_ByHand_IsRefused_PointingToConfirmationAutoCloseOrMerge(string from)
    {
        var ticket = InStatus(from);

        var outcome = Rules.SetStatus(Definition, ticket, "closed", null, Now);

        Assert.False(outcome.Allowed);
        AssertExplainsHowTicketsClose(outcome.Rejection);
        Assert.Equal(from, ticket.Status);
        Assert.Null(ticket.ClosedAt);
    }

    [Fact]
    public void UnknownStatus_IsRejectedListingTheKnownOnes()
    {
        var ticket = InStatus("open");
        var before = Snapshot(ticket);

        var outcome = Rules.SetStatus(Definition, ticket, "archived", null, Now);

        Assert.False(outcome.Allowed);
        Assert.Contains("'archived'", outcome.Rejection, StringComparison.Ordinal);
        Assert.Contains("new, open, answered, pending, on_hold, snoozed, resolved, closed, spam, deleted", outcome.Rejection, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(ticket));
    }

    [Theory]
    [InlineData("new")]
    [InlineData("open")]
    [InlineData("on_hold")]
    public void Resolving_ByHand_SetsResolvedAt(string from)
    {
        var ticket = InStatus(from);

        Rules.SetStatus(Definition, ticket, "resolved", null, Now);

        Assert.Equal(Now, ticket.ResolvedAt);
    }

    [Fact]
    public void Reopening_AResolvedTicket_ClearsResolvedAt()
    {
        var ticket = InStatus("resolved");

        Rules.SetStatus(Definition, ticket, "open", null, Now);

        Assert.Null(ticket.ResolvedAt);
    }

    private static void AssertExplainsHowTicketsClose(string? rejection)
    {
        Assert.NotNull(rejection);
        Assert.Contains("confirm", rejection, StringComparison.Ordinal);
        Assert.Contains("auto-close", rejection, StringComparison.Ordinal);
        Assert.Contains("merge", rejection, StringComparison.Ordinal);
    }

    private static TheoryData<string, string> Pairs(string mark)
    {
        var targets = Cells(Table[0])[1..];
        var data = new TheoryData<string, string>();
        foreach (var row in Table[1..])
        {
            var cells = Cells(row);
            for (var i = 0; i < targets.Length; i++)
            {
                if (cells[i + 1] == mark)
                {
                    data.Add(cells[0], targets[i]);
                }
            }
        }

        return data;
    }
}
