using Atiende.Server.Shared;
using Atiende.Server.Users;
using Microsoft.AspNetCore.DataProtection;

namespace Atiende.Server.Mail;

/// <summary>Settings of the "Mail" section (appsettings.json, ATIENDE_Mail__X, --Mail:X).</summary>
public sealed class MailOutboundOptions
{
    /// <summary>Off in tests, which run passes with <see cref="OutboxDispatcher.RunOnceAsync"/>.</summary>
    public bool OutboxEnabled { get; set; } = true;
    public int OutboxIntervalMilliseconds { get; set; } = 1000;
    public int OutboxBatchSize { get; set; } = 50;
    public int OutboxLeaseSeconds { get; set; } = 120;
    public int SmtpTimeoutSeconds { get; set; } = 30;

    /// <summary>Tries before a message is dead-lettered as failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Automatic mails (acknowledgements, notices) one address gets per hour at most: a loop stops here.</summary>
    public int AutoReplyCapPerHour { get; set; } = 5;

    /// <summary>Accept any server certificate (self-signed test servers). Never in production.</summary>
    public bool AcceptInvalidCertificates { get; set; }
}

public static class MailSetup
{
    public static void AddMail(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Mail").Get<MailOutboundOptions>() ?? new MailOutboundOptions();
        var dataDir = (builder.Configuration.Get<AtiendeOptions>() ?? new AtiendeOptions()).DataDir;
        builder.Services.AddSingleton(options);

        // Keys on disk so stored mail passwords survive restarts; nodes sharing a database must share this directory.
        builder.Services.AddDataProtection().SetApplicationName("Atiende")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(Path.Combine(dataDir, "keys"))));
        builder.Services.AddSingleton<MailSecrets>();
        builder.Services.AddScoped<MailOutbound>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
    }

    public static RouteGroupBuilder MapMailOutboxApi(this RouteGroupBuilder api)
    {
        var outbox = api.MapGroup("/admin/mail/outbox").WithTags("Mail").RequireAuthorization(UsersApi.AdminOnly);
        outbox.MapGet("/", ListOutbox.Handle).WithName("ListOutbox")
            .WithSummary("Outgoing mail, newest first: filter by status (queued, sent, failed); cursor pages.");
        outbox.MapPost("/{id:long}/retry", RetryOutboxMail.Handle).WithName("RetryOutboxMail")
            .WithSummary("Send a failed (or waiting) message again now, with a fresh set of tries.");
        return api;
    }
}
