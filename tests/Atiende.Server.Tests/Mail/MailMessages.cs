using System.Text;

namespace Atiende.Server.Tests.Mail;

/// <summary>Raw RFC 822 messages for the tests, written out the way mail clients send them.</summary>
public static class MailMessages
{
    public static byte[] Raw(
        string from, string subject, string body, string? messageId = null, string to = "help@atiende.test", string? cc = null,
        string? inReplyTo = null, string? extraHeaders = null)
    {
        var text = new StringBuilder();
        text.Append("From: ").Append(from).Append("\r\n");
        text.Append("To: ").Append(to).Append("\r\n");
        if (cc is not null)
        {
            text.Append("Cc: ").Append(cc).Append("\r\n");
        }

        text.Append("Subject: ").Append(subject).Append("\r\n");
        text.Append("Date: Mon, 02 Mar 2026 10:00:00 +0100\r\n");
        if (messageId is not null)
        {
            text.Append("Message-ID: <").Append(messageId).Append(">\r\n");
        }

        if (inReplyTo is not null)
        {
            text.Append("In-Reply-To: <").Append(inReplyTo).Append(">\r\nReferences: <").Append(inReplyTo).Append(">\r\n");
        }

        text.Append(extraHeaders);
        text.Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        text.Append(body.Replace("\n", "\r\n", StringComparison.Ordinal));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string NewId() => $"{Guid.NewGuid():N}@client.example.test";

    /// <summary>A message with a PDF attachment and an inline PNG referenced from the HTML part.</summary>
    public static byte[] WithFiles(string from, string messageId) => Encoding.UTF8.GetBytes($"""
        From: {from}
        To: help@atiende.test
        Subject: Screenshot and invoice
        Message-ID: <{messageId}>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/related; boundary="inner"

        --inner
        Content-Type: text/html; charset=utf-8

        <p>See <img src="cid:shot@x"> and the invoice.</p><script>alert(1)</script>
        --inner
        Content-Type: image/png
        Content-ID: <shot@x>
        Content-Transfer-Encoding: base64

        iVBORw0KGgo=
        --inner--
        --outer
        Content-Type: application/pdf; name="../../etc/invoice.pdf"
        Content-Disposition: attachment; filename="../../etc/invoice.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--

        """.Replace("\n", "\r\n", StringComparison.Ordinal));
}
