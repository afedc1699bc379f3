using Atiende.Domain.Access;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;

namespace Atiende.Domain.Tests.Access;

/// <summary>Who sees which ticket, article and history entry. The expression is compiled and run in memory.</summary>
public sealed class TicketAccessTests
{
    private const long Alice = 100;    // customer in Acme
    private const long Bob = 101;      // customer in Acme too
    private const long Carol = 200;    // customer in Globex
    private const long Dave = 300;     // customer without an organization
    private const long Agent = 500;
    private const long Acme = 7;
    private const long Globex = 8;
    private const long Billing = 1;
    private const long Support = 2;
    private const long Sales = 3;

    private static readonly Ticket[] Tickets =
    [
        Ticket(1, Alice, Acme, Billing),
        Ticket(2, Bob, Acme, Support),
        Ticket(3, Alice, Acme, Billing, visibility: TicketVisibility.Internal),
        Ticket(4, Alice, Acme, Billing, status: "spam"),
        Ticket(5, Alice, Acme, Billing, status: "deleted"),
        Ticket(6, Carol, Globex, group: null),
        Ticket(7, Carol, Globex, Sales, assignee: Agent),
        Ticket(8, Alice, Acme, Sales, status: "closed"),
        Ticket(9, Bob, Acme, Sales, visibility: TicketVisibility.Internal),
        Ticket(10, Dave, organization: null, Sales),
        Ticket(11, Bob, Acme, Sales, status: "spam"),
        Ticket(12, Carol, Globex, Sales, assignee: Agent + 1),
    ];

    [Fact]
    public void Admin_SeesEveryTicket()
    {
        var admin = new Viewer(1, "Ada", UserRole.Admin, null, false, []);

        Assert.Equal(Tickets.Select(t => t.Id), VisibleIds(admin));
    }

    [Fact]
    public void Agent_SeesOwnGroupsTickets_GroupLessTickets_AndTicketsAssignedToThem()
    {
        var agent = new Viewer(Agent, "Ana", UserRole.Agent, null, false, [Billing, Support]);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], VisibleIds(agent));
    }

    [Fact]
    public void Agent_DoesNotSeeOtherGroupsTickets()
    {
        var agent = new Viewer(Agent, "Ana", UserRole.Agent, null, false, [Billing, Support]);

        var visible = VisibleIds(agent);

        Assert.DoesNotContain(8, visible);
        Assert.DoesNotContain(10, visible);
        Assert.DoesNotContain(12, visible);
    }

    [Fact]
    public void Agent_WithoutGroups_SeesOnlyGroupLessTickets_AndTicketsAssignedToThem()
    {
        var agent = new Viewer(Agent, "Ana", UserRole.Agent, null, false, []);

        Assert.Equal([6, 7], VisibleIds(agent));
    }

    [Fact]
    public void Customer_SeesOwnPublicTickets_IncludingClosedOnes()
    {
        var alice = new Viewer(Alice, "Alice", UserRole.Customer, Acme, false, []);

        Assert.Equal([1, 8], VisibleIds(alice));
    }

    [Fact]
    public void Customer_DoesNotSeeOwnInternalVisibilityTickets()
    {
        var alice = new Viewer(Alice, "Alice", UserRole.Customer, Acme, true, []);

        Assert.DoesNotContain(3, VisibleIds(alice));
    }

    [Fact]
    public void Customer_DoesNotSeeOwnSpamOrDeletedTickets()
    {
        var alice = new Viewer(Alice, "Alice", UserRole.Customer, Acme, true, []);

        var visible = VisibleIds(alice);

        Assert.DoesNotContain(4, visible);
        Assert.DoesNotContain(5, visible);
    }

    [Fact]
    public void Customer_InASharingOrganization_SeesMembersPublicTickets()
    {
        var alice = new Viewer(Alice, "Alice", UserRole.Customer, Acme, true, []);

        // Bob's internal (9) and spam (11) tickets stay hidden; Globex and Dave's stay out.
        Assert.Equal([1, 2, 8], VisibleIds(alice));
    }

    [Fact]
    public void Customer_InANonSharingOrganization_DoesNotSeeMembersTickets()
    {
        var alice = new Viewer(Alice, "Alice", UserRole.Customer, Acme, false, []);

        Assert.DoesNotContain(2, VisibleIds(alice));
    }

    [Fact]
    public void Customer_WithoutAnOrganization_SeesOnlyOwnTickets_EvenWithTheSharingFlag()
    {
        var dave = new Viewer(Dave, "Dave", UserRole.Customer, null, true, []);

        Assert.Equal([10], VisibleIds(dave));
    }

    [Fact]
    public void Customer_DoesNotSeeAnotherOrganizationsTickets()
    {
        var carol = new Viewer(Carol, "Carol", UserRole.Customer, Globex, true, []);

        Assert.Equal([6, 7, 12], VisibleIds(carol));
    }

    [Fact]
    public void Customer_WhoIsAlsoInAGroupList_GetsNoAgentVisibility()
    {
        var alice = new Viewer(Alice, "Alice", UserRole.Customer, Acme, false, [Billing, Support, Sales]);

        Assert.Equal([1, 8], VisibleIds(alice));
    }

    [Theory]
    [InlineData(UserRole.Customer, false, true)]
    [InlineData(UserRole.Customer, true, false)]
    [InlineData(UserRole.Agent, false, true)]
    [InlineData(UserRole.Agent, true, true)]
    [InlineData(UserRole.Admin, false, true)]
    [InlineData(UserRole.Admin, true, true)]
    public void InternalNotes_AreHiddenFromCustomers_Only(UserRole role, bool internalNote, bool visible)
    {
        var viewer = new Viewer(Alice, "Someone", role, Acme, false, []);
        var article = new Article { Id = 1, TicketId = 1, AuthorId = Agent, Internal = internalNote, BodyText = "Hi", BodyHtml = "<p>Hi</p>" };

        Assert.Equal(visible, TicketAccess.CanSeeArticle(viewer, article));
    }

    [Theory]
    [InlineData(UserRole.Customer, false, true)]
    [InlineData(UserRole.Customer, true, false)]
    [InlineData(UserRole.Agent, false, true)]
    [InlineData(UserRole.Agent, true, true)]
    [InlineData(UserRole.Admin, false, true)]
    [InlineData(UserRole.Admin, true, true)]
    public void InternalHistory_IsHiddenFromCustomers_Only(UserRole role, bool internalEvent, bool visible)
    {
        var viewer = new Viewer(Alice, "Someone", role, Acme, false, []);
        var entry = new HistoryEvent { Id = 1, TicketId = 1, Kind = HistoryKind.FieldChanged, Field = "group", Internal = internalEvent };

        Assert.Equal(visible, TicketAccess.CanSeeHistory(viewer, entry));
    }

    [Theory]
    [InlineData("status", true)]
    [InlineData("priority", true)]
    [InlineData("type", true)]
    [InlineData("subject", true)]
    [InlineData("cc", true)]
    [InlineData("group", false)]
    [InlineData("assignee", false)]
    [InlineData("tags", false)]
    [InlineData(null, false)]
    public void OnlySomeFieldChanges_AreShownToTheRequester(string? field, bool customerVisible)
    {
        Assert.Equal(customerVisible, TicketAccess.IsCustomerVisibleField(field));
    }

    private static long[] VisibleIds(Viewer viewer)
    {
        var visible = TicketAccess.VisibleTo(viewer).Compile();
        return [.. Tickets.Where(visible).Select(t => t.Id)];
    }

    private static Ticket Ticket(
        long id,
        long requester,
        long? organization,
        long? group,
        string status = "open",
        TicketVisibility visibility = TicketVisibility.Public,
        long? assignee = null) => new()
        {
            Id = id,
            Subject = $"Ticket {id}",
            Status = status,
            StatusCategory = status switch
            {
                "closed" => StatusCategory.Closed,
                "spam" or "deleted" => StatusCategory.Removed,
                _ => StatusCategory.Active,
            },
            Visibility = visibility,
            RequesterId = requester,
            OrganizationId = organization,
            GroupId = group,
            AssigneeId = assignee,
        };
}
