using Atiende.Server.Users;

namespace Atiende.Server.Tickets;

public static class TicketsApi
{
    public static RouteGroupBuilder MapTicketsApi(this RouteGroupBuilder api)
    {
        var tickets = api.MapGroup("/tickets").WithTags("Tickets");
        tickets.MapPost("/", CreateTicket.Handle).WithName("CreateTicket").WithSummary("Create a ticket with its first message.");
        tickets.MapGet("/", ListTickets.Handle).WithName("ListTickets")
            .WithSummary("List tickets: filter by status, statusCategory, assigneeId, groupId, requesterId, tag, q; sort; cursor pages.");
        tickets.MapGet("/{id:long}", GetTicket.Handle).WithName("GetTicket").WithSummary("One ticket, with its ETag.");
        tickets.MapPatch("/{id:long}", UpdateTicket.Handle).RequireAuthorization(UsersApi.StaffOnly)
            .WithName("UpdateTicket").WithSummary("Change a ticket (merge-patch, If-Match required).");
        tickets.MapPost("/{id:long}/articles", AddArticle.Handle).WithName("AddArticle")
            .WithSummary("Reply publicly or add an internal note; optionally set the status with it.");
        tickets.MapGet("/{id:long}/articles", ListArticles.Handle).WithName("ListArticles").WithSummary("The ticket's thread, oldest first.");
        tickets.MapGet("/{id:long}/history", GetHistory.Handle).WithName("GetTicketHistory").WithSummary("Every change, with time and actor.");
        tickets.MapPost("/{id:long}/confirm", ConfirmResolution.Handle).WithName("ConfirmResolution")
            .WithSummary("The customer confirms the resolution; the ticket closes.");
        tickets.MapPost("/{id:long}/purge", PurgeTicket.Handle).RequireAuthorization(UsersApi.AdminOnly)
            .WithName("PurgeTicket").WithSummary("Erase a ticket for good, leaving a tombstone.");
        return api;
    }
}
