using System.Security.Claims;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atiende.Server.Tickets;

/// <summary>An admin erases a ticket for good (see <see cref="EraseTicket"/>).</summary>
public static class PurgeTicket
{
    public sealed record Response(long TicketId, DateTimeOffset PurgedAt, long? PurgedById);

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tombstone = await EraseTicket.EraseAsync(db, id, principal.Viewer().UserId, clock.GetUtcNow(), cancellationToken);
        return tombstone is null
            ? Problems.NotFound($"Ticket {id}")
            : TypedResults.Ok(new Response(tombstone.TicketId, tombstone.PurgedAt, tombstone.PurgedById));
    }
}
