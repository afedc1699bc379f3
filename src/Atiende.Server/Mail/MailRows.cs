namespace Atiende.Server.Mail;

public enum MailSecurity
{
    None,
    StartTls,
    Tls,
}

public enum InboundProtocol
{
    /// <summary>No mailbox is read: mail arrives by the MTA pipe or the relay API only.</summary>
    None,
    Imap,
    Pop3,
}

/// <summary>A helpdesk address: where its mail is read, how replies are sent, and where new tickets go.</summary>
public sealed class MailAccount
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>The helpdesk's own address (From of what we send); mail from it is a loop.</summary>
    public required string Address { get; set; }
    public string SenderName { get; set; } = "Support";
    public long? DefaultGroupId { get; set; }

    public InboundProtocol InboundProtocol { get; set; }
    public string? InboundHost { get; set; }
    public int InboundPort { get; set; }
    public MailSecurity InboundSecurity { get; set; }
    public string? InboundUser { get; set; }

    /// <summary>Encrypted at rest with ASP.NET Core Data Protection.</summary>
    public string? InboundPasswordProtected { get; set; }
    public string InboundFolder { get; set; } = "INBOX";

    /// <summary>Delete messages after import (POP3 always does); IMAP otherwise flags them \Seen and skips seen ones.</summary>
    public bool DeleteAfterImport { get; set; }

    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; }
    public MailSecurity SmtpSecurity { get; set; }
    public string? SmtpUser { get; set; }
    public string? SmtpPasswordProtected { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

/// <summary>
/// Every Message-ID we received or sent, with its ticket: threading looks replies up here, and the unique index
/// is what makes a message that arrives twice (by any path) be ingested once.
/// </summary>
public sealed class MailMessage
{
    public long Id { get; set; }

    /// <summary>The Message-ID without angle brackets; for a message without one, "sha256:" and its content hash.</summary>
    public required string MessageId { get; set; }
    public long TicketId { get; set; }
    public long? ArticleId { get; set; }
    public bool Outbound { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The account it came in on or went out through: replies leave from the account the ticket's first mail came in on.</summary>
    public long? AccountId { get; set; }
}

public enum QuarantineStatus
{
    Pending,
    Retried,
    Discarded,
}

/// <summary>A message that could not be handled, kept with its raw bytes and the reason, for an admin to retry or discard.</summary>
public sealed class QuarantinedMail
{
    public long Id { get; set; }
    public long? AccountId { get; set; }
    public required string Source { get; set; }
    public required string Reason { get; set; }
    public required byte[] Raw { get; set; }
    public string? MessageId { get; set; }
    public string? From { get; set; }
    public string? Subject { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public QuarantineStatus Status { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public long? TicketId { get; set; }
}

public enum OutboxStatus
{
    Queued,
    Sent,

    /// <summary>Dead-lettered after the last try; shown on the article as failed.</summary>
    Failed,
}

/// <summary>
/// A message to send, written in the same transaction as the article it carries, so it is sent only after the
/// commit and never lost; the dispatcher retries it with backoff and dead-letters it after the last try.
/// </summary>
public sealed class OutboxMail
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long? ArticleId { get; set; }
    public long? AccountId { get; set; }
    public required string MessageId { get; set; }
    public required string Recipients { get; set; }
    public required byte[] Raw { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>An acknowledgement or notice (not a person's reply): these count against the per-recipient hourly cap.</summary>
    public bool Automatic { get; set; }
}

/// <summary>A blocked sender address or domain: its mail becomes a spam ticket.</summary>
public sealed class BlockedSender
{
    public long Id { get; set; }
    public required string Pattern { get; set; }
}
