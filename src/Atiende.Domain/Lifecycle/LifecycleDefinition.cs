namespace Atiende.Domain.Lifecycle;

/// <summary>Views, SLA clocks and automations key off the category, so custom lifecycles need no code.</summary>
public enum StatusCategory
{
    New,
    Active,
    WaitingCustomer,
    WaitingInternal,
    Resolved,
    Closed,
    Removed,
}

/// <summary>What the customer is told about a status: internal states read as plain "open".</summary>
public enum CustomerStatus
{
    Open,
    AwaitingReply,
    Resolved,
    Closed,
}

public enum LifecycleEvent
{
    /// <summary>A ticket was created with the requester's own message (any channel, or logged by an agent).</summary>
    CreatedByCustomer,

    /// <summary>An agent opened the conversation with a public message to the requester.</summary>
    CreatedWithAgentReply,
    Assigned,
    AgentReplied,
    CustomerReplied,
    CustomerConfirmed,
    AutoClosed,
    Merged,
    WokeUp,
}

public sealed record StatusDefinition(string Name, StatusCategory Category, CustomerStatus CustomerStatus);

/// <summary>
/// An event moves a ticket in one of the <paramref name="From"/> statuses to <paramref name="To"/>.
/// <paramref name="ToPrevious"/> means "back to the remembered previous status when there is one".
/// </summary>
public sealed record EventMove(LifecycleEvent Event, IReadOnlyList<string> From, string To, bool ToPrevious = false);

/// <summary>
/// A lifecycle is data: statuses with categories, the moves an agent may make by hand, and the moves events make.
/// An event with no move from the current status leaves it unchanged when it is listed in
/// <see cref="EventsThatMayKeepStatus"/>, and is refused otherwise.
/// </summary>
public sealed record LifecycleDefinition(
    string Name,
    IReadOnlyList<StatusDefinition> Statuses,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ManualMoves,
    IReadOnlyList<EventMove> EventMoves,
    IReadOnlyList<string> ReplyStatuses,
    IReadOnlySet<LifecycleEvent> EventsThatMayKeepStatus)
{
    public StatusDefinition? Find(string name) => Statuses.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public StatusDefinition Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"Status '{name}' is not part of lifecycle '{Name}'.");

    public bool CanMoveByHand(string from, string to) =>
        ManualMoves.TryGetValue(from, out var targets) && targets.Contains(to, StringComparer.Ordinal);

    public EventMove? MoveFor(LifecycleEvent ev, string from) =>
        EventMoves.FirstOrDefault(m => m.Event == ev && m.From.Contains(from, StringComparer.Ordinal));

    /// <summary>The status a new ticket starts in for a creation event.</summary>
    public string InitialStatus(LifecycleEvent creation) =>
        MoveFor(creation, "") is { } move ? move.To : throw new InvalidOperationException($"Lifecycle '{Name}' has no start for {creation}.");
}
