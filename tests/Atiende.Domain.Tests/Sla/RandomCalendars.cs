using Atiende.Domain.Sla;

namespace Atiende.Domain.Tests.Sla;

/// <summary>
/// Seeded random calendars, instants and durations for the property tests. Zones are picked for awkward changes:
/// midnight transitions (Santiago, Havana), half-hour DST (Lord Howe), odd offsets (Chatham, St John's).
/// </summary>
internal sealed class RandomCalendars(int seed)
{
    private static readonly string[] ZoneIds =
    [
        "UTC", "Europe/Madrid", "America/New_York", "America/Santiago", "America/Havana",
        "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Asia/Kolkata",
    ];

    // Before the tables below, which use them.
    private static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int Days = 11 * 365;

    private static readonly Dictionary<string, TimeZoneInfo> Zones =
        ZoneIds.ToDictionary(id => id, TimeZoneInfo.FindSystemTimeZoneById, StringComparer.Ordinal);

    /// <summary>Per zone, the first UTC noon after each offset change in 2020–2030.</summary>
    private static readonly Dictionary<string, DateTimeOffset[]> Changes = ZoneIds.ToDictionary(
        id => id, id => ChangesOf(Zones[id]), StringComparer.Ordinal);

    public Random Random { get; } = new(seed);

    public static TimeZoneInfo Zone(BusinessCalendar calendar) => Zones[calendar.TimeZoneId];

    /// <summary>3 to 9 intervals on random days, on quarter hours, some overnight, some all day, some overlapping; a few holidays.</summary>
    public BusinessCalendar Calendar()
    {
        var hours = new List<WeeklyHours>();
        for (var i = Random.Next(3, 10); i > 0; i--)
        {
            var start = Quarter();
            var end = Random.Next(12) == 0 ? start : Quarter();
            hours.Add(new WeeklyHours((DayOfWeek)Random.Next(7), start, end));
        }

        return WithHolidays(hours);
    }

    /// <summary>
    /// A valid calendar of one to four short intervals on Saturday and Sunday nights, when zones change their offset,
    /// so that openings and closings fall in skipped and repeated wall times.
    /// </summary>
    public BusinessCalendar NightCalendar()
    {
        while (true)
        {
            var hours = new List<WeeklyHours>();
            for (var i = Random.Next(1, 5); i > 0; i--)
            {
                var start = new TimeOnly(Random.Next(23, 28) % 24, 15 * Random.Next(4));
                var day = Random.Next(2) == 0 ? DayOfWeek.Saturday : DayOfWeek.Sunday;
                hours.Add(new WeeklyHours(day, start, start.AddMinutes(15 * Random.Next(1, 20))));
            }

            var calendar = WithHolidays(hours);
            if (calendar.Validate().Count == 0 && Changes[calendar.TimeZoneId].Length > 0)
            {
                return calendar;
            }
        }
    }

    private BusinessCalendar WithHolidays(List<WeeklyHours> hours)
    {
        var holidays = new List<Holiday>();
        for (var i = Random.Next(6); i > 0; i--)
        {
            holidays.Add(new Holiday(DateOnly.FromDateTime(Earliest.AddDays(Random.Next(Days)).DateTime), Yearly: false));
        }

        for (var i = Random.Next(3); i > 0; i--)
        {
            holidays.Add(new Holiday(DateOnly.FromDateTime(Earliest.AddDays(Random.Next(366)).DateTime), Yearly: true));
        }

        return new BusinessCalendar(ZoneIds[Random.Next(ZoneIds.Length)], hours, holidays);
    }

    /// <summary>Half anywhere in 2020–2030, half in the three days before a change of the zone's offset or the day after.</summary>
    public DateTimeOffset Instant(BusinessCalendar calendar)
    {
        var changes = Changes[calendar.TimeZoneId];
        var instant = changes.Length > 0 && Random.Next(2) == 0
            ? changes[Random.Next(changes.Length)].AddSeconds(Random.Next(-3 * 86_400, 86_400))
            : Earliest.AddDays(Random.Next(Days)).AddSeconds(Random.Next(86_400));

        // A third on quarter hours, like the opening hours.
        return Random.Next(3) == 0 ? instant.AddTicks(-(instant.UtcTicks % (15 * TimeSpan.TicksPerMinute))) : instant;
    }

    /// <summary>A span of one to three days around a change of the zone's offset, on whole minutes.</summary>
    public (DateTimeOffset From, DateTimeOffset To) AroundChange(BusinessCalendar calendar)
    {
        var changes = Changes[calendar.TimeZoneId];
        var noonAfter = changes.Length > 0 ? changes[Random.Next(changes.Length)] : Earliest.AddDays(Random.Next(Days));
        return (noonAfter.AddMinutes(-Random.Next(24 * 60, 60 * 60)), noonAfter.AddMinutes(Random.Next(0, 12 * 60)));
    }

    /// <summary>Up to about three weeks of the calendar's open time; sometimes zero, sometimes a few ticks.</summary>
    public TimeSpan Duration(BusinessCalendar calendar) => Random.Next(20) switch
    {
        0 => TimeSpan.Zero,
        1 => TimeSpan.FromTicks(Random.Next(1, 1000)),
        _ => TimeSpan.FromSeconds(Math.Round(3 * calendar.Hours.Sum(h => h.Length.TotalSeconds) * Random.NextDouble())),
    };

    public static string Describe(BusinessCalendar calendar) =>
        $"{calendar.TimeZoneId} [{string.Join(", ", calendar.Hours)}] holidays [{string.Join(", ", calendar.Holidays.Select(h => h.Yearly ? $"{h.Date:MM-dd} yearly" : $"{h.Date:yyyy-MM-dd}"))}]";

    private TimeOnly Quarter() => new(Random.Next(24), 15 * Random.Next(4));

    private static DateTimeOffset[] ChangesOf(TimeZoneInfo zone)
    {
        var changes = new List<DateTimeOffset>();
        var noon = Earliest.AddHours(12);
        for (var day = 1; day < Days; day++)
        {
            var instant = noon.AddDays(day);
            if (zone.GetUtcOffset(instant) != zone.GetUtcOffset(instant.AddDays(-1)))
            {
                changes.Add(instant);
            }
        }

        return [.. changes];
    }
}
