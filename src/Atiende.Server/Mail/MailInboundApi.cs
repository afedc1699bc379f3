using System.Security.Claims;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Atiende.Server.Tickets;
using Atiende.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Mail;

public static class MailInboundApi
{
    public sealed record IngestResponse(IngestOutcome Outcome, long? TicketId, long? ArticleId, string Reason, long? QuarantineId);

    public sealed record QuarantineRow(long Id, long? AccountId, string Source, string Reason, string? MessageId, string? From, string? Subject,
        DateTimeOffset ReceivedAt, QuarantineStatus Status, DateTimeOffset? ResolvedAt, long? TicketId, int Size);

    public sealed record BlockRequest(string? Pattern);

    public sealed record BlockRow(long Id, string Pattern);

    public static void AddMailInbound(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddScoped<IngestMail>();
    }

    public static RouteGroupBuilder MapMailInboundApi(this RouteGroupBuilder api)
    {
        api.MapPost("/mail/inbound", Ingest).RequireAuthorization(UsersApi.AdminOnly).WithTags("Mail")
            .Accepts<byte[]>("message/rfc822")
            .WithName("IngestMail").WithSummary("Hand over one raw RFC 822 message (for relays); ?account= names the mail account.");

        var quarantine = api.MapGroup("/admin/mail/quarantine").WithTags("Mail").RequireAuthorization(UsersApi.AdminOnly);
        quarantine.MapGet("/", ListQuarantine).WithName("ListQuarantine").WithSummary("Messages that could not be handled, with the reason.");
        quarantine.MapGet("/{id:long}/raw", RawQuarantined).WithName("GetQuarantinedRaw").WithSummary("The quarantined message as it arrived.");
        quarantine.MapPost("/{id:long}/retry", Retry).WithName("RetryQuarantined").WithSummary("Try a quarantined message again.");
        quarantine.MapPost("/{id:long}/discard", Discard).WithName("DiscardQuarantined").WithSummary("Give up on a quarantined message.");

        var blocked = api.MapGroup("/admin/mail/blocked-senders").WithTags("Mail").RequireAuthorization(UsersApi.AdminOnly);
        blocked.MapGet("/", ListBlocked).WithName("ListBlockedSenders").WithSummary("Blocked addresses and domains: their mail becomes spam.");
        blocked.MapPost("/", Block).WithName("BlockSender").WithSummary("Block an address (ana@x.test) or a domain (x.test).");
        blocked.MapDelete("/{id:long}", Unblock).WithName("UnblockSender").WithSummary("Unblock.");

        api.MapGet("/attachments/{id:long}", DownloadAttachment).WithTags("Tickets").WithName("DownloadAttachment")
            .WithSummary("An attachment; safe images inline, everything else as a download.");
        api.MapGet("/articles/{id:long}/raw", RawArticle).RequireAuthorization(UsersApi.StaffOnly).WithTags("Tickets").WithName("GetArticleRaw")
            .WithSummary("The original message of a mail article, as it arrived.");
        return api;
    }

    public static async Task<Results<Created<IngestResponse>, Ok<IngestResponse>, Accepted<IngestResponse>, ProblemHttpResult>> Ingest(
        HttpRequest request, string? account, AtiendeDb db, IngestMail ingest, CancellationToken cancellationToken)
    {
        MailAccount? mailAccount = null;
        if (account is not null && (mailAccount = await db.MailAccounts.FirstOrDefaultAsync(a => a.Name == account, cancellationToken)) is null)
        {
            return Problems.Invalid("account", $"There is no mail account named '{account}'.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return Problems.Invalid("body", "The body must be one raw RFC 822 message.");
        }

        var result = await ingest.IngestAsync(buffer.ToArray(), mailAccount, "api", cancellationToken);
        var response = new IngestResponse(result.Outcome, result.TicketId, result.ArticleId, result.Reason, result.QuarantineId);
        return result.Outcome switch
        {
            IngestOutcome.Accepted => TypedResults.Created($"/api/v1/tickets/{result.TicketId}", response),
            IngestOutcome.Duplicate => TypedResults.Ok(response),
            _ => TypedResults.Accepted($"/api/v1/admin/mail/quarantine/{result.QuarantineId}", response),
        };
    }

    public static async Task<Ok<Page<QuarantineRow>>> ListQuarantine(AtiendeDb db, string? status, long? after, int? limit, CancellationToken cancellationToken)
    {
        var wanted = status is null ? QuarantineStatus.Pending : Json.TryParseEnum<QuarantineStatus>(status, out var s) ? s : QuarantineStatus.Pending;
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var rows = await db.Quarantine.AsNoTracking().Where(q => q.Status == wanted && (after == null || q.Id < after)).OrderByDescending(q => q.Id).Take(take + 1)
            .Select(q => new QuarantineRow(q.Id, q.AccountId, q.Source, q.Reason, q.MessageId, q.From, q.Subject, q.ReceivedAt, q.Status, q.ResolvedAt, q.TicketId, q.Raw.Length))
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<QuarantineRow>(rows.Take(take).ToList(), next));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RawQuarantined(long id, AtiendeDb db, CancellationToken cancellationToken)
    {
        var raw = await db.Quarantine.Where(q => q.Id == id).Select(q => q.Raw).FirstOrDefaultAsync(cancellationToken);
        return raw is null ? Problems.NotFound($"Quarantined message {id}") : TypedResults.File(raw, "message/rfc822", $"quarantine-{id}.eml");
    }

    public static async Task<Results<Ok<IngestResponse>, ProblemHttpResult>> Retry(
        long id, AtiendeDb db, IngestMail ingest, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Quarantined message {id}");
        }

        if (row.Status != QuarantineStatus.Pending)
        {
            return Problems.Conflict($"Quarantined message {id} is already {Json.EnumName(row.Status)}.");
        }

        var account = row.AccountId is { } accountId ? await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken) : null;
        var result = await ingest.IngestAsync(row.Raw, account, row.Source, cancellationToken, retryOf: id);
        if (result.Outcome != IngestOutcome.Quarantined)
        {
            var now = clock.GetUtcNow();
            await db.Quarantine.Where(q => q.Id == id).ExecuteUpdateAsync(
                s => s.SetProperty(q => q.Status, QuarantineStatus.Retried).SetProperty(q => q.ResolvedAt, now).SetProperty(q => q.TicketId, result.TicketId),
                cancellationToken);
        }

        return TypedResults.Ok(new IngestResponse(result.Outcome, result.TicketId, result.ArticleId, result.Reason, result.QuarantineId));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Discard(long id, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = await db.Quarantine.Where(q => q.Id == id && q.Status == QuarantineStatus.Pending).ExecuteUpdateAsync(
            s => s.SetProperty(q => q.Status, QuarantineStatus.Discarded).SetProperty(q => q.ResolvedAt, now), cancellationToken);
        return updated == 0 ? Problems.NotFound($"Pending quarantined message {id}") : TypedResults.NoContent();
    }

    public static async Task<Ok<Page<BlockRow>>> ListBlocked(AtiendeDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new Page<BlockRow>(await db.BlockedSenders.OrderBy(b => b.Pattern).Take(5000).Select(b => new BlockRow(b.Id, b.Pattern)).ToListAsync(cancellationToken), null));

    public static async Task<Results<Created<BlockRow>, ProblemHttpResult>> Block(BlockRequest request, AtiendeDb db, CancellationToken cancellationToken)
    {
        var pattern = request.Pattern?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(pattern) || pattern.Length > 254 || pattern.Any(char.IsWhiteSpace)
            || (pattern.Contains('@', StringComparison.Ordinal) && !pattern.StartsWith('@') && !Validation.IsEmail(pattern)))
        {
            return Problems.Invalid("pattern", "pattern is an address (ana@spam.test) or a domain (spam.test or @spam.test).");
        }

        if (await db.BlockedSenders.AnyAsync(b => b.Pattern == pattern, cancellationToken))
        {
            return Problems.Conflict($"'{pattern}' is already blocked.");
        }

        var row = new BlockedSender { Pattern = pattern };
        db.BlockedSenders.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/admin/mail/blocked-senders/{row.Id}", new BlockRow(row.Id, row.Pattern));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unblock(long id, AtiendeDb db, CancellationToken cancellationToken) =>
        await db.BlockedSenders.Where(b => b.Id == id).ExecuteDeleteAsync(cancellationToken) == 0 ? Problems.NotFound($"Blocked sender {id}") : TypedResults.NoContent();

    /// <summary>Served as a download unless it is an image a browser shows safely (never SVG, which can carry script).</summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAttachment(
        long id, ClaimsPrincipal principal, AtiendeDb db, AttachmentStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var visible = db.VisibleTickets(viewer).Select(t => t.Id);
        var file = await (
                from x in db.Attachments
                where x.Id == id
                join a in db.Articles on x.ArticleId equals a.Id
                where visible.Contains(a.TicketId) && (viewer.IsStaff || !a.Internal)
                select new { x.FileName, x.ContentType, x.Sha256 })
            .FirstOrDefaultAsync(cancellationToken);
        if (file is null || store.OpenRead(file.Sha256) is not { } stream)
        {
            return Problems.NotFound($"Attachment {id}");
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        var safeImage = file.ContentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";
        return safeImage
            ? TypedResults.Stream(stream, file.ContentType)
            : TypedResults.Stream(stream, "application/octet-stream", file.FileName);
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> RawArticle(
        long id, ClaimsPrincipal principal, AtiendeDb db, AttachmentStore store, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var visible = db.VisibleTickets(viewer).Select(t => t.Id);
        var sha = await db.Articles.Where(a => a.Id == id && visible.Contains(a.TicketId)).Select(a => a.RawSha256).FirstOrDefaultAsync(cancellationToken);
        return sha is not null && store.OpenRead(sha) is { } stream
            ? TypedResults.Stream(stream, "message/rfc822", $"article-{id}.eml")
            : Problems.NotFound($"The original message of article {id}");
    }
}
