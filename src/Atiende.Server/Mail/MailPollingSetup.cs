namespace Atiende.Server.Mail;

/// <summary>Settings of the "Mail" section that read mailboxes (appsettings.json, ATIENDE_Mail__X, --Mail:X).</summary>
public sealed class MailPollingOptions
{
    /// <summary>Off in tests that run passes by hand with <see cref="MailPoller.PollOnceAsync"/>.</summary>
    public bool PollingEnabled { get; set; } = true;

    /// <summary>How often a mailbox is read when its server offers no IMAP IDLE (and always for POP3).</summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>IDLE is ended and restarted this often (servers drop idle sessions after 30 minutes; NATs sooner).</summary>
    public int IdleMinutes { get; set; } = 9;

    /// <summary>
    /// Messages imported before their \Seen flags are stored (IMAP), or per POP3 session (deletions happen at QUIT).
    /// What a crash leaves unflagged is downloaded again and recognized as a duplicate.
    /// </summary>
    public int PollBatchSize { get; set; } = 10;

    /// <summary>How long a process holds a mailbox without renewing; a dead process's mailbox is taken over after this.</summary>
    public int PollLeaseSeconds { get; set; } = 60;

    public int MailboxTimeoutSeconds { get; set; } = 30;

    /// <summary>The longest wait between reconnection attempts after failures (waits double from PollSeconds up to this).</summary>
    public int MaxBackoffSeconds { get; set; } = 300;

    /// <summary>Accept any server certificate (self-signed test servers). Never in production.</summary>
    public bool AcceptInvalidCertificates { get; set; }
}

public static class MailPollingSetup
{
    public static void AddMailPolling(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection("Mail").Get<MailPollingOptions>() ?? new MailPollingOptions());
        builder.Services.AddSingleton<MailConnector>();
        builder.Services.AddSingleton<MailboxLease>();
        builder.Services.AddSingleton<MailPoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MailPoller>());
    }
}
