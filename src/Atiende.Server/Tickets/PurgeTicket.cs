using System.Security.Claims;
using Atiende.Domain.Tickets;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>
/// Erases a ticket for good: subject, thread, attachments, tags, CC, links and history. Only a tombstone remains
/// (id, when, by whom), and the id is never handed out again.
/// </summary>
public static class PurgeTicket
{
    public sealed record Response(long TicketId, DateTimeOffset PurgedAt, long PurgedById);

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Tickets.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Ticket {id}");
        }

        // Explicit deletes (not only cascades) so SQLite's full-text triggers see every removed row.
        await db.Attachments.Where(a => db.Articles.Any(x => x.Id == a.ArticleId && x.TicketId == id)).ExecuteDeleteAsync(cancellationToken);
        await db.Articles.Where(a => a.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.History.Where(h => h.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.TicketTags.Where(x => x.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.TicketCcs.Where(x => x.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.TicketLinks.Where(l => l.TicketId == id || l.LinkedTicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Tickets.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);

        var tombstone = new TicketTombstone { TicketId = id, PurgedAt = clock.GetUtcNow(), PurgedById = viewer.UserId };
        db.Tombstones.Add(tombstone);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new Response(tombstone.TicketId, tombstone.PurgedAt, tombstone.PurgedById));
    }
}
