namespace Atiende.Domain.Lifecycle;

/// <summary>The default lifecycle of DESIGN.md, written as data.</summary>
public static class DefaultLifecycle
{
    public const string New = "new";
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Pending = "pending";
    public const string OnHold = "on_hold";
    public const string Snoozed = "snoozed";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string Spam = "spam";
    public const string Deleted = "deleted";

    private static readonly string[] Working = [New, Open, Answered, Pending, OnHold, Snoozed, Resolved];

    public static LifecycleDefinition Definition { get; } = new(
        Name: "default",
        Statuses:
        [
            new(New, StatusCategory.New, CustomerStatus.Open),
            new(Open, StatusCategory.Active, CustomerStatus.Open),
            new(Answered, StatusCategory.WaitingCustomer, CustomerStatus.AwaitingReply),
            new(Pending, StatusCategory.WaitingCustomer, CustomerStatus.AwaitingReply),
            new(OnHold, StatusCategory.WaitingInternal, CustomerStatus.Open),
            new(Snoozed, StatusCategory.WaitingInternal, CustomerStatus.Open),
            new(Resolved, StatusCategory.Resolved, CustomerStatus.Resolved),
            new(Closed, StatusCategory.Closed, CustomerStatus.Closed),
            new(Spam, StatusCategory.Removed, CustomerStatus.Closed),
            new(Deleted, StatusCategory.Removed, CustomerStatus.Closed),
        ],
        // Closed is reached only by events (confirmation, auto-close, merge) and is left by none.
        ManualMoves: new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [New] = [Open, Answered, Pending, OnHold, Snoozed, Resolved, Spam, Deleted],
            [Open] = [Answered, Pending, OnHold, Snoozed, Resolved, Spam, Deleted],
            [Answered] = [Open, Pending, OnHold, Snoozed, Resolved, Spam, Deleted],
            [Pending] = [Open, Answered, OnHold, Snoozed, Resolved, Spam, Deleted],
            [OnHold] = [Open, Answered, Pending, Snoozed, Resolved, Spam, Deleted],
            [Snoozed] = [Open, Answered, Pending, OnHold, Resolved, Spam, Deleted],
            [Resolved] = [Open, Spam, Deleted],
            [Closed] = [],
            [Spam] = [New, Open, Deleted],
            [Deleted] = [New, Open],
        },
        EventMoves:
        [
            new(LifecycleEvent.CreatedByCustomer, [""], New),
            new(LifecycleEvent.CreatedWithAgentReply, [""], Answered),
            new(LifecycleEvent.Assigned, [New], Open),
            new(LifecycleEvent.AgentReplied, Working, Answered),
            new(LifecycleEvent.CustomerReplied, [Answered, Pending, OnHold, Snoozed, Resolved], Open),
            new(LifecycleEvent.CustomerConfirmed, [Resolved], Closed),
            new(LifecycleEvent.AutoClosed, [Resolved, Pending], Closed),
            new(LifecycleEvent.Merged, Working, Closed),
            new(LifecycleEvent.WokeUp, [Snoozed], Open, ToPrevious: true),
        ],
        ReplyStatuses: [Answered, Pending, OnHold, Resolved],
        EventsThatMayKeepStatus: new HashSet<LifecycleEvent> { LifecycleEvent.Assigned, LifecycleEvent.CustomerReplied });
}
