using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace Atiende.Server.Mail;

/// <summary>
/// One signed-in IMAP session on an account's folder. A pass imports the unread messages (every message when the account
/// deletes after import), oldest first, and flags a message \Seen (or \Deleted) only after its import was committed;
/// downloads use BODY.PEEK, so reading never marks a message by itself. Between passes it waits in IDLE when the server
/// offers it.
/// </summary>
public sealed class ImapInbox : IAsyncDisposable
{
    /// <summary>Ingestion failing this many times in a row means the database is in trouble, not the messages: stop and back off.</summary>
    private const int MaxFailuresInARow = 3;

    private readonly ImapClient _client;
    private readonly IMailFolder _folder;
    private readonly MailAccount _account;
    private readonly ILogger _logger;
    private volatile bool _changed;

    private ImapInbox(ImapClient client, IMailFolder folder, MailAccount account, ILogger logger)
    {
        _client = client;
        _folder = folder;
        _account = account;
        _logger = logger;
        _folder.CountChanged += (_, _) => _changed = true;
    }

    public bool CanIdle => _client.Capabilities.HasFlag(ImapCapabilities.Idle);

    public static async Task<ImapInbox> OpenAsync(MailConnector connector, MailAccount account, ILogger logger, CancellationToken cancellationToken)
    {
        var client = await connector.OpenImapAsync(account, cancellationToken);
        try
        {
            var folder = await client.GetFolderAsync(account.InboundFolder, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            return new ImapInbox(client, folder, account, logger);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<MailPollPass> PassAsync(ImportMail import, int batchSize, CancellationToken cancellationToken)
    {
        _changed = false;
        var query = _account.DeleteAfterImport ? SearchQuery.NotDeleted : SearchQuery.NotSeen.And(SearchQuery.NotDeleted);
        var uids = (await _folder.SearchAsync(query, cancellationToken)).OrderBy(u => u.Id).ToList();
        var pass = new MailPollPass(true);
        var imported = new List<UniqueId>();
        var failuresInARow = 0;
        try
        {
            foreach (var uid in uids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var raw = await DownloadAsync(uid, cancellationToken);
                if (raw is null)
                {
                    continue; // expunged by someone else since the search
                }

                try
                {
                    pass = pass.With((await import(raw, _account, $"imap:{_account.Name}", cancellationToken)).Outcome);
                    failuresInARow = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Nothing was stored: the message stays unread for the next pass.
                    pass = pass with { Failed = pass.Failed + 1 };
                    _logger.LogError(e, "Mail account {Account}: message UID {Uid} could not be imported; it stays on the server for the next pass", _account.Name, uid);
                    if (++failuresInARow >= MaxFailuresInARow)
                    {
                        throw new InvalidOperationException($"{MaxFailuresInARow} messages in a row could not be imported: {e.Message}", e);
                    }

                    continue;
                }

                imported.Add(uid);
                if (imported.Count >= batchSize)
                {
                    await MarkAsync(imported, cancellationToken);
                    imported.Clear();
                }
            }

            await MarkAsync(imported, cancellationToken);
            imported.Clear();
        }
        finally
        {
            await MarkLeftoversAsync(imported);
        }

        return pass;
    }

    /// <summary>IDLE until new mail arrives or <paramref name="idle"/> passes; without IDLE, just wait <paramref name="poll"/>.</summary>
    public async Task WaitAsync(TimeSpan idle, TimeSpan poll, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (_changed)
        {
            return; // mail arrived during the pass
        }

        if (!CanIdle)
        {
            await Task.Delay(poll, clock, cancellationToken);
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(idle);
        void OnCountChanged(object? sender, EventArgs e) => done.Cancel();
        _folder.CountChanged += OnCountChanged;
        try
        {
            await _client.IdleAsync(done.Token, cancellationToken);
        }
        finally
        {
            _folder.CountChanged -= OnCountChanged;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug(e, "Mail account {Account}: IMAP LOGOUT failed", _account.Name);
            }
        }
        finally
        {
            _client.Dispose();
        }
    }

    private async Task<byte[]?> DownloadAsync(UniqueId uid, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await _folder.GetStreamAsync(uid, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (MessageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Flags committed messages; with delete-after-import also deletes them (only those, where the server has UIDPLUS).</summary>
    private async Task MarkAsync(List<UniqueId> uids, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
        {
            return;
        }

        var flags = _account.DeleteAfterImport ? MessageFlags.Seen | MessageFlags.Deleted : MessageFlags.Seen;
        await _folder.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, flags) { Silent = true }, cancellationToken);
        if (_account.DeleteAfterImport)
        {
            if (_client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
            {
                await _folder.ExpungeAsync(uids, cancellationToken);
            }
            else
            {
                await _folder.ExpungeAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// When a pass stops early (shutdown, lost lease, error), flag what was already committed if the session still
    /// works; otherwise those messages come again and are recognized as duplicates.
    /// </summary>
    private async Task MarkLeftoversAsync(List<UniqueId> imported)
    {
        if (imported.Count == 0 || !_client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await MarkAsync(imported, timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug(e, "Mail account {Account}: could not flag {Count} imported messages; they come again as duplicates", _account.Name, imported.Count);
            }
        }
    }
}
