using System.Globalization;
using System.Security.Claims;
using Atiende.Domain.Lifecycle;
using Atiende.Domain.Tickets;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tickets;

/// <summary>
/// Filtered, sorted, keyset-paginated ticket lists. Each filter has an index ending in (UpdatedAt, Id), so the first
/// page costs a short index walk whatever the table size.
/// </summary>
public static class ListTickets
{
    public static readonly string[] Sorts = ["-updatedAt", "updatedAt", "-createdAt", "createdAt", "-priority", "priority", "-id", "id"];

    public sealed record Query(
        string? Status, string? StatusCategory, string? AssigneeId, long? GroupId, long? RequesterId, long? OrganizationId,
        string? Tag, string? Q, string? Sort, int? Limit, string? Cursor);

    public static async Task<Results<Ok<Page<TicketResponse>>, ProblemHttpResult>> Handle(
        [AsParameters] Query query, ClaimsPrincipal principal, AtiendeDb db, LifecycleDefinition lifecycle, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var viewer = principal.Viewer();
        var v = new Validation();
        var sort = query.Sort ?? "-updatedAt";
        if (!Sorts.Contains(sort, StringComparer.Ordinal))
        {
            v.Add("sort", $"sort '{sort}' is not one of: {string.Join(", ", Sorts)}.");
        }

        var limit = query.Limit ?? 25;
        if (limit is < 1 or > 200)
        {
            v.Add("limit", "limit must be between 1 and 200.");
        }

        Cursor after = default;
        if (query.Cursor is not null && (!Cursor.TryDecode(query.Cursor, out after) || !Fits(after, sort)))
        {
            v.Add("cursor", "cursor is not one this API returned.");
        }

        if (viewer.IsCustomer)
        {
            query = ForCustomer(query, lifecycle, v);
        }

        var tickets = db.VisibleTickets(viewer).AsNoTracking();
        tickets = Filter(tickets, query, viewer.UserId, lifecycle, v);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            tickets = tickets.Matching(db, v.MaxLength("q", query.Q.Trim(), 500)!, includeInternal: viewer.IsStaff);
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        var descending = sort.StartsWith('-');
        var key = sort.TrimStart('-');
        if (query.Cursor is not null)
        {
            tickets = After(tickets, key, descending, after);
        }

        var rows = await Order(tickets, key, descending).Take(limit + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = new Cursor(SortValue(rows[^1], key), rows[^1].Id).Encode();
        }

        return TypedResults.Ok(new Page<TicketResponse>(await TicketResponses.LoadAsync(db, rows, viewer, lifecycle, clock.GetUtcNow(), cancellationToken), next));
    }

    /// <summary>
    /// Customers filter by the statuses they are shown (open, awaiting_reply, resolved, closed) and never by internal
    /// facts (category, routing, tags), so a filter cannot reveal what their tickets do not show.
    /// </summary>
    private static Query ForCustomer(Query query, LifecycleDefinition lifecycle, Validation v)
    {
        foreach (var (field, value) in new[] { ("statusCategory", query.StatusCategory), ("assigneeId", query.AssigneeId), ("tag", query.Tag) }
                     .Concat([("groupId", query.GroupId?.ToString(CultureInfo.InvariantCulture))]))
        {
            if (value is not null)
            {
                v.Add(field, $"Customers cannot filter by {field}.");
            }
        }

        if (List(query.Status) is not { } shown)
        {
            return query;
        }

        var statuses = new List<string>();
        foreach (var name in shown)
        {
            if (Json.TryParseEnum<CustomerStatus>(name, out var customerStatus))
            {
                statuses.AddRange(lifecycle.Statuses.Where(s => s.CustomerStatus == customerStatus && s.Category != StatusCategory.Removed).Select(s => s.Name));
            }
            else
            {
                v.Add("status", $"status '{name}' is not one of: {string.Join(", ", Json.EnumNames<CustomerStatus>())}.");
            }
        }

        return query with { Status = string.Join(',', statuses.Distinct(StringComparer.Ordinal)) };
    }

    private static IQueryable<Ticket> Filter(IQueryable<Ticket> tickets, Query query, long me, LifecycleDefinition lifecycle, Validation v)
    {
        if (List(query.Status) is { } statuses)
        {
            foreach (var unknown in statuses.Where(s => lifecycle.Find(s) is null))
            {
                v.Add("status", $"status '{unknown}' is not one of: {string.Join(", ", lifecycle.Statuses.Select(s => s.Name))}.");
            }

            tickets = statuses.Count == 1 ? tickets.Where(t => t.Status == statuses[0]) : tickets.Where(t => statuses.Contains(t.Status));
        }

        if (List(query.StatusCategory) is { } categoryNames)
        {
            var categories = categoryNames.Select(c => v.Enum<StatusCategory>("statusCategory", c)).OfType<StatusCategory>().ToList();
            tickets = categories.Count == 1 ? tickets.Where(t => t.StatusCategory == categories[0]) : tickets.Where(t => categories.Contains(t.StatusCategory));
        }

        switch (query.AssigneeId)
        {
            case null:
                break;
            case "none":
                tickets = tickets.Where(t => t.AssigneeId == null);
                break;
            case "me":
                tickets = tickets.Where(t => t.AssigneeId == me);
                break;
            default:
                if (long.TryParse(query.AssigneeId, NumberStyles.None, CultureInfo.InvariantCulture, out var assignee))
                {
                    tickets = tickets.Where(t => t.AssigneeId == assignee);
                }
                else
                {
                    v.Add("assigneeId", "assigneeId must be a user id, 'me' or 'none'.");
                }

                break;
        }

        if (query.GroupId is { } group)
        {
            tickets = tickets.Where(t => t.GroupId == group);
        }

        if (query.RequesterId is { } requester)
        {
            tickets = tickets.Where(t => t.RequesterId == requester);
        }

        if (query.OrganizationId is { } organization)
        {
            tickets = tickets.Where(t => t.OrganizationId == organization);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag) && v.WithoutNul("tag", query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            tickets = tickets.Where(t => t.Tags.Any(x => x.Name == tag));
        }

        return tickets;
    }

    private static List<string>? List(string? csv) =>
        string.IsNullOrWhiteSpace(csv) ? null : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    // createdAt follows id: ids are handed out in creation order.
    private static IQueryable<Ticket> Order(IQueryable<Ticket> tickets, string key, bool descending) => (key, descending) switch
    {
        ("updatedAt", true) => tickets.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id),
        ("updatedAt", false) => tickets.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id),
        ("priority", true) => tickets.OrderByDescending(t => t.Priority).ThenByDescending(t => t.Id),
        ("priority", false) => tickets.OrderBy(t => t.Priority).ThenBy(t => t.Id),
        (_, true) => tickets.OrderByDescending(t => t.Id),
        _ => tickets.OrderBy(t => t.Id),
    };

    private static IQueryable<Ticket> After(IQueryable<Ticket> tickets, string key, bool descending, Cursor c)
    {
        switch (key, descending)
        {
            case ("updatedAt", true):
                var before = new DateTimeOffset(c.SortValue, TimeSpan.Zero);
                return tickets.Where(t => t.UpdatedAt < before || (t.UpdatedAt == before && t.Id < c.Id));
            case ("updatedAt", false):
                var since = new DateTimeOffset(c.SortValue, TimeSpan.Zero);
                return tickets.Where(t => t.UpdatedAt > since || (t.UpdatedAt == since && t.Id > c.Id));
            case ("priority", true):
                var below = (TicketPriority)c.SortValue;
                return tickets.Where(t => t.Priority < below || (t.Priority == below && t.Id < c.Id));
            case ("priority", false):
                var above = (TicketPriority)c.SortValue;
                return tickets.Where(t => t.Priority > above || (t.Priority == above && t.Id > c.Id));
            case (_, true):
                return tickets.Where(t => t.Id < c.Id);
            default:
                return tickets.Where(t => t.Id > c.Id);
        }
    }

    // Cursors are opaque, not signed: a forged time must be refused before it reaches a DateTimeOffset.
    private static bool Fits(Cursor cursor, string sort) =>
        !string.Equals(sort.TrimStart('-'), "updatedAt", StringComparison.Ordinal)
        || (cursor.SortValue >= 0 && cursor.SortValue <= DateTimeOffset.MaxValue.UtcTicks);

    private static long SortValue(Ticket t, string key) => key switch
    {
        "updatedAt" => t.UpdatedAt.UtcTicks,
        "priority" => (long)t.Priority,
        _ => t.Id,
    };
}
