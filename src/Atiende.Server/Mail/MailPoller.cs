using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

/// <summary>
/// Reads every enabled IMAP or POP3 account, in every server process: a process works a mailbox only while it holds
/// the database lease "mail:{id}", which it renews as it goes, so with several nodes each mailbox is read by one.
/// IMAP sessions stay open and wait in IDLE where the server offers it (else poll every Mail:PollSeconds); POP3 is
/// polled. A message is flagged or deleted on the server only after ingestion committed it; failures reconnect
/// with a doubling backoff.
/// </summary>
public sealed class MailPoller(
    IServiceScopeFactory scopes, MailConnector connector, MailboxLease lease, MailPollingOptions options, TimeProvider clock, ILogger<MailPoller> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _accountsChanged = new(0, 1);

    /// <summary>Wakes the poller to pick up a created, changed or deleted account now rather than at its next look.</summary>
    public void AccountsChanged()
    {
        if (_accountsChanged.CurrentCount == 0)
        {
            try
            {
                _accountsChanged.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>One pass over one account's mailbox, connecting and disconnecting (what tests and tools call).</summary>
    public async Task<MailPollPass> PollOnceAsync(long accountId, CancellationToken cancellationToken)
    {
        var account = await LoadAsync(accountId, cancellationToken)
            ?? throw new InvalidOperationException($"Mail account {accountId} does not exist, is disabled, or reads no mailbox.");
        if (!await lease.TryTakeAsync(accountId, cancellationToken))
        {
            return new MailPollPass(false);
        }

        try
        {
            if (account.InboundProtocol == InboundProtocol.Pop3)
            {
                return await Pop3Inbox.PassAsync(connector, account, ImportAsync, options.PollBatchSize, logger, cancellationToken);
            }

            await using var inbox = await ImapInbox.OpenAsync(connector, account, logger, cancellationToken);
            return await inbox.PassAsync(ImportAsync, options.PollBatchSize, cancellationToken);
        }
        finally
        {
            await lease.ReleaseAsync(accountId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.PollingEnabled)
        {
            return;
        }

        var workers = new Dictionary<long, (int Version, CancellationTokenSource Stop, Task Task)>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var accounts = await ActiveAccountsAsync(stoppingToken);
                    foreach (var (id, worker) in workers.Where(w => !accounts.TryGetValue(w.Key, out var a) || a.Version != w.Value.Version).ToList())
                    {
                        await worker.Stop.CancelAsync();
                        await worker.Task;
                        worker.Stop.Dispose();
                        workers.Remove(id);
                    }

                    foreach (var account in accounts.Values.Where(a => !workers.ContainsKey(a.Id)))
                    {
                        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        workers[account.Id] = (account.Version, stop, Task.Run(() => WorkAsync(account, stop.Token), CancellationToken.None));
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Could not read the mail accounts; trying again shortly");
                }

                try
                {
                    // Account changes made through this process wake it at once; those made through another node within a minute.
                    await _accountsChanged.WaitAsync(TimeSpan.FromSeconds(Math.Min(60, Math.Max(1, options.PollSeconds))), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var worker in workers.Values)
            {
                await worker.Stop.CancelAsync();
            }

            await Task.WhenAll(workers.Values.Select(w => w.Task));
            foreach (var worker in workers.Values)
            {
                worker.Stop.Dispose();
            }
        }
    }

    /// <summary>One account, for as long as it is unchanged: wait for its lease, read it while holding it, back off after failures.</summary>
    private async Task WorkAsync(MailAccount account, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                if (!await lease.TryTakeAsync(account.Id, stop))
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, options.PollLeaseSeconds / 2)), clock, stop);
                    continue;
                }

                using var holding = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var keeper = lease.KeepAsync(account.Id, holding);
                try
                {
                    await ReadAsync(account, () => failures = 0, holding.Token);
                }
                catch (OperationCanceledException) when (holding.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    logger.LogWarning("Mail account {Account}: another process took the mailbox over (lease {Lease} lost)", account.Name, MailboxLease.Name(account.Id));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failure = e;
                }
                finally
                {
                    await holding.CancelAsync();
                    await keeper;
                    await lease.ReleaseAsync(account.Id);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failure = e;
            }

            if (failure is not null)
            {
                failures++;
                var wait = Backoff(failures);
                // The details once; while it keeps failing, one line each time.
                logger.LogWarning(failures == 1 ? failure : null, "Mail account {Account}: {Problem} Trying again in {Seconds} s (failure {Failures} in a row).",
                    account.Name, MailConnector.Describe(failure, Server(account)), (int)wait.TotalSeconds, failures);
                try
                {
                    await Task.Delay(wait, clock, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Reads the mailbox until cancelled: IMAP in one session (IDLE or polling), POP3 a session per poll.</summary>
    private async Task ReadAsync(MailAccount account, Action healthy, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(1, options.PollSeconds));
        if (account.InboundProtocol == InboundProtocol.Pop3)
        {
            while (true)
            {
                Report(account, await Pop3Inbox.PassAsync(connector, account, ImportAsync, options.PollBatchSize, logger, cancellationToken));
                healthy();
                await Task.Delay(poll, clock, cancellationToken);
            }
        }

        await using var inbox = await ImapInbox.OpenAsync(connector, account, logger, cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Mail account {Account}: reading {Folder} on {Server}, {Mode}", account.Name, account.InboundFolder, Server(account),
                inbox.CanIdle ? "waiting in IDLE between passes" : $"polling every {poll.TotalSeconds} s (the server offers no IDLE)");
        }

        while (true)
        {
            Report(account, await inbox.PassAsync(ImportAsync, options.PollBatchSize, cancellationToken));
            healthy();
            await inbox.WaitAsync(TimeSpan.FromMinutes(Math.Max(1, options.IdleMinutes)), poll, clock, cancellationToken);
        }
    }

    private async Task<IngestResult> ImportAsync(byte[] raw, MailAccount account, string source, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IngestMail>().IngestAsync(raw, account, source, cancellationToken);
    }

    private async Task<Dictionary<long, MailAccount>> ActiveAccountsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        return await db.MailAccounts.AsNoTracking().Where(a => a.Enabled && a.InboundProtocol != InboundProtocol.None).ToDictionaryAsync(a => a.Id, cancellationToken);
    }

    private async Task<MailAccount?> LoadAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        return await db.MailAccounts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == accountId && a.Enabled && a.InboundProtocol != InboundProtocol.None, cancellationToken);
    }

    private void Report(MailAccount account, MailPollPass pass)
    {
        if (pass.Stored + pass.Failed > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Mail account {Account}: {Accepted} imported, {Duplicates} already had, {Quarantined} quarantined, {Failed} failed (left on the server)",
                account.Name, pass.Accepted, pass.Duplicates, pass.Quarantined, pass.Failed);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var seconds = Math.Max(1, options.PollSeconds) * Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(1, options.MaxBackoffSeconds)));
    }

    private static string Server(MailAccount account) =>
        $"{(account.InboundProtocol == InboundProtocol.Pop3 ? "POP3" : "IMAP")} server {account.InboundHost}:{account.InboundPort}";

    public override void Dispose()
    {
        _accountsChanged.Dispose();
        base.Dispose();
    }
}
