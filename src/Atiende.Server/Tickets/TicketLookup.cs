using Atiende.Domain.Access;
using Atiende.Domain.Tickets;
using Atiende.Server.Data;

namespace Atiende.Server.Tickets;

public static class TicketLookup
{
    /// <summary>The tickets this viewer may see; every ticket read goes through here, so a forbidden id is a missing id.</summary>
    public static IQueryable<Ticket> VisibleTickets(this AtiendeDb db, Viewer viewer) => db.Tickets.Where(TicketAccess.VisibleTo(viewer));
}
