using System.Security.Claims;
using Atiende.Domain.Tickets;
using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

public sealed record AuthorRef(long Id, string Name, UserRole Role);

public sealed record AttachmentResponse(long Id, string FileName, string ContentType, long Size);

public sealed record ArticleResponse(
    long Id, long TicketId, string Body, string BodyHtml, bool Internal, Channel Channel, AuthorRef Author, DateTimeOffset CreatedAt,
    IReadOnlyList<AttachmentResponse> Attachments, ArticleDelivery? Delivery);

/// <summary>The thread, oldest first; customers never receive internal notes.</summary>
public static class ListArticles
{
    public static async Task<Results<Ok<Page<ArticleResponse>>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var take = limit ?? 100;
        if (take is < 1 or > 500)
        {
            return Problems.Invalid("limit", "limit must be between 1 and 500.");
        }

        Cursor after = default;
        if (cursor is not null && !Cursor.TryDecode(cursor, out after))
        {
            return Problems.Invalid("cursor", "cursor is not one this API returned.");
        }

        if (!await db.VisibleTickets(viewer).AnyAsync(t => t.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Ticket {id}");
        }

        var staff = viewer.IsStaff;
        var afterId = after.Id;
        var rows = await (
                from a in db.Articles.AsNoTracking()
                where a.TicketId == id && (staff || !a.Internal) && a.Id > afterId
                join u in db.Users on a.AuthorId equals u.Id
                orderby a.Id
                select new ArticleResponse(a.Id, a.TicketId, a.BodyText, a.BodyHtml, a.Internal, a.Channel, new AuthorRef(u.Id, u.Name, u.Role), a.CreatedAt,
                    a.Attachments.OrderBy(x => x.Id).Select(x => new AttachmentResponse(x.Id, x.FileName, x.ContentType, x.Size)).ToList(), null))
            .Take(take + 1)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? new Cursor(0, rows[take - 1].Id).Encode() : null;
        var page = rows.Take(take).ToList();
        var deliveries = await MailDelivery.ForAsync(db, page.Select(a => a.Id).ToList(), staff, cancellationToken);
        return TypedResults.Ok(new Page<ArticleResponse>(page.Select(a => a with { Delivery = deliveries.GetValueOrDefault(a.Id) }).ToList(), next));
    }
}
