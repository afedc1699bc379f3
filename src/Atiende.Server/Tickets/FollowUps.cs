using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Atiende.Server.Sla;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>
/// A customer's message to a closed ticket starts a follow-up: a new ticket with the same requester, routing, tags
/// and CC, linked to the closed one, which stays as it was.
/// </summary>
public static class FollowUps
{
    /// <summary>Saves the follow-up with <paramref name="article"/> as its first message; the caller owns the transaction.</summary>
    public static async Task<Ticket> CreateAsync(
        AtiendeDb db, Ticket closed, Article article, long? actorId, LifecycleDefinition lifecycle, SlaTracking sla, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var followUp = new Ticket
        {
            Subject = closed.Subject,
            Status = "",
            Priority = closed.Priority,
            Type = closed.Type,
            Channel = article.Channel,
            Visibility = closed.Visibility,
            RequesterId = closed.RequesterId,
            OrganizationId = closed.OrganizationId,
            GroupId = closed.GroupId,
            AssigneeId = closed.AssigneeId,
            Cc = await db.TicketCcs.Where(c => c.TicketId == closed.Id).Select(c => new TicketCc { Email = c.Email }).ToListAsync(cancellationToken),
            Tags = await db.TicketTags.Where(t => t.TicketId == closed.Id).Select(t => new TicketTag { Name = t.Name }).ToListAsync(cancellationToken),
        };
        Lifecycle.Start(lifecycle, followUp, LifecycleEvent.CreatedByCustomer, now);
        TicketHistory.Record(followUp, HistoryKind.Created, actorId, now, followUp.Status);
        followUp.Articles.Add(article);
        TicketHistory.Record(followUp, HistoryKind.ArticleAdded, actorId, now, "public");
        await sla.ReconcileAsync(db, followUp, now, cancellationToken);
        db.Tickets.Add(followUp);
        await db.SaveChangesAsync(cancellationToken);

        db.TicketLinks.Add(new TicketLink { TicketId = followUp.Id, LinkedTicketId = closed.Id, Kind = TicketLinkKind.FollowUpOf, CreatedAt = now });
        TicketHistory.Record(closed, HistoryKind.FollowUpCreated, actorId, now, followUp.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        TicketHistory.Record(followUp, HistoryKind.Linked, actorId, now, $"follow_up_of:{closed.Id}");
        await db.SaveChangesAsync(cancellationToken);
        return followUp;
    }
}
