using Atiende.Server.Data;
using Atiende.Server.Shared;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

/// <summary>
/// Connects and signs in to the account's mailbox and SMTP server with the stored settings, reading and sending
/// nothing, and says per side whether it worked and, if not, what to fix. A side that is not configured is null.
/// </summary>
public static class TestMailAccount
{
    public sealed record SideResult(bool Ok, string Message);

    public sealed record Response(SideResult? Inbound, SideResult? Smtp);

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Handle(long id, AtiendeDb db, MailConnector connector, CancellationToken cancellationToken)
    {
        var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return Problems.NotFound($"Mail account {id}");
        }

        var inbound = account.InboundProtocol switch
        {
            InboundProtocol.Imap => await TryAsync($"IMAP server {account.InboundHost}:{account.InboundPort}", () => ImapAsync(connector, account, cancellationToken)),
            InboundProtocol.Pop3 => await TryAsync($"POP3 server {account.InboundHost}:{account.InboundPort}", () => Pop3Async(connector, account, cancellationToken)),
            _ => null,
        };
        var smtp = string.IsNullOrEmpty(account.SmtpHost) ? null
            : await TryAsync($"SMTP server {account.SmtpHost}:{account.SmtpPort}", () => SmtpAsync(connector, account, cancellationToken));
        return TypedResults.Ok(new Response(inbound, smtp));
    }

    private static async Task<SideResult> TryAsync(string server, Func<Task<SideResult>> test)
    {
        try
        {
            return await test();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new SideResult(false, MailConnector.Describe(e, server));
        }
    }

    private static async Task<SideResult> ImapAsync(MailConnector connector, MailAccount account, CancellationToken cancellationToken)
    {
        using var client = await connector.OpenImapAsync(account, cancellationToken);
        IMailFolder folder;
        try
        {
            folder = await client.GetFolderAsync(account.InboundFolder, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            return new SideResult(false, $"Signed in to IMAP server {account.InboundHost}:{account.InboundPort} as {account.InboundUser}, but there is no folder '{account.InboundFolder}'.");
        }

        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var unseen = account.DeleteAfterImport ? folder.Count : (await folder.SearchAsync(MailKit.Search.SearchQuery.NotSeen, cancellationToken)).Count;
        var idle = client.Capabilities.HasFlag(ImapCapabilities.Idle) ? "offers IDLE (new mail is picked up at once)" : "offers no IDLE (polled)";
        await client.DisconnectAsync(quit: true, cancellationToken);
        return new SideResult(true, $"Signed in to IMAP server {account.InboundHost}:{account.InboundPort} as {account.InboundUser}; folder {folder.FullName} "
            + $"has {folder.Count} messages, {unseen} to import; the server {idle}.");
    }

    private static async Task<SideResult> Pop3Async(MailConnector connector, MailAccount account, CancellationToken cancellationToken)
    {
        using var client = await connector.OpenPop3Async(account, cancellationToken);
        var count = await client.GetMessageCountAsync(cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return new SideResult(true, $"Signed in to POP3 server {account.InboundHost}:{account.InboundPort} as {account.InboundUser}; {count} messages to import "
            + "(each is deleted from the server once imported).");
    }

    private static async Task<SideResult> SmtpAsync(MailConnector connector, MailAccount account, CancellationToken cancellationToken)
    {
        using var client = await connector.OpenSmtpAsync(account, cancellationToken);
        var how = client.IsAuthenticated ? $"signed in as {account.SmtpUser}" : "connected without signing in (no SMTP user is set)";
        var size = client.Capabilities.HasFlag(SmtpCapabilities.Size) && client.MaxSize > 0 ? $"; it takes messages up to {client.MaxSize / 1024 / 1024} MB" : "";
        await client.DisconnectAsync(quit: true, cancellationToken);
        return new SideResult(true, $"SMTP server {account.SmtpHost}:{account.SmtpPort} {how}{size}.");
    }
}
