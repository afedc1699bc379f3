using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;

namespace Atiende.Domain.Tests.Sla;

public sealed class SlaPolicyMatchTests
{
    private static SlaPolicy Policy(long id, int position, SlaConditions conditions) => new(id, $"P{id}", position, conditions, null, 60, null, null);

    private static readonly SlaFacts Urgent = new(TicketPriority.Urgent, TicketType.Incident, 5, 9, Channel.Email, ["vip"]);

    [Fact]
    public void FirstMatchingPolicyByPosition_Wins_AndSkippedOnesSayWhy()
    {
        var policies = new[]
        {
            Policy(1, 30, SlaConditions.Any),
            Policy(2, 10, SlaConditions.Any with { Priorities = [TicketPriority.Low] }),
            Policy(3, 20, SlaConditions.Any with { Priorities = [TicketPriority.High, TicketPriority.Urgent], Tags = ["vip"] }),
        };

        var match = SlaPolicies.Match(policies, Urgent);

        Assert.Equal(3, match.Policy!.Id);
        Assert.Equal("P2: priority Urgent is not one of Low", Assert.Single(match.Skipped));
    }

    [Theory]
    [InlineData("type")]
    [InlineData("group")]
    [InlineData("organization")]
    [InlineData("channel")]
    [InlineData("tag")]
    public void EveryConditionIsChecked(string which)
    {
        var conditions = which switch
        {
            "type" => SlaConditions.Any with { Types = [TicketType.Question] },
            "group" => SlaConditions.Any with { GroupIds = [6] },
            "organization" => SlaConditions.Any with { OrganizationIds = [10] },
            "channel" => SlaConditions.Any with { Channels = [Channel.Web] },
            _ => SlaConditions.Any with { Tags = ["gold"] },
        };

        var match = SlaPolicies.Match([Policy(1, 1, conditions)], Urgent);

        Assert.Null(match.Policy);
        Assert.Contains(which, Assert.Single(match.Skipped), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingGroup_DoesNotMatchAGroupCondition()
    {
        var facts = Urgent with { GroupId = null };

        Assert.Null(SlaPolicies.Match([Policy(1, 1, SlaConditions.Any with { GroupIds = [5] })], facts).Policy);
    }
}
