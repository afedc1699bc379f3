using Atiende.Domain.Access;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;

namespace Atiende.Server.Tickets;

public static class TicketHistory
{
    /// <summary>Writes each change on the ticket's history; changes to internal fields are marked internal.</summary>
    public static void Record(Ticket ticket, IEnumerable<FieldChange> changes, long? actorId, DateTimeOffset now)
    {
        foreach (var change in changes)
        {
            ticket.History.Add(new HistoryEvent
            {
                TicketId = ticket.Id,
                At = now,
                ActorId = actorId,
                Kind = HistoryKind.FieldChanged,
                Field = change.Field,
                From = Truncate(change.From),
                To = Truncate(change.To),
                Internal = !TicketAccess.IsCustomerVisibleField(change.Field),
            });
        }
    }

    public static void Record(Ticket ticket, HistoryKind kind, long? actorId, DateTimeOffset now, string? to = null, bool isInternal = false) =>
        ticket.History.Add(new HistoryEvent { TicketId = ticket.Id, At = now, ActorId = actorId, Kind = kind, To = Truncate(to), Internal = isInternal });

    /// <summary>Marks the ticket changed: a new ETag and updated time.</summary>
    public static void Touch(Ticket ticket, DateTimeOffset now)
    {
        ticket.Version++;
        ticket.UpdatedAt = now;
    }

    private static string? Truncate(string? value) => value is { Length: > 2000 } ? value[..2000] : value;
}
