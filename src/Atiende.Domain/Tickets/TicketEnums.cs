namespace Atiende.Domain.Tickets;

// Stored as integers: priority order is meaningful for sorting.
public enum TicketPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
    Urgent = 3,
}

public enum TicketType
{
    Question,
    Incident,
    Problem,
    Task,
}

public enum Channel
{
    Email,
    Web,
    Phone,
    Chat,
    Api,
}

public enum TicketVisibility
{
    Public,
    Internal,
}

/// <summary>Stored one way (FollowUpOf, MergedInto, Related); FollowUp and MergedFrom are how the other side reads it.</summary>
public enum TicketLinkKind
{
    FollowUpOf,
    FollowUp,
    Related,
    MergedInto,
    MergedFrom,
}

public enum HistoryKind
{
    Created,
    FieldChanged,
    ArticleAdded,
    Linked,
    FollowUpCreated,
    SlaWarning,
    SlaBreach,
    SlaReassign,
    PendingReminder,
    DeliveryFailed,
    MailSent,
}
