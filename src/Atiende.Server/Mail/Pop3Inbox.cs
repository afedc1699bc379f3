using MailKit.Net.Pop3;

namespace Atiende.Server.Mail;

/// <summary>
/// Reads a POP3 mailbox, which has no flags: a message is marked for deletion only after its import was committed,
/// and the server deletes marked messages at QUIT. So every batch is its own session: a crash loses at most the
/// deletions of one batch, and those messages come again and are recognized as duplicates.
/// </summary>
public static class Pop3Inbox
{
    private const int MaxFailuresInARow = 3;

    public static async Task<MailPollPass> PassAsync(
        MailConnector connector, MailAccount account, ImportMail import, int batchSize, ILogger logger, CancellationToken cancellationToken)
    {
        var pass = new MailPollPass(true);
        var kept = 0; // messages that failed stay at the front of the mailbox, in order: later sessions start after them
        while (true)
        {
            using var client = await connector.OpenPop3Async(account, cancellationToken);
            var count = await client.GetMessageCountAsync(cancellationToken);
            var end = Math.Min(count, kept + batchSize);
            var failuresInARow = 0;
            for (var index = kept; index < end; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var raw = await DownloadAsync(client, index, cancellationToken);
                try
                {
                    pass = pass.With((await import(raw, account, $"pop3:{account.Name}", cancellationToken)).Outcome);
                    failuresInARow = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    pass = pass with { Failed = pass.Failed + 1 };
                    kept++;
                    logger.LogError(e, "Mail account {Account}: POP3 message {Index} could not be imported; it stays on the server for the next pass", account.Name, index + 1);
                    if (++failuresInARow >= MaxFailuresInARow)
                    {
                        await client.DisconnectAsync(quit: true, cancellationToken); // still delete what was imported
                        throw new InvalidOperationException($"{MaxFailuresInARow} messages in a row could not be imported: {e.Message}", e);
                    }

                    continue;
                }

                await client.DeleteMessageAsync(index, cancellationToken);
            }

            await client.DisconnectAsync(quit: true, cancellationToken); // QUIT commits the deletions
            if (end >= count)
            {
                return pass;
            }
        }
    }

    private static async Task<byte[]> DownloadAsync(Pop3Client client, int index, CancellationToken cancellationToken)
    {
        await using var stream = await client.GetStreamAsync(index, headersOnly: false, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
