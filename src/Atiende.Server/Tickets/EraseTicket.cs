using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>
/// Erases a ticket for good, in one transaction: subject, thread, attachments, tags, CC, links, SLA clocks and
/// history. Only a tombstone remains (id, when, by whom), and the id is never handed out again.
/// </summary>
public static class EraseTicket
{
    public static async Task<TicketTombstone?> EraseAsync(AtiendeDb db, long id, long? purgedById, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Tickets.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return null;
        }

        // Explicit deletes (not only cascades) so SQLite's full-text triggers see every removed row.
        await db.Attachments.Where(a => db.Articles.Any(x => x.Id == a.ArticleId && x.TicketId == id)).ExecuteDeleteAsync(cancellationToken);
        await db.Articles.Where(a => a.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.History.Where(h => h.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.TicketTags.Where(x => x.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.TicketCcs.Where(x => x.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.TicketLinks.Where(l => l.TicketId == id || l.LinkedTicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.SlaTargets.Where(s => s.TicketId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Tickets.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);

        var tombstone = new TicketTombstone { TicketId = id, PurgedAt = now, PurgedById = purgedById };
        db.Tombstones.Add(tombstone);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return tombstone;
    }
}
