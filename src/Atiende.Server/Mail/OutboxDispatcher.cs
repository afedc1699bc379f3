using System.Net.Security;
using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Atiende.Server.Scheduler;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Atiende.Server.Mail;

/// <summary>What one outbox pass did.</summary>
public sealed record OutboxPass(bool Leader, int Sent, int Retrying, int Failed);

/// <summary>
/// Sends the outbox, in every server process: whichever holds the "outbox" lease sends the due messages, one SMTP
/// session per account. A message is marked sent only after the SMTP server accepted it, so delivery is at least
/// once: should the process die between the server's "250 OK" and the mark, the message goes again on the next pass,
/// with the same Message-ID, which receivers use to drop the copy. Failures are retried with backoff and dead-lettered
/// after the last try (at once when the server refuses the message or a recipient for good, with a 5xx reply).
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, MailSecrets secrets, TimeProvider clock, MailOutboundOptions options, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    public const string LeaseName = "outbox";

    /// <summary>Waits after the 1st, 2nd, ... failed try; the last one repeats.</summary>
    public static readonly TimeSpan[] Backoff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromHours(12)];

    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.OutboxEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Outbox pass failed; retrying at the next interval");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.OutboxIntervalMilliseconds), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async Task<OutboxPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        var lease = TimeSpan.FromSeconds(options.OutboxLeaseSeconds);
        if (!await Leases.TryAcquireAsync(db, LeaseName, Owner, clock.GetUtcNow(), lease, cancellationToken))
        {
            return new OutboxPass(false, 0, 0, 0);
        }

        // A person's reply goes before the notice it triggered in the same save (resolved with the reply), whatever the ids.
        var now = clock.GetUtcNow();
        var due = await db.Outbox.Where(o => o.Status == OutboxStatus.Queued && o.NextAttemptAt <= now)
            .OrderBy(o => o.NextAttemptAt).ThenBy(o => o.Automatic).ThenBy(o => o.Id).Take(options.OutboxBatchSize).ToListAsync(cancellationToken);
        var accountIds = due.Where(o => o.AccountId != null).Select(o => o.AccountId!.Value).Distinct().ToList();
        var accounts = await db.MailAccounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var pass = new OutboxPass(true, 0, 0, 0);
        var leader = true;
        Func<Task<bool>> renew = async () => leader = await Leases.TryAcquireAsync(db, LeaseName, Owner, clock.GetUtcNow(), lease, cancellationToken);
        foreach (var group in due.GroupBy(o => o.AccountId))
        {
            var account = group.Key is { } id ? accounts.GetValueOrDefault(id) : null;
            pass = await SendAsync(db, account, group.ToList(), pass, renew, cancellationToken);
            if (!leader)
            {
                break; // another process took over; what is left stays queued for it
            }
        }

        if (pass.Sent + pass.Retrying + pass.Failed > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Outbox pass: {Sent} sent, {Retrying} to retry, {Failed} failed", pass.Sent, pass.Retrying, pass.Failed);
        }

        return pass;
    }

    /// <summary>
    /// One SMTP session for the account's due messages. Each result is saved at once, so a later pass never sends one
    /// again, and the lease is renewed after each, so a slow server does not let another process start on the same rows.
    /// </summary>
    private async Task<OutboxPass> SendAsync(
        AtiendeDb db, MailAccount? account, List<OutboxMail> rows, OutboxPass pass, Func<Task<bool>> renewLease, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = options.SmtpTimeoutSeconds * 1000 };
        if (options.AcceptInvalidCertificates)
        {
            client.CheckCertificateRevocation = false;
            client.ServerCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || options.AcceptInvalidCertificates;
        }

        try
        {
            await ConnectAsync(client, account, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var row in rows)
            {
                pass = Fail(db, row, e, pass);
            }

            await db.SaveChangesAsync(cancellationToken);
            return pass;
        }

        foreach (var row in rows)
        {
            try
            {
                using var raw = new MemoryStream(row.Raw, writable: false);
                var message = await MimeMessage.LoadAsync(raw, cancellationToken);
                var recipients = row.Recipients.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(r => new MailboxAddress("", r));
                await client.SendAsync(message, new MailboxAddress("", account!.Address), recipients, cancellationToken);
                pass = Sent(db, row, pass);

                // Accepted by the server: record that even if we are being stopped, to keep the resend window small.
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                pass = Fail(db, row, e, pass);
                await db.SaveChangesAsync(cancellationToken);
                if (!client.IsConnected)
                {
                    break; // the session broke: the rest stay queued, untouched, for the next pass
                }
            }

            if (!await renewLease())
            {
                break;
            }
        }

        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "SMTP QUIT failed after sending");
        }

        return pass;
    }

    private async Task ConnectAsync(SmtpClient client, MailAccount? account, CancellationToken cancellationToken)
    {
        if (account is null || !account.Enabled || string.IsNullOrWhiteSpace(account.SmtpHost))
        {
            throw new InvalidOperationException("The mail account to send from is gone, disabled, or has no SMTP server.");
        }

        var security = account.SmtpSecurity switch
        {
            MailSecurity.StartTls => SecureSocketOptions.StartTls,
            MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(account.SmtpHost, account.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(account.SmtpUser))
        {
            var password = account.SmtpPasswordProtected is { Length: > 0 } stored ? secrets.Unprotect(stored) : "";
            await client.AuthenticateAsync(account.SmtpUser, password, cancellationToken);
        }
    }

    private OutboxPass Sent(AtiendeDb db, OutboxMail row, OutboxPass pass)
    {
        var now = clock.GetUtcNow();
        row.Status = OutboxStatus.Sent;
        row.SentAt = now;
        row.Attempts++;
        row.LastError = null;
        db.History.Add(new HistoryEvent { TicketId = row.TicketId, At = now, Kind = HistoryKind.MailSent, Field = "email", To = Truncate(row.Recipients), Internal = true });
        return pass with { Sent = pass.Sent + 1 };
    }

    private OutboxPass Fail(AtiendeDb db, OutboxMail row, Exception error, OutboxPass pass)
    {
        var now = clock.GetUtcNow();
        row.Attempts++;
        row.LastError = Truncate($"{Describe(error)} (try {row.Attempts})");
        if (IsPermanent(error) || row.Attempts >= options.MaxAttempts)
        {
            row.Status = OutboxStatus.Failed;
            db.History.Add(new HistoryEvent
            {
                TicketId = row.TicketId,
                At = now,
                Kind = HistoryKind.DeliveryFailed,
                Field = "email",
                To = Truncate($"{row.Recipients}: {row.LastError}"),
                Internal = true,
            });
            logger.LogWarning("Outbox mail {Id} to {Recipients} failed for good: {Error}", row.Id, row.Recipients, row.LastError);
            return pass with { Failed = pass.Failed + 1 };
        }

        row.NextAttemptAt = now + Backoff[Math.Min(row.Attempts, Backoff.Length) - 1];
        return pass with { Retrying = pass.Retrying + 1 };
    }

    /// <summary>A 5xx refusal of the message or a recipient will not change by trying again; anything else may.</summary>
    private static bool IsPermanent(Exception error) =>
        error is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } command
        && (int)command.StatusCode is >= 500 and < 600;

    private static string Describe(Exception error) => error switch
    {
        SmtpCommandException command => $"SMTP {(int)command.StatusCode}: {command.Message}",
        AuthenticationException => $"SMTP authentication failed: {error.Message}",
        ServiceNotConnectedException or ServiceNotAuthenticatedException => error.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    private static string Truncate(string value) => value.Length <= 2000 ? value : value[..2000];
}
