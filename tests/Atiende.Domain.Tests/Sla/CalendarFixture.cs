using Atiende.Domain.Sla;

namespace Atiende.Domain.Tests.Sla;

/// <summary>Calendars, zones and local times shared by the business-calendar tests.</summary>
internal static class CalendarFixture
{
    public static readonly TimeZoneInfo Madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    public static TimeOnly T(int hour, int minute = 0) => new(hour, minute);

    /// <summary>The same interval on each of <paramref name="days"/>.</summary>
    public static IEnumerable<WeeklyHours> Hours(IEnumerable<DayOfWeek> days, TimeOnly start, TimeOnly end) =>
        days.Select(d => new WeeklyHours(d, start, end));

    public static BusinessClock Clock(TimeZoneInfo zone, IEnumerable<WeeklyHours> hours, params Holiday[] holidays) =>
        new(new BusinessCalendar(zone.Id, [.. hours], holidays), zone);

    /// <summary>Mon–Fri 09:00–17:00 in Madrid.</summary>
    public static BusinessClock NineToFive(params Holiday[] holidays) =>
        Clock(Madrid, Hours(Weekdays, T(9), T(17)), holidays);

    /// <summary>An instant given by an unambiguous wall-clock time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Local(TimeZoneInfo zone, int year, int month, int day, int hour, int minute = 0)
    {
        var wall = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall) || zone.IsAmbiguousTime(wall))
        {
            throw new ArgumentException($"{wall:s} is not a single instant in {zone.Id}; write it in UTC.");
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    public static DateTimeOffset InMadrid(int year, int month, int day, int hour, int minute = 0) =>
        Local(Madrid, year, month, day, hour, minute);

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    public static TimeSpan H(double hours) => TimeSpan.FromHours(hours);
}
