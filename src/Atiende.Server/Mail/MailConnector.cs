using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Atiende.Server.Mail;

/// <summary>
/// Opens signed-in sessions to an account's mailbox (IMAP, POP3) and SMTP server, for the poller and the account
/// test; and words what went wrong so an admin knows which setting to fix.
/// </summary>
public sealed class MailConnector(MailSecrets secrets, MailPollingOptions options)
{
    public Task<ImapClient> OpenImapAsync(MailAccount account, CancellationToken cancellationToken) =>
        OpenInboundAsync(new ImapClient { Timeout = options.MailboxTimeoutSeconds * 1000 }, account, cancellationToken);

    public Task<Pop3Client> OpenPop3Async(MailAccount account, CancellationToken cancellationToken) =>
        OpenInboundAsync(new Pop3Client { Timeout = options.MailboxTimeoutSeconds * 1000 }, account, cancellationToken);

    /// <summary>Connected, and signed in when the account has an SMTP user (servers that trust the network need none).</summary>
    public async Task<SmtpClient> OpenSmtpAsync(MailAccount account, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = options.MailboxTimeoutSeconds * 1000 };
        try
        {
            await ConnectAsync(client, account.SmtpHost, account.SmtpPort, account.SmtpSecurity, cancellationToken);
            if (!string.IsNullOrEmpty(account.SmtpUser))
            {
                await client.AuthenticateAsync(account.SmtpUser, Password(account.SmtpPasswordProtected), cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    /// <summary>One sentence for an admin: what failed, where, and what to check.</summary>
    public static string Describe(Exception error, string server) => error switch
    {
        AuthenticationException => $"{server} refused the user name or password ({error.Message.TrimEnd('.')}).",
        SslHandshakeException => $"The TLS handshake with {server} failed: the certificate is not trusted or the security setting does not match the port "
            + "(tls for 993/995/465, start_tls for 143/110/587). Mail:AcceptInvalidCertificates accepts self-signed certificates (test servers only).",
        SocketException socket => $"Could not connect to {server}: {socket.Message}.",
        NotSupportedException when error.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) =>
            $"{server} does not offer STARTTLS: choose tls (implicit TLS) or none.",
        CryptographicException => "The stored password cannot be decrypted (the Data Protection keys under {DataDir}/keys changed or are not shared by "
            + "every node): enter the password again.",
        ImapProtocolException or Pop3ProtocolException or SmtpProtocolException => $"{server} broke the protocol: {error.Message}",
        ImapCommandException or Pop3CommandException or SmtpCommandException => $"{server} answered: {error.Message}",
        TimeoutException or OperationCanceledException => $"{server} did not answer in time.",
        IOException => $"The connection to {server} failed: {error.Message}",
        _ => $"{server}: {error.GetType().Name}: {error.Message}",
    };

    private async Task<T> OpenInboundAsync<T>(T client, MailAccount account, CancellationToken cancellationToken)
        where T : MailService
    {
        try
        {
            await ConnectAsync(client, account.InboundHost, account.InboundPort, account.InboundSecurity, cancellationToken);
            await client.AuthenticateAsync(account.InboundUser ?? account.Address, Password(account.InboundPasswordProtected), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task ConnectAsync(IMailService client, string? host, int port, MailSecurity security, CancellationToken cancellationToken)
    {
        if (options.AcceptInvalidCertificates)
        {
            client.CheckCertificateRevocation = false;
            client.ServerCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || options.AcceptInvalidCertificates;
        }

        if (string.IsNullOrWhiteSpace(host))
        {
            throw new InvalidOperationException("No server is configured.");
        }

        await client.ConnectAsync(host, port, Socket(security), cancellationToken);
    }

    private string Password(string? protectedPassword) => protectedPassword is { Length: > 0 } stored ? secrets.Unprotect(stored) : "";
}
