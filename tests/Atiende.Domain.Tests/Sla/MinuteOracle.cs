using Atiende.Domain.Sla;

namespace Atiende.Domain.Tests.Sla;

/// <summary>
/// Open time by brute force, to check <see cref="BusinessClock"/> against: a minute is open when some interval holds
/// it, where an interval opens the first minute the wall clock reaches its start and closes the first minute the wall
/// clock has passed its end for good. Needs minute-aligned instants, hours and zone changes.
/// </summary>
internal static class MinuteOracle
{
    private const long Minute = TimeSpan.TicksPerMinute;
    private const long Day = TimeSpan.TicksPerDay;

    public static TimeSpan Between(BusinessCalendar calendar, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        // Wide enough that every interval that can touch [from, to) opens and closes inside it.
        var origin = from.UtcTicks - (5 * Day);
        var wall = new long[(int)((to.UtcTicks + (4 * Day) - origin) / Minute)];
        for (var i = 0; i < wall.Length; i++)
        {
            var instant = origin + (i * Minute);
            wall[i] = instant + zone.GetUtcOffset(new DateTime(instant, DateTimeKind.Utc)).Ticks;
        }

        var open = new bool[wall.Length];
        var lastDate = DateOnly.FromDateTime(to.UtcDateTime).AddDays(1);
        for (var date = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-3); date <= lastDate; date = date.AddDays(1))
        {
            if (calendar.Holidays.Any(h => h.Yearly ? (h.Date.Month, h.Date.Day) == (date.Month, date.Day) : h.Date == date))
            {
                continue;
            }

            foreach (var hours in calendar.Hours.Where(h => h.Day == date.DayOfWeek))
            {
                var start = date.ToDateTime(hours.Start).Ticks;
                var end = start + hours.Length.Ticks;
                var first = Array.FindIndex(wall, w => w >= start);
                var last = Array.FindLastIndex(wall, w => w <= end);
                var close = wall[last] == end ? last : last + 1;
                for (var i = first; i < close; i++)
                {
                    open[i] = true;
                }
            }
        }

        var minutes = 0;
        for (var i = (int)((from.UtcTicks - origin) / Minute); i < (int)((to.UtcTicks - origin) / Minute); i++)
        {
            minutes += open[i] ? 1 : 0;
        }

        return TimeSpan.FromMinutes(minutes);
    }
}
