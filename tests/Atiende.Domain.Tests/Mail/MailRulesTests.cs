using Atiende.Domain.Mail;

namespace Atiende.Domain.Tests.Mail;

public sealed class MailRulesTests
{
    private static readonly string[] Own = ["help@atiende.test"];

    private static InboundMail Mail(string from = "ana@example.test", Dictionary<string, string>? headers = null, DeliveryReport? report = null) =>
        new("<m1@example.test>", null, [], new Mailbox(from, "Ana"), [new Mailbox("help@atiende.test", "")], [], "Printer",
            headers ?? new Dictionary<string, string>(StringComparer.Ordinal), report);

    [Fact]
    public void PersonalMail_IsHuman() => Assert.Equal(MailKind.Human, MailRules.Classify(Mail(), Own).Kind);

    [Theory]
    [InlineData("auto-submitted", "auto-replied")]
    [InlineData("auto-submitted", "auto-generated")]
    [InlineData("precedence", "bulk")]
    [InlineData("precedence", "junk")]
    [InlineData("precedence", "list")]
    [InlineData("x-autoreply", "yes")]
    [InlineData("x-autorespond", "Out of office")]
    [InlineData("list-id", "<devs.lists.example.test>")]
    public void AutomaticHeaders_MakeMailAutomatic(string header, string value)
    {
        var classification = MailRules.Classify(Mail(headers: new(StringComparer.Ordinal) { [header] = value }), Own);

        Assert.Equal(MailKind.Automatic, classification.Kind);
        Assert.Contains(header, classification.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AutoSubmittedNo_IsStillHuman() =>
        Assert.Equal(MailKind.Human, MailRules.Classify(Mail(headers: new(StringComparer.Ordinal) { ["auto-submitted"] = "no" }), Own).Kind);

    [Theory]
    [InlineData("MAILER-DAEMON@mx.example.test")]
    [InlineData("postmaster@example.test")]
    [InlineData("no-reply@shop.example.test")]
    public void MachineSenders_AreAutomatic(string from) => Assert.Equal(MailKind.Automatic, MailRules.Classify(Mail(from), Own).Kind);

    [Fact]
    public void OurOwnAddress_IsALoop() => Assert.Equal(MailKind.OwnAddress, MailRules.Classify(Mail("HELP@atiende.test"), Own).Kind);

    [Fact]
    public void DeliveryReport_IsABounce_EvenFromTheMailerDaemon() =>
        Assert.Equal(MailKind.Bounce, MailRules.Classify(Mail("mailer-daemon@mx.test", report: new DeliveryReport("<a@b>", "x@y", "5.1.1", "no such user")), Own).Kind);

    [Theory]
    [InlineData("spam@evil.test", "spam@evil.test", true)]
    [InlineData("anyone@evil.test", "evil.test", true)]
    [InlineData("anyone@evil.test", "@evil.test", true)]
    [InlineData("anyone@notevil.test", "evil.test", false)]
    [InlineData("spam@evil.test", "other@evil.test", false)]
    public void BlockList_MatchesAddressesAndDomains(string address, string entry, bool blocked) =>
        Assert.Equal(blocked, MailRules.IsBlocked(address, [entry]));

    [Theory]
    [InlineData("Re: Printer on fire [#1234]", 1234L)]
    [InlineData("[#12] and [#34]", 34L)]
    [InlineData("Printer #1234", null)]
    [InlineData("[#abc]", null)]
    public void SubjectTag_IsRead(string subject, long? expected) => Assert.Equal(expected, MailRules.TicketIdFromSubject(subject));

    [Fact]
    public void SubjectTag_IsAddedOnce()
    {
        var tagged = MailRules.WithSubjectTag("Printer", 7);

        Assert.Equal("Printer [#7]", tagged);
        Assert.Equal(tagged, MailRules.WithSubjectTag(tagged, 7));
    }

    [Theory]
    [InlineData("Re: Fwd: AW: Printer [#12]", "Printer")]
    [InlineData("RE[2]: hello", "hello")]
    [InlineData("   ", "(no subject)")]
    [InlineData("Report: renewals", "Report: renewals")]
    public void CleanSubject_DropsReplyPrefixesAndTags(string subject, string expected) => Assert.Equal(expected, MailRules.CleanSubject(subject));
}
