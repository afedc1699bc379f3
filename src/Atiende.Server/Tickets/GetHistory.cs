using System.Security.Claims;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

public sealed record ActorRef(long Id, string Name);

public sealed record HistoryResponse(long Id, DateTimeOffset At, ActorRef? Actor, HistoryKind Kind, string? Field, string? From, string? To);

/// <summary>
/// Every change with its time and actor. Customers see only public events, and statuses as they are shown to them
/// (on hold reads "open"), so internal states never leak.
/// </summary>
public static class GetHistory
{
    public static async Task<Results<Ok<Page<HistoryResponse>>, ProblemHttpResult>> Handle(
        long id, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        if (!await db.VisibleTickets(viewer).AnyAsync(t => t.Id == id, cancellationToken))
        {
            return Problems.NotFound($"Ticket {id}");
        }

        var staff = viewer.IsStaff;
        var rows = await (
                from h in db.History.AsNoTracking()
                where h.TicketId == id && (staff || !h.Internal)
                join u in db.Users on h.ActorId equals u.Id into actors
                from u in actors.DefaultIfEmpty()
                orderby h.Id
                select new HistoryResponse(h.Id, h.At, u == null ? null : new ActorRef(u.Id, u.Name), h.Kind, h.Field, h.From, h.To))
            .Take(5000)
            .ToListAsync(cancellationToken);
        if (!staff)
        {
            rows = rows.Select(r => ForCustomer(r, lifecycle)).OfType<HistoryResponse>().ToList();
        }

        return TypedResults.Ok(new Page<HistoryResponse>(rows, null));
    }

    private static HistoryResponse? ForCustomer(HistoryResponse entry, LifecycleDefinition lifecycle)
    {
        string? Show(string? status) => status is null ? null : Json.EnumName(lifecycle.Find(status)?.CustomerStatus ?? CustomerStatus.Open);

        if (entry.Kind == HistoryKind.Created)
        {
            return entry with { To = Show(entry.To) };
        }

        if (entry.Field != "status")
        {
            return entry;
        }

        var (from, to) = (Show(entry.From), Show(entry.To));
        return from == to ? null : entry with { From = from, To = to };
    }
}
