using System.Security.Claims;
using Atiende.Domain.Lifecycle;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Shared;
using Atiende.Server.Sla;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>The customer says the resolution works: the ticket closes.</summary>
public static class ConfirmResolution
{
    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, SlaTracking sla, MailOutbound mail, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var ticket = await db.VisibleTickets(viewer).Include(t => t.Tags).Include(t => t.SlaTargets).AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return Problems.NotFound($"Ticket {id}");
        }

        if (!viewer.IsCustomer)
        {
            return Problems.Forbidden("Only the customer confirms a resolution; agents resolve, and the customer or auto-close closes.");
        }

        var now = clock.GetUtcNow();
        var outcome = Lifecycle.Apply(lifecycle, ticket, LifecycleEvent.CustomerConfirmed, now);
        if (!outcome.Allowed)
        {
            return Problems.Conflict(outcome.Rejection!);
        }

        TicketHistory.Touch(ticket, now);
        TicketHistory.Record(ticket, outcome.Changes, viewer.UserId, now);
        await sla.ReconcileAsync(db, ticket, now, cancellationToken);
        await mail.EnqueueStatusNoticesAsync(db, ticket, outcome.Changes, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.StaleVersion();
        }

        http.Response.Headers.ETag = ETags.For(ticket.Version);
        return TypedResults.Ok(await TicketResponses.LoadAsync(db, ticket, viewer, lifecycle, now, cancellationToken));
    }
}
