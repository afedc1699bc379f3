using Atiende.Domain.Lifecycle;

namespace Atiende.Domain.Tickets;

public sealed class Ticket
{
    public long Id { get; set; }
    public required string Subject { get; set; }
    public required string Status { get; set; }
    public StatusCategory StatusCategory { get; set; }
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;
    public TicketType Type { get; set; } = TicketType.Question;
    public Channel Channel { get; set; } = Channel.Api;
    public TicketVisibility Visibility { get; set; } = TicketVisibility.Public;
    public long RequesterId { get; set; }
    public long? OrganizationId { get; set; }
    public long? GroupId { get; set; }
    public long? AssigneeId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FirstRespondedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? SnoozedUntil { get; set; }

    /// <summary>When the status last changed: pending reminders, auto-close and trash retention count from here.</summary>
    public DateTimeOffset StatusChangedAt { get; set; }
    public DateTimeOffset? LastCustomerMessageAt { get; set; }
    public DateTimeOffset? LastAgentMessageAt { get; set; }
    public DateTimeOffset? PendingReminderSentAt { get; set; }

    /// <summary>The next SLA step (warning, breach, reassignment) of any running target; the scheduler's index.</summary>
    public DateTimeOffset? SlaDueAt { get; set; }

    /// <summary>Where a snoozed ticket wakes up to, and where a spam/deleted ticket is restored to.</summary>
    public string? PreviousStatus { get; set; }

    /// <summary>Custom field values as a JSON object; the schema of custom fields is admin data.</summary>
    public string CustomFields { get; set; } = "{}";

    /// <summary>Bumped on every change; it is the ETag and the optimistic concurrency token.</summary>
    public int Version { get; set; } = 1;

    public List<TicketTag> Tags { get; set; } = [];
    public List<TicketCc> Cc { get; set; } = [];
    public List<Article> Articles { get; set; } = [];
    public List<HistoryEvent> History { get; set; } = [];
    public List<Sla.SlaTarget> SlaTargets { get; set; } = [];
}

public sealed class TicketTag
{
    public long TicketId { get; set; }
    public required string Name { get; set; }
}

public sealed class TicketCc
{
    public long TicketId { get; set; }
    public required string Email { get; set; }
}

public sealed class TicketLink
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long LinkedTicketId { get; set; }
    public TicketLinkKind Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Article
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long AuthorId { get; set; }

    /// <summary>Set when an agent entered the article for someone else (a phone call logged for the requester).</summary>
    public long? CreatedById { get; set; }
    public bool Internal { get; set; }
    public Channel Channel { get; set; }
    public required string BodyText { get; set; }
    public required string BodyHtml { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<Attachment> Attachments { get; set; } = [];

    /// <summary>For mail: the quoted history and signature folded away from <see cref="BodyText"/>.</summary>
    public string? FoldedText { get; set; }

    /// <summary>For mail: From, To, Cc and Subject as received or sent, as JSON.</summary>
    public string? EmailHeaders { get; set; }

    /// <summary>For mail: the content address (hex SHA-256) of the original message, kept as it arrived.</summary>
    public string? RawSha256 { get; set; }
}

public sealed class Attachment
{
    public long Id { get; set; }
    public long ArticleId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }

    /// <summary>Content address of the stored bytes (hex SHA-256).</summary>
    public required string Sha256 { get; set; }

    /// <summary>The Content-ID of an inline image (cid:), so the HTML body can show it.</summary>
    public string? ContentId { get; set; }
    public bool Inline { get; set; }
}

/// <summary>One entry of a ticket's history: who changed what, when, from what to what.</summary>
public sealed class HistoryEvent
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public DateTimeOffset At { get; set; }
    public long? ActorId { get; set; }
    public HistoryKind Kind { get; set; }
    public string? Field { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }

    /// <summary>Internal events are never shown to customers.</summary>
    public bool Internal { get; set; }
}

/// <summary>What is left of a purged ticket: its id, when, and by whom.</summary>
public sealed class TicketTombstone
{
    public long TicketId { get; set; }
    public DateTimeOffset PurgedAt { get; set; }

    /// <summary>Null when the scheduler purged it after the trash retention period.</summary>
    public long? PurgedById { get; set; }
}
