using System.Globalization;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Sla;

public static class ManageCalendars
{
    public sealed record HoursRequest(string? Day, string? Start, string? End);

    public sealed record HolidayRequest(string? Date, bool? Yearly, string? Name);

    public sealed record Request(string? Name, string? TimeZone, List<HoursRequest>? Hours, List<HolidayRequest>? Holidays);

    public sealed record Response(long Id, string Name, string TimeZone, IReadOnlyList<HoursDto> Hours, IReadOnlyList<HolidayDto> Holidays, DateTimeOffset UpdatedAt);

    public static async Task<Results<Created<Response>, ProblemHttpResult>> Create(
        Request request, AtiendeDb db, SlaCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = new CalendarRow { Name = "", TimeZoneId = "" };
        if (Apply(request, row) is { } invalid)
        {
            return invalid;
        }

        if (await db.Calendars.AnyAsync(c => c.Name == row.Name, cancellationToken))
        {
            return Problems.Conflict($"A calendar named '{row.Name}' already exists.");
        }

        row.UpdatedAt = clock.GetUtcNow();
        db.Calendars.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Created($"/api/v1/admin/calendars/{row.Id}", ToResponse(row));
    }

    public static async Task<Ok<Page<Response>>> List(AtiendeDb db, CancellationToken cancellationToken)
    {
        var rows = await db.Calendars.AsNoTracking().OrderBy(c => c.Id).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<Response>(rows.Select(ToResponse).ToList(), null));
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Get(long id, AtiendeDb db, CancellationToken cancellationToken)
    {
        var row = await db.Calendars.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return row is null ? Problems.NotFound($"Calendar {id}") : TypedResults.Ok(ToResponse(row));
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> Replace(
        long id, Request request, AtiendeDb db, SlaCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.Calendars.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return Problems.NotFound($"Calendar {id}");
        }

        if (Apply(request, row) is { } invalid)
        {
            return invalid;
        }

        if (await db.Calendars.AnyAsync(c => c.Name == row.Name && c.Id != id, cancellationToken))
        {
            return Problems.Conflict($"A calendar named '{row.Name}' already exists.");
        }

        row.UpdatedAt = clock.GetUtcNow();
        row.Version++;
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Ok(ToResponse(row));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, AtiendeDb db, SlaCache cache, CancellationToken cancellationToken)
    {
        if (await db.SlaPolicies.AnyAsync(p => p.CalendarId == id, cancellationToken))
        {
            return Problems.Conflict($"Calendar {id} is used by an SLA policy; change the policy first.");
        }

        if (await db.Calendars.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return Problems.NotFound($"Calendar {id}");
        }

        cache.Invalidate();
        return TypedResults.NoContent();
    }

    /// <summary>Validates the request and writes it into the row; returns the problem when it is invalid.</summary>
    private static ProblemHttpResult? Apply(Request request, CalendarRow row)
    {
        var v = new Validation();
        var name = v.Required("name", request.Name, 200);
        var zoneId = v.Required("timeZone", request.TimeZone, 100);
        if (zoneId is not null && SlaMapping.FindZone(zoneId) is null)
        {
            v.Add("timeZone", $"'{zoneId}' is not an IANA time zone this server knows (e.g. Europe/Madrid, America/New_York, UTC).");
        }

        var hours = new List<HoursDto>();
        foreach (var (h, i) in (request.Hours ?? []).Select((h, i) => (h, i)))
        {
            var day = v.Enum<DayOfWeek>($"hours[{i}].day", h.Day ?? "");
            var start = SlaMapping.ParseTime(h.Start);
            var end = SlaMapping.ParseTime(h.End);
            if (start is null || end is null)
            {
                v.Add($"hours[{i}]", "start and end are times like 09:00 (end at or before start runs past midnight; 00:00–00:00 is all day).");
            }
            else if (day is { } d)
            {
                hours.Add(new HoursDto(d, start.Value.ToString("HH:mm", CultureInfo.InvariantCulture), end.Value.ToString("HH:mm", CultureInfo.InvariantCulture)));
            }
        }

        var holidays = new List<HolidayDto>();
        foreach (var (h, i) in (request.Holidays ?? []).Select((h, i) => (h, i)))
        {
            if (!DateOnly.TryParseExact(h.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                v.Add($"holidays[{i}].date", "date must be like 2026-12-25.");
            }
            else
            {
                holidays.Add(new HolidayDto(h.Date!, h.Yearly ?? false, v.MaxLength($"holidays[{i}].name", h.Name, 200)));
            }
        }

        if (v.IsValid)
        {
            row.Name = name!;
            row.TimeZoneId = zoneId!;
            row.HoursJson = SlaMapping.ToJson(hours);
            row.HolidaysJson = SlaMapping.ToJson(holidays);
            foreach (var problem in SlaMapping.ToDomain(row).Validate())
            {
                v.Add("hours", problem);
            }
        }

        return v.IsValid ? null : Problems.Invalid(v);
    }

    private static Response ToResponse(CalendarRow row) => new(row.Id, row.Name, row.TimeZoneId,
        SlaMapping.FromJson<List<HoursDto>>(row.HoursJson), SlaMapping.FromJson<List<HolidayDto>>(row.HolidaysJson), row.UpdatedAt);
}
