using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Sla;

public static class ManageSlaPolicies
{
    public sealed record ConditionsRequest(
        List<string>? Priorities, List<string>? Types, List<long>? GroupIds, List<long>? OrganizationIds, List<string>? Channels, List<string>? Tags);

    public sealed record Request(
        string? Name, int? Position, ConditionsRequest? Conditions, long? CalendarId, int? FirstResponseMinutes, int? NextResponseMinutes,
        int? ResolutionMinutes, int? WarningPercent, bool? NotifyLeadOnBreach, int? ReassignAfterMinutes, long? ReassignToGroupId);

    public sealed record Response(
        long Id, string Name, int Position, ConditionsDto Conditions, long? CalendarId, int? FirstResponseMinutes, int? NextResponseMinutes,
        int? ResolutionMinutes, int WarningPercent, bool NotifyLeadOnBreach, int? ReassignAfterMinutes, long? ReassignToGroupId, DateTimeOffset UpdatedAt);

    public static async Task<Results<Created<Response>, ProblemHttpResult>> Create(
        Request request, AtiendeDb db, SlaCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = new SlaPolicyRow { Name = "" };
        if (await ApplyAsync(request, row, db, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        row.UpdatedAt = clock.GetUtcNow();
        db.SlaPolicies.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Created($"/api/v1/admin/sla-policies/{row.Id}", ToResponse(row));
    }

    public static async Task<Ok<Page<Response>>> List(AtiendeDb db, CancellationToken cancellationToken)
    {
        var rows = await db.SlaPolicies.AsNoTracking().OrderBy(p => p.Position).ThenBy(p => p.Id).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<Response>(rows.Select(ToResponse).ToList(), null));
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Get(long id, AtiendeDb db, CancellationToken cancellationToken)
    {
        var row = await db.SlaPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return row is null ? Problems.NotFound($"SLA policy {id}") : TypedResults.Ok(ToResponse(row));
    }

    /// <summary>Existing tickets pick up a changed policy at their next change or scheduler pass.</summary>
    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Replace(
        long id, Request request, AtiendeDb db, SlaCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.SlaPolicies.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"SLA policy {id}");
        }

        if (await ApplyAsync(request, row, db, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        row.UpdatedAt = clock.GetUtcNow();
        row.Version++;
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Ok(ToResponse(row));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, AtiendeDb db, SlaCache cache, CancellationToken cancellationToken)
    {
        if (await db.SlaPolicies.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return Problems.NotFound($"SLA policy {id}");
        }

        cache.Invalidate();
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> ApplyAsync(Request request, SlaPolicyRow row, AtiendeDb db, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var name = v.Required("name", request.Name, 200);
        var c = request.Conditions ?? new ConditionsRequest(null, null, null, null, null, null);
        var conditions = new ConditionsDto(
            Parse<TicketPriority>(v, "conditions.priorities", c.Priorities),
            Parse<TicketType>(v, "conditions.types", c.Types),
            c.GroupIds ?? [],
            c.OrganizationIds ?? [],
            Parse<Channel>(v, "conditions.channels", c.Channels),
            (c.Tags ?? []).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList());
        foreach (var (field, minutes) in new[]
                 {
                     ("firstResponseMinutes", request.FirstResponseMinutes), ("nextResponseMinutes", request.NextResponseMinutes),
                     ("resolutionMinutes", request.ResolutionMinutes), ("reassignAfterMinutes", request.ReassignAfterMinutes),
                 })
        {
            if (minutes is < 1 or > 525_600)
            {
                v.Add(field, $"{field} must be between 1 and 525600 minutes (a year), or null.");
            }
        }

        if (request.FirstResponseMinutes is null && request.NextResponseMinutes is null && request.ResolutionMinutes is null)
        {
            v.Add("firstResponseMinutes", "A policy needs at least one target: firstResponseMinutes, nextResponseMinutes or resolutionMinutes.");
        }

        if (request.WarningPercent is < 1 or > 99)
        {
            v.Add("warningPercent", "warningPercent must be between 1 and 99.");
        }

        if (request.CalendarId is { } calendar && !await db.Calendars.AnyAsync(x => x.Id == calendar, cancellationToken))
        {
            v.Add("calendarId", $"Calendar {calendar} does not exist.");
        }

        if (request.ReassignToGroupId is { } group && !await db.Groups.AnyAsync(g => g.Id == group, cancellationToken))
        {
            v.Add("reassignToGroupId", $"Group {group} does not exist.");
        }

        if (!v.IsValid)
        {
            return Problems.Invalid(v);
        }

        row.Name = name!;
        row.Position = request.Position ?? 0;
        row.ConditionsJson = SlaMapping.ToJson(conditions);
        row.CalendarId = request.CalendarId;
        row.FirstResponseMinutes = request.FirstResponseMinutes;
        row.NextResponseMinutes = request.NextResponseMinutes;
        row.ResolutionMinutes = request.ResolutionMinutes;
        row.WarningPercent = request.WarningPercent ?? 75;
        row.NotifyLeadOnBreach = request.NotifyLeadOnBreach ?? true;
        row.ReassignAfterMinutes = request.ReassignAfterMinutes;
        row.ReassignToGroupId = request.ReassignToGroupId;
        return null;
    }

    private static List<TEnum> Parse<TEnum>(Validation v, string field, List<string>? values)
        where TEnum : struct, Enum => (values ?? []).Select(value => v.Enum<TEnum>(field, value)).OfType<TEnum>().Distinct().ToList();

    private static Response ToResponse(SlaPolicyRow r) => new(r.Id, r.Name, r.Position, SlaMapping.FromJson<ConditionsDto>(r.ConditionsJson), r.CalendarId,
        r.FirstResponseMinutes, r.NextResponseMinutes, r.ResolutionMinutes, r.WarningPercent, r.NotifyLeadOnBreach, r.ReassignAfterMinutes, r.ReassignToGroupId,
        r.UpdatedAt);
}
