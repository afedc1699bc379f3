using System.Globalization;
using System.Text.Json;
using Atiende.Domain.Sla;
using Atiende.Domain.Tickets;
using Atiende.Server.Shared;

namespace Atiende.Server.Sla;

/// <summary>A business calendar as stored: weekly hours and holidays are JSON in the API's own shape.</summary>
public sealed class CalendarRow
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string TimeZoneId { get; set; }
    public string HoursJson { get; set; } = "[]";
    public string HolidaysJson { get; set; } = "[]";
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

public sealed class SlaPolicyRow
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public string ConditionsJson { get; set; } = "{}";
    public long? CalendarId { get; set; }
    public int? FirstResponseMinutes { get; set; }
    public int? NextResponseMinutes { get; set; }
    public int? ResolutionMinutes { get; set; }
    public int WarningPercent { get; set; } = 75;
    public bool NotifyLeadOnBreach { get; set; } = true;
    public int? ReassignAfterMinutes { get; set; }
    public long? ReassignToGroupId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

public sealed record HoursDto(DayOfWeek Day, string Start, string End);

public sealed record HolidayDto(string Date, bool Yearly, string? Name);

public sealed record ConditionsDto(
    List<TicketPriority>? Priorities, List<TicketType>? Types, List<long>? GroupIds, List<long>? OrganizationIds, List<Channel>? Channels, List<string>? Tags);

/// <summary>Conversions between stored rows, API shapes and domain records, in one place.</summary>
public static class SlaMapping
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static BusinessCalendar ToDomain(CalendarRow row) => new(
        row.TimeZoneId,
        FromJson<List<HoursDto>>(row.HoursJson).Select(h => new WeeklyHours(h.Day, ParseTime(h.Start)!.Value, ParseTime(h.End)!.Value)).ToList(),
        FromJson<List<HolidayDto>>(row.HolidaysJson).Select(h => new Holiday(DateOnly.ParseExact(h.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), h.Yearly, h.Name ?? "")).ToList());

    public static SlaPolicy ToDomain(SlaPolicyRow row)
    {
        var c = FromJson<ConditionsDto>(row.ConditionsJson);
        return new SlaPolicy(row.Id, row.Name, row.Position,
            new SlaConditions(c.Priorities ?? [], c.Types ?? [], c.GroupIds ?? [], c.OrganizationIds ?? [], c.Channels ?? [], c.Tags ?? []),
            row.CalendarId, row.FirstResponseMinutes, row.NextResponseMinutes, row.ResolutionMinutes, row.WarningPercent,
            row.NotifyLeadOnBreach, row.ReassignAfterMinutes, row.ReassignToGroupId);
    }

    public static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    /// <summary>Resolves an IANA zone; null when this machine does not know it.</summary>
    public static TimeZoneInfo? FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        Json.Configure(options);
        return options;
    }
}
