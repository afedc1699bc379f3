using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

/// <summary>
/// Admins add, change and remove mail accounts. Passwords go in (inboundPassword, smtpPassword) and are stored
/// encrypted with Data Protection; they never come out: responses only say whether one is set. On a replace, a
/// password left out (null) keeps the stored one and "" removes it; a new host or user needs the password again, so a
/// stored password is never sent to a server it was not entered for.
/// </summary>
public static class ManageMailAccounts
{
    public sealed record Request(
        string? Name, bool? Enabled, string? Address, string? SenderName, long? DefaultGroupId,
        string? InboundProtocol, string? InboundHost, int? InboundPort, string? InboundSecurity, string? InboundUser, string? InboundPassword,
        string? InboundFolder, bool? DeleteAfterImport,
        string? SmtpHost, int? SmtpPort, string? SmtpSecurity, string? SmtpUser, string? SmtpPassword);

    public sealed record Response(
        long Id, string Name, bool Enabled, string Address, string SenderName, long? DefaultGroupId,
        InboundProtocol InboundProtocol, string? InboundHost, int? InboundPort, MailSecurity InboundSecurity, string? InboundUser, bool HasInboundPassword,
        string InboundFolder, bool DeleteAfterImport,
        string? SmtpHost, int? SmtpPort, MailSecurity SmtpSecurity, string? SmtpUser, bool HasSmtpPassword,
        DateTimeOffset UpdatedAt);

    private const int MaxPasswordLength = 1000;

    public static async Task<Results<Created<Response>, ProblemHttpResult>> Create(
        Request request, AtiendeDb db, MailSecrets secrets, MailPoller poller, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var row = new MailAccount { Name = "", Address = "" };
        if (await ApplyAsync(request, row, db, secrets, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (await ConflictAsync(db, row, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        row.UpdatedAt = clock.GetUtcNow();
        db.MailAccounts.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        poller.AccountsChanged();
        http.Response.Headers.ETag = ETags.For(row.Version);
        return TypedResults.Created($"/api/v1/admin/mail-accounts/{row.Id}", ToResponse(row));
    }

    public static async Task<Ok<Page<Response>>> List(AtiendeDb db, CancellationToken cancellationToken)
    {
        var rows = await db.MailAccounts.AsNoTracking().OrderBy(a => a.Id).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<Response>(rows.Select(ToResponse).ToList(), null));
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Get(long id, AtiendeDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var row = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Mail account {id}");
        }

        http.Response.Headers.ETag = ETags.For(row.Version);
        return TypedResults.Ok(ToResponse(row));
    }

    /// <summary>Replaces the account (If-Match with the ETag from a GET guards against overwriting a concurrent change).</summary>
    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Replace(
        long id, Request request, AtiendeDb db, MailSecrets secrets, MailPoller poller, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var row = await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Mail account {id}");
        }

        if (ETags.Matches(http.Request, row.Version) == false)
        {
            return Problems.StaleVersion();
        }

        if (await ApplyAsync(request, row, db, secrets, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (await ConflictAsync(db, row, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        row.UpdatedAt = clock.GetUtcNow();
        row.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.StaleVersion();
        }

        poller.AccountsChanged();
        http.Response.Headers.ETag = ETags.For(row.Version);
        return TypedResults.Ok(ToResponse(row));
    }

    /// <summary>The account's mail stays on its tickets; an account with mail still waiting to go out through it cannot go.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, AtiendeDb db, MailPoller poller, CancellationToken cancellationToken)
    {
        if (await db.Outbox.AnyAsync(o => o.AccountId == id && o.Status == OutboxStatus.Queued, cancellationToken))
        {
            return Problems.Conflict($"Mail account {id} still has queued outgoing mail; disable it (enabled: false) or wait until the outbox is empty.");
        }

        if (await db.MailAccounts.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return Problems.NotFound($"Mail account {id}");
        }

        poller.AccountsChanged();
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> ConflictAsync(AtiendeDb db, MailAccount row, CancellationToken cancellationToken)
    {
        if (await db.MailAccounts.AnyAsync(a => a.Name == row.Name && a.Id != row.Id, cancellationToken))
        {
            return Problems.Conflict($"A mail account named '{row.Name}' already exists.");
        }

        return await db.MailAccounts.AnyAsync(a => a.Address == row.Address && a.Id != row.Id, cancellationToken)
            ? Problems.Conflict($"A mail account for '{row.Address}' already exists.")
            : null;
    }

    /// <summary>Validates the request and writes it into the row; returns the problem when it is invalid (the row is then unusable).</summary>
    private static async Task<ProblemHttpResult?> ApplyAsync(Request request, MailAccount row, AtiendeDb db, MailSecrets secrets, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var name = v.Required("name", request.Name, 200);
        var address = v.Email("address", request.Address);
        var senderName = v.MaxLength("senderName", request.SenderName?.Trim(), 200);
        if (request.DefaultGroupId is { } groupId && !await db.Groups.AnyAsync(g => g.Id == groupId, cancellationToken))
        {
            v.Add("defaultGroupId", $"There is no group {groupId}.");
        }

        var protocol = v.Enum<InboundProtocol>("inboundProtocol", request.InboundProtocol ?? "none") ?? InboundProtocol.None;
        var inboundSecurity = v.Enum<MailSecurity>("inboundSecurity", request.InboundSecurity ?? "tls") ?? MailSecurity.Tls;
        var reads = protocol != InboundProtocol.None;
        var inboundHost = Host(v, "inboundHost", request.InboundHost, required: reads);
        var inboundPort = Port(v, "inboundPort", request.InboundPort, (protocol, inboundSecurity) switch
        {
            (InboundProtocol.Pop3, MailSecurity.Tls) => 995,
            (InboundProtocol.Pop3, _) => 110,
            (_, MailSecurity.Tls) => 993,
            _ => 143,
        });
        var inboundUser = v.MaxLength("inboundUser", request.InboundUser?.Trim(), 255);
        var folder = v.MaxLength("inboundFolder", string.IsNullOrWhiteSpace(request.InboundFolder) ? "INBOX" : request.InboundFolder.Trim(), 255);
        var inboundPassword = Password(v, "inboundPassword", request.InboundPassword);
        var keepsInboundPassword = request.InboundPassword is null && row.InboundPasswordProtected is not null;
        if (reads && keepsInboundPassword && (!SameText(row.InboundHost, inboundHost) || row.InboundPort != inboundPort || row.InboundSecurity != inboundSecurity
            || !SameText(row.InboundUser ?? row.Address, inboundUser ?? address)))
        {
            v.Add("inboundPassword", "Enter inboundPassword again when you change the inbound host, port, security or user.");
        }
        else if (reads && string.IsNullOrEmpty(inboundPassword) && !keepsInboundPassword)
        {
            v.Add("inboundPassword", "inboundPassword is required to read an IMAP or POP3 mailbox.");
        }

        var smtpSecurity = v.Enum<MailSecurity>("smtpSecurity", request.SmtpSecurity ?? "start_tls") ?? MailSecurity.StartTls;
        var smtpHost = Host(v, "smtpHost", request.SmtpHost, required: false);
        var smtpPort = Port(v, "smtpPort", request.SmtpPort, smtpSecurity switch { MailSecurity.Tls => 465, MailSecurity.StartTls => 587, _ => 25 });
        var smtpUser = v.MaxLength("smtpUser", string.IsNullOrWhiteSpace(request.SmtpUser) ? null : request.SmtpUser.Trim(), 255);
        var smtpPassword = Password(v, "smtpPassword", request.SmtpPassword);
        var keepsSmtpPassword = request.SmtpPassword is null && row.SmtpPasswordProtected is not null;
        if (string.IsNullOrWhiteSpace(request.SmtpHost) && (smtpUser is not null || !string.IsNullOrEmpty(smtpPassword)))
        {
            v.Add("smtpHost", "smtpHost is required when smtpUser or smtpPassword is given.");
        }
        else if (smtpUser is null && !string.IsNullOrEmpty(smtpPassword))
        {
            v.Add("smtpUser", "smtpUser is required with smtpPassword.");
        }
        else if (keepsSmtpPassword && smtpUser is not null && (!SameText(row.SmtpHost, smtpHost) || row.SmtpPort != smtpPort || row.SmtpSecurity != smtpSecurity
            || !SameText(row.SmtpUser, smtpUser)))
        {
            v.Add("smtpPassword", "Enter smtpPassword again when you change the SMTP host, port, security or user.");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        row.Name = name!;
        row.Enabled = request.Enabled ?? true;
        row.Address = address!;
        row.SenderName = string.IsNullOrEmpty(senderName) ? "Support" : senderName;
        row.DefaultGroupId = request.DefaultGroupId;
        row.InboundProtocol = protocol;
        row.InboundHost = reads ? inboundHost : null;
        row.InboundPort = reads ? inboundPort : 0;
        row.InboundSecurity = inboundSecurity;
        row.InboundUser = reads ? inboundUser ?? address : null;
        row.InboundFolder = folder!;
        row.DeleteAfterImport = protocol == InboundProtocol.Pop3 || (request.DeleteAfterImport ?? false);
        row.InboundPasswordProtected = !reads ? null : keepsInboundPassword ? row.InboundPasswordProtected : secrets.Protect(inboundPassword!);
        row.SmtpHost = smtpHost;
        row.SmtpPort = smtpHost is null ? 0 : smtpPort;
        row.SmtpSecurity = smtpSecurity;
        row.SmtpUser = smtpHost is null ? null : smtpUser;
        row.SmtpPasswordProtected = smtpHost is null || smtpUser is null ? null
            : keepsSmtpPassword ? row.SmtpPasswordProtected
            : string.IsNullOrEmpty(smtpPassword) ? null
            : secrets.Protect(smtpPassword);
        return null;
    }

    private static string? Host(Validation v, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                v.Add(field, $"{field} is required.");
            }

            return null;
        }

        var host = value.Trim();
        if (host.Length > 255 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            v.Add(field, $"{field} '{host}' is not a host name or IP address.");
            return null;
        }

        return host.ToLowerInvariant();
    }

    private static int Port(Validation v, string field, int? value, int standard)
    {
        if (value is { } port and (< 1 or > 65535))
        {
            v.Add(field, $"{field} must be between 1 and 65535 (got {port}).");
        }

        return value ?? standard;
    }

    private static string? Password(Validation v, string field, string? value)
    {
        if (value is { Length: > MaxPasswordLength })
        {
            v.Add(field, $"{field} must be at most {MaxPasswordLength} characters.");
        }

        v.WithoutNul(field, value);
        return value;
    }

    private static bool SameText(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static Response ToResponse(MailAccount row) => new(
        row.Id, row.Name, row.Enabled, row.Address, row.SenderName, row.DefaultGroupId,
        row.InboundProtocol, row.InboundHost, row.InboundProtocol == InboundProtocol.None ? null : row.InboundPort, row.InboundSecurity, row.InboundUser,
        row.InboundPasswordProtected is not null, row.InboundFolder, row.DeleteAfterImport,
        row.SmtpHost, row.SmtpHost is null ? null : row.SmtpPort, row.SmtpSecurity, row.SmtpUser, row.SmtpPasswordProtected is not null,
        row.UpdatedAt);
}
