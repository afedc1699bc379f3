using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;

namespace Atiende.Domain.Tests.Lifecycle;

/// <summary>Tickets in a known state and a fixed clock, shared by the lifecycle tests.</summary>
internal static class LifecycleFixture
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Earlier = Now.AddDays(-3);
    public static readonly DateTimeOffset Later = Now.AddDays(2);

    public static LifecycleDefinition Definition => DefaultLifecycle.Definition;

    /// <summary>Every status of the default lifecycle, in the order of the tables below and of DESIGN.md.</summary>
    public static readonly string[] Statuses =
        ["new", "open", "answered", "pending", "on_hold", "snoozed", "resolved", "closed", "spam", "deleted"];

    // Written out rather than read from the definition, so a change to the lifecycle data fails a test.
    public static readonly IReadOnlyDictionary<string, StatusCategory> Categories = new Dictionary<string, StatusCategory>(StringComparer.Ordinal)
    {
        ["new"] = StatusCategory.New,
        ["open"] = StatusCategory.Active,
        ["answered"] = StatusCategory.WaitingCustomer,
        ["pending"] = StatusCategory.WaitingCustomer,
        ["on_hold"] = StatusCategory.WaitingInternal,
        ["snoozed"] = StatusCategory.WaitingInternal,
        ["resolved"] = StatusCategory.Resolved,
        ["closed"] = StatusCategory.Closed,
        ["spam"] = StatusCategory.Removed,
        ["deleted"] = StatusCategory.Removed,
    };

    /// <summary>A ticket as it would look after reaching <paramref name="status"/> some days ago.</summary>
    public static Ticket InStatus(string status, DateTimeOffset? firstRespondedAt = null) => new()
    {
        Id = 42,
        Subject = "The printer is on fire",
        Status = status,
        StatusCategory = Categories[status],
        CreatedAt = Earlier,
        UpdatedAt = Earlier,
        FirstRespondedAt = firstRespondedAt,
        ResolvedAt = status is "resolved" or "closed" ? Earlier : null,
        ClosedAt = status is "closed" ? Earlier : null,
        SnoozedUntil = status is "snoozed" ? Later : null,
    };

    public static TicketState Snapshot(Ticket t) => new(
        t.Status, t.StatusCategory, t.CreatedAt, t.UpdatedAt, t.FirstRespondedAt, t.ResolvedAt, t.ClosedAt, t.SnoozedUntil, t.PreviousStatus);

    /// <summary>Splits a table row written as space-separated cells.</summary>
    public static string[] Cells(string row) => row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Everything the lifecycle may touch on a ticket, compared as a value.</summary>
internal sealed record TicketState(
    string Status,
    StatusCategory Category,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FirstRespondedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? SnoozedUntil,
    string? PreviousStatus);
