using System.Security.Claims;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Notifications;

public static class NotificationsApi
{
    public sealed record Response(long Id, long? TicketId, string Kind, string Text, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", List).WithName("ListNotifications").WithSummary("My notifications, newest first.");
        notifications.MapPost("/{id:long}/read", MarkRead).WithName("MarkNotificationRead").WithSummary("Mark one of my notifications read.");
        return api;
    }

    public static async Task<Ok<Page<Response>>> List(ClaimsPrincipal principal, AtiendeDb db, bool? unread, int? limit, CancellationToken cancellationToken)
    {
        var me = principal.Viewer().UserId;
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == me && (unread != true || n.ReadAt == null))
            .OrderByDescending(n => n.Id).Take(take)
            .Select(n => new Response(n.Id, n.TicketId, n.Kind, n.Text, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<Response>(rows, null));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(
        long id, ClaimsPrincipal principal, AtiendeDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var me = principal.Viewer().UserId;
        var now = clock.GetUtcNow();
        var updated = await db.Notifications.Where(n => n.Id == id && n.UserId == me)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), cancellationToken);
        return updated == 0 ? Problems.NotFound($"Notification {id}") : TypedResults.NoContent();
    }
}
