namespace Atiende.Domain.Mail;

public sealed record Mailbox(string Address, string Name);

/// <summary>
/// The facts of a received message that the mail rules need, read from the MIME message by the server.
/// Header names in <see cref="Headers"/> are lower-case; only the ones the rules look at are kept.
/// </summary>
public sealed record InboundMail(
    string? MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References,
    Mailbox? From,
    IReadOnlyList<Mailbox> To,
    IReadOnlyList<Mailbox> Cc,
    string Subject,
    IReadOnlyDictionary<string, string> Headers,
    DeliveryReport? Report)
{
    /// <summary>Every message id this one answers, nearest first.</summary>
    public IEnumerable<string> Ancestors() =>
        (InReplyTo is null ? [] : new[] { InReplyTo }).Concat(References.Reverse()).Distinct(StringComparer.Ordinal);
}

/// <summary>A delivery status notification (RFC 3464): which of our messages failed, for whom, and why.</summary>
public sealed record DeliveryReport(string? OriginalMessageId, string? Recipient, string? Status, string? Diagnostic);
