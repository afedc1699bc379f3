using System.Security.Claims;
using Atiende.Domain.Lifecycle;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

public static class GetTicket
{
    public static async Task<Results<Ok<TicketResponse>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var ticket = await db.VisibleTickets(viewer).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return Problems.NotFound($"Ticket {id}");
        }

        http.Response.Headers.ETag = ETags.For(ticket.Version);
        return TypedResults.Ok(await TicketResponses.LoadAsync(db, ticket, viewer, lifecycle, clock.GetUtcNow(), cancellationToken));
    }
}
