using Atiende.Domain.Tickets;

namespace Atiende.Domain.Sla;

public enum SlaTargetKind
{
    FirstResponse,
    NextResponse,
    Resolution,
}

/// <summary>What the API shows for a target: the clock's state at a given instant.</summary>
public enum SlaState
{
    Ok,
    Warning,
    Breached,
    Achieved,
    Paused,
}

/// <summary>Every non-empty list must contain the ticket's value; empty lists match anything.</summary>
public sealed record SlaConditions(
    IReadOnlyList<TicketPriority> Priorities,
    IReadOnlyList<TicketType> Types,
    IReadOnlyList<long> GroupIds,
    IReadOnlyList<long> OrganizationIds,
    IReadOnlyList<Channel> Channels,
    IReadOnlyList<string> Tags)
{
    public static SlaConditions Any { get; } = new([], [], [], [], [], []);
}

/// <summary>
/// Targets are business minutes on the policy's calendar. On breach the assignee is notified (and the group lead when
/// <see cref="NotifyLeadOnBreach"/>); after <see cref="ReassignAfterMinutes"/> more, the ticket goes to
/// <see cref="ReassignToGroupId"/> or, when that is null, to the group lead.
/// </summary>
public sealed record SlaPolicy(
    long Id,
    string Name,
    int Position,
    SlaConditions Conditions,
    long? CalendarId,
    int? FirstResponseMinutes,
    int? NextResponseMinutes,
    int? ResolutionMinutes,
    int WarningPercent = 75,
    bool NotifyLeadOnBreach = true,
    int? ReassignAfterMinutes = null,
    long? ReassignToGroupId = null)
{
    public int? MinutesFor(SlaTargetKind kind) => kind switch
    {
        SlaTargetKind.FirstResponse => FirstResponseMinutes,
        SlaTargetKind.NextResponse => NextResponseMinutes,
        _ => ResolutionMinutes,
    };
}

/// <summary>The facts of a ticket a policy can match on.</summary>
public sealed record SlaFacts(TicketPriority Priority, TicketType Type, long? GroupId, long? OrganizationId, Channel Channel, IReadOnlyCollection<string> Tags)
{
    public static SlaFacts Of(Ticket ticket) =>
        new(ticket.Priority, ticket.Type, ticket.GroupId, ticket.OrganizationId, ticket.Channel, ticket.Tags.Select(t => t.Name).ToList());
}

/// <summary>The policy that applies, and why each earlier one did not.</summary>
public sealed record SlaMatch(SlaPolicy? Policy, IReadOnlyList<string> Skipped);

public static class SlaPolicies
{
    /// <summary>The first policy by position whose conditions all hold.</summary>
    public static SlaMatch Match(IEnumerable<SlaPolicy> policies, SlaFacts facts)
    {
        var skipped = new List<string>();
        foreach (var policy in policies.OrderBy(p => p.Position).ThenBy(p => p.Id))
        {
            var reason = WhyNot(policy.Conditions, facts);
            if (reason is null)
            {
                return new SlaMatch(policy, skipped);
            }

            skipped.Add($"{policy.Name}: {reason}");
        }

        return new SlaMatch(null, skipped);
    }

    public static string? WhyNot(SlaConditions c, SlaFacts f)
    {
        if (c.Priorities.Count > 0 && !c.Priorities.Contains(f.Priority))
        {
            return $"priority {f.Priority} is not one of {string.Join(", ", c.Priorities)}";
        }

        if (c.Types.Count > 0 && !c.Types.Contains(f.Type))
        {
            return $"type {f.Type} is not one of {string.Join(", ", c.Types)}";
        }

        if (c.GroupIds.Count > 0 && (f.GroupId is not { } group || !c.GroupIds.Contains(group)))
        {
            return $"group {f.GroupId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} is not one of {string.Join(", ", c.GroupIds)}";
        }

        if (c.OrganizationIds.Count > 0 && (f.OrganizationId is not { } org || !c.OrganizationIds.Contains(org)))
        {
            return $"organization {f.OrganizationId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} is not one of {string.Join(", ", c.OrganizationIds)}";
        }

        if (c.Channels.Count > 0 && !c.Channels.Contains(f.Channel))
        {
            return $"channel {f.Channel} is not one of {string.Join(", ", c.Channels)}";
        }

        if (c.Tags.Count > 0 && !c.Tags.Any(t => f.Tags.Contains(t, StringComparer.Ordinal)))
        {
            return $"none of the tags {string.Join(", ", c.Tags)}";
        }

        return null;
    }
}
