using Atiende.Server.Data;
using Atiende.Server.Scheduler;

namespace Atiende.Server.Mail;

/// <summary>
/// The database lease "mail:{accountId}" that lets one process at a time read a mailbox, whatever the number of
/// nodes: taken before reading, renewed while reading, handed back when done (or left to expire by a dead process).
/// </summary>
public sealed class MailboxLease(IServiceScopeFactory scopes, TimeProvider clock, MailPollingOptions options, ILogger<MailboxLease> logger)
{
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public static string Name(long accountId) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mail:{accountId}");

    private TimeSpan Duration => TimeSpan.FromSeconds(Math.Max(1, options.PollLeaseSeconds));

    /// <summary>Takes the lease, or renews it when this process holds it already.</summary>
    public async Task<bool> TryTakeAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        return await Leases.TryAcquireAsync(db, Name(accountId), Owner, clock.GetUtcNow(), Duration, cancellationToken);
    }

    /// <summary>Renews the lease three times per period until cancelled; cancels <paramref name="holding"/> as soon as it is lost.</summary>
    public async Task KeepAsync(long accountId, CancellationTokenSource holding)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Duration / 3, clock, holding.Token);
                bool kept;
                try
                {
                    kept = await TryTakeAsync(accountId, holding.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not renew the mail lease {Lease}; trying again", Name(accountId));
                    continue; // still ours until it expires; the next try may work
                }

                if (!kept)
                {
                    await holding.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Handing the mailbox back at once lets another node (or this one, restarted) carry on without waiting for expiry.</summary>
    public async Task ReleaseAsync(long accountId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await Leases.ReleaseAsync(scope.ServiceProvider.GetRequiredService<AtiendeDb>(), Name(accountId), Owner, clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug(e, "Could not release the mail lease {Lease}; it expires by itself", Name(accountId));
            }
        }
    }
}
