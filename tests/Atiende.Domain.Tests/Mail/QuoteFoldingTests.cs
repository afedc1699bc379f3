using Atiende.Domain.Mail;

namespace Atiende.Domain.Tests.Mail;

public sealed class QuoteFoldingTests
{
    [Fact]
    public void AttributionAndQuote_AreFolded()
    {
        var folded = QuoteFolding.Fold("Thanks, that worked.\n\nOn Mon, 2 Mar 2026 at 10:00, Help <help@atiende.test> wrote:\n> Try restarting.\n");

        Assert.Equal("Thanks, that worked.", folded.Visible);
        Assert.StartsWith("On Mon", folded.Folded, StringComparison.Ordinal);
    }

    [Fact]
    public void SpanishAttribution_IsFolded() =>
        Assert.Equal("Gracias.", QuoteFolding.Fold("Gracias.\nEl lun, 2 mar 2026, Soporte escribió:\n> Hola").Visible);

    [Fact]
    public void Signature_IsFolded()
    {
        var folded = QuoteFolding.Fold("See attached.\n-- \nAna Pérez\nACME Corp");

        Assert.Equal("See attached.", folded.Visible);
        Assert.Contains("ACME Corp", folded.Folded, StringComparison.Ordinal);
    }

    [Fact]
    public void InterleavedQuotes_StayVisible()
    {
        const string text = "> Which version?\n5.2\n> Which OS?\nDebian";

        Assert.Equal(text, QuoteFolding.Fold(text).Visible);
    }

    [Fact]
    public void AllQuote_IsNeverFoldedAway() => Assert.Equal("> only a quote", QuoteFolding.Fold("> only a quote").Visible);

    [Fact]
    public void OutlookOriginalMessage_IsFolded() =>
        Assert.Equal("Yes.", QuoteFolding.Fold("Yes.\r\n-----Original Message-----\r\nFrom: x").Visible);
}
