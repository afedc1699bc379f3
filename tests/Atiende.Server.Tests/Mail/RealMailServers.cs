using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using Atiende.Server.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Atiende.Server.Tests.Mail;

/// <summary>
/// The real Postfix and Dovecot that ./test.sh starts (scripts/mail.sh): where they listen, fresh mailboxes for one
/// test (so runs on both engines never read each other's mail), sending by SMTP and reading by IMAP.
/// </summary>
public sealed record RealMailServers(string Host, int SmtpPort, int ImapPort, int ImapsPort, int Pop3Port, int Pop3sPort, string Password, string UsersDir)
{
    public static RealMailServers FromEnvironment()
    {
        var missing = new List<string>();
        string Get(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                missing.Add(name);
            }

            return value ?? "";
        }

        int Port(string name) => int.TryParse(Get(name), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;

        var servers = new RealMailServers(Get("ATIENDE_TEST_SMTP_HOST"), Port("ATIENDE_TEST_SMTP_PORT"), Port("ATIENDE_TEST_IMAP_PORT"),
            Port("ATIENDE_TEST_IMAPS_PORT"), Port("ATIENDE_TEST_POP3_PORT"), Port("ATIENDE_TEST_POP3S_PORT"), Get("ATIENDE_TEST_MAIL_PASSWORD"),
            Get("ATIENDE_TEST_MAIL_USERS_DIR"));
        if (missing.Count > 0)
        {
            Assert.Fail($"The real mail servers are missing ({string.Join(", ", missing)} not set). Run the tests with ./test.sh, which starts "
                + "Postfix and Dovecot (scripts/mail.sh); or `source scripts/mail.sh; mail_start_throwaway` in the shell that runs dotnet test.");
        }

        return servers;
    }

    /// <summary>A new, empty mailbox (a Dovecot user with <see cref="Password"/>); returns its address.</summary>
    public string NewMailbox(string who, string domain)
    {
        var address = $"{who}-{Guid.NewGuid().ToString("N")[..12]}@{domain}".ToLowerInvariant();
        File.WriteAllText(Path.Combine(UsersDir, address), $"{address}:{{PLAIN}}{Password}\n");
        return address;
    }

    public async Task SendAsync(params MimeMessage[] messages)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(Host, SmtpPort, SecureSocketOptions.None);
        foreach (var message in messages)
        {
            await smtp.SendAsync(message);
        }

        await smtp.DisconnectAsync(true);
    }

    public async Task<ImapClient> OpenImapAsync(string user)
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None };
        await imap.ConnectAsync(Host, ImapPort, SecureSocketOptions.StartTls);
        await imap.AuthenticateAsync(user, Password);
        return imap;
    }

    /// <summary>Waits until Postfix has handed <paramref name="count"/> messages to the mailbox (delivery is asynchronous).</summary>
    public async Task WaitForMessagesAsync(string user, int count, TimeSpan? within = null)
    {
        using var imap = await OpenImapAsync(user);
        var deadline = Stopwatch.StartNew();
        var found = 0;
        while (deadline.Elapsed < (within ?? TimeSpan.FromSeconds(30)))
        {
            await imap.Inbox.StatusAsync(StatusItems.Count);
            found = imap.Inbox.Count;
            if (found >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Only {found} of {count} messages reached {user}'s INBOX in time.");
    }

    /// <summary>The message in the mailbox whose header matches, once it has been delivered.</summary>
    public async Task<MimeMessage> FetchAsync(string user, string header, string value)
    {
        using var imap = await OpenImapAsync(user);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var found = await imap.Inbox.SearchAsync(SearchQuery.HeaderContains(header, value));
            if (found.Count > 0)
            {
                return await imap.Inbox.GetMessageAsync(found[^1]);
            }

            await imap.Inbox.CloseAsync();
            await Task.Delay(100);
        }

        Assert.Fail($"No message with {header}: {value} reached {user}'s INBOX within 30 seconds.");
        return null!;
    }

    /// <summary>How many messages the INBOX holds, and how many of them are \Seen.</summary>
    public async Task<(int Total, int Seen)> CountAsync(string user)
    {
        using var imap = await OpenImapAsync(user);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var seen = await imap.Inbox.SearchAsync(SearchQuery.Seen);
        return (imap.Inbox.Count, seen.Count);
    }

    /// <summary>The Message-IDs of the INBOX's messages that match (e.g. the \Seen ones).</summary>
    public async Task<List<string>> MessageIdsAsync(string user, SearchQuery query)
    {
        using var imap = await OpenImapAsync(user);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await imap.Inbox.SearchAsync(query);
        var summaries = uids.Count == 0 ? [] : await imap.Inbox.FetchAsync(uids, MessageSummaryItems.Envelope);
        return summaries.Select(s => s.Envelope!.MessageId!).ToList();
    }

    public static MimeMessage Message(string from, string to, string subject, string body, string? inReplyTo = null)
    {
        var message = new MimeMessage
        {
            Subject = subject,
            MessageId = $"{Guid.NewGuid():N}@client.example.test",
            Body = new TextPart("plain") { Text = body },
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }

        return message;
    }
}

/// <summary>
/// The app the mailbox tests share, one per engine, apart from <see cref="TestApp.Get"/>: the accounts
/// they create (with SMTP servers, which make replies go out by mail) would change what other tests see.
/// </summary>
public static class MailTestApp
{
    private static readonly ConcurrentDictionary<Engine, Lazy<Task<TestApp>>> Apps = new();

    public static Task<TestApp> Get(Engine engine) =>
        Apps.GetOrAdd(engine, e => new Lazy<Task<TestApp>>(() => TestApp.StartAsync(e, []))).Value;
}
