namespace Atiende.Domain.Mail;

public enum ThreadOutcome
{
    NewTicket,
    AppendToTicket,
}

/// <summary>Where a message goes and why, so the decision can be shown.</summary>
public sealed record ThreadDecision(ThreadOutcome Outcome, long? TicketId, string Reason);

/// <summary>
/// Finds the ticket a message belongs to: first by In-Reply-To/References against every Message-ID we sent or
/// received; then by the subject tag, but only when the sender takes part in that ticket, so nobody takes over a
/// ticket by guessing its number.
/// </summary>
public static class MailThreading
{
    public static ThreadDecision Decide(long? ticketByReference, long? ticketBySubjectTag, bool senderTakesPartInTaggedTicket)
    {
        if (ticketByReference is { } byReference)
        {
            return new(ThreadOutcome.AppendToTicket, byReference, "it answers a message of this ticket");
        }

        if (ticketBySubjectTag is { } byTag)
        {
            return senderTakesPartInTaggedTicket
                ? new(ThreadOutcome.AppendToTicket, byTag, "its subject names this ticket and the sender takes part in it")
                : new(ThreadOutcome.NewTicket, null, $"its subject names ticket #{byTag}, but the sender does not take part in it");
        }

        return new(ThreadOutcome.NewTicket, null, "it starts a new conversation");
    }
}
