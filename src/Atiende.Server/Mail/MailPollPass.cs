namespace Atiende.Server.Mail;

/// <summary>What one pass over a mailbox did. Leader is false when another process holds the mailbox's lease.</summary>
public sealed record MailPollPass(bool Leader, int Accepted = 0, int Duplicates = 0, int Quarantined = 0, int Failed = 0)
{
    public int Stored => Accepted + Duplicates + Quarantined;

    public MailPollPass With(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Accepted => this with { Accepted = Accepted + 1 },
        IngestOutcome.Duplicate => this with { Duplicates = Duplicates + 1 },
        _ => this with { Quarantined = Quarantined + 1 },
    };
}

/// <summary>Hands one raw message to ingestion; it returns only once the ticket, article or quarantine row is committed.</summary>
public delegate Task<IngestResult> ImportMail(byte[] raw, MailAccount account, string source, CancellationToken cancellationToken);
