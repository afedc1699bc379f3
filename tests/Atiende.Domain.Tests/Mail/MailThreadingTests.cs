using Atiende.Domain.Mail;

namespace Atiende.Domain.Tests.Mail;

public sealed class MailThreadingTests
{
    [Fact]
    public void AReferenceToOurMessage_Wins()
    {
        var decision = MailThreading.Decide(ticketByReference: 5, ticketBySubjectTag: 9, senderTakesPartInTaggedTicket: false);

        Assert.Equal((ThreadOutcome.AppendToTicket, 5L), (decision.Outcome, decision.TicketId!.Value));
    }

    [Fact]
    public void SubjectTag_FromAParticipant_Appends() =>
        Assert.Equal(9, MailThreading.Decide(null, 9, senderTakesPartInTaggedTicket: true).TicketId);

    [Fact]
    public void SubjectTag_FromAStranger_StartsANewTicket()
    {
        var decision = MailThreading.Decide(null, 9, senderTakesPartInTaggedTicket: false);

        Assert.Equal(ThreadOutcome.NewTicket, decision.Outcome);
        Assert.Contains("#9", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingToGoBy_StartsANewTicket() => Assert.Equal(ThreadOutcome.NewTicket, MailThreading.Decide(null, null, false).Outcome);

    [Fact]
    public void Ancestors_AreInReplyToFirst_ThenReferencesNewestFirst()
    {
        var mail = new InboundMail("<c>", "<b>", ["<a>", "<b>"], null, [], [], "s", new Dictionary<string, string>(StringComparer.Ordinal), null);

        Assert.Equal(["<b>", "<a>"], mail.Ancestors());
    }
}
