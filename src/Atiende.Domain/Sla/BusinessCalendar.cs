using System.Globalization;

namespace Atiende.Domain.Sla;

/// <summary>
/// One opening interval of a weekday, in the calendar's local time. <c>End &lt;= Start</c> means it ends on the next day
/// (an overnight shift, e.g. Fri 22:00–06:00); <c>Start == End == 00:00</c> means the whole day.
/// </summary>
public sealed record WeeklyHours(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    /// <summary>Wall-clock length: 24 hours when <c>Start == End</c>.</summary>
    public TimeSpan Length => End > Start ? End - Start : TimeSpan.FromDays(1) - (Start - End);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Day} {Start:HH:mm}–{End:HH:mm}");
}

/// <summary>A closed day in local time; <see cref="Yearly"/> means every year on that month and day (e.g. Dec 25).</summary>
public sealed record Holiday(DateOnly Date, bool Yearly, string Name = "");

/// <summary>When a team works: an IANA time zone, weekly hours and holidays. Data; <see cref="BusinessClock"/> does the arithmetic.</summary>
public sealed record BusinessCalendar(string TimeZoneId, IReadOnlyList<WeeklyHours> Hours, IReadOnlyList<Holiday> Holidays)
{
    private static readonly long WeekTicks = TimeSpan.FromDays(7).Ticks;

    /// <summary>The default calendar: every instant counts.</summary>
    public static BusinessCalendar AlwaysOpen { get; } = new(
        "UTC", [.. Enum.GetValues<DayOfWeek>().Select(d => new WeeklyHours(d, TimeOnly.MinValue, TimeOnly.MinValue))], []);

    /// <summary>Human-readable problems; empty when the calendar is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(TimeZoneId))
        {
            problems.Add("The calendar needs a time zone (an IANA name such as Europe/Madrid).");
        }

        foreach (var hours in Hours.Where(h => !Enum.IsDefined(h.Day)))
        {
            problems.Add($"{(int)hours.Day} is not a day of the week.");
        }

        if (!Hours.Any(h => Enum.IsDefined(h.Day)))
        {
            problems.Add("The calendar has no opening hours, so no business time can ever pass.");
        }

        var spans = WeekSpans();
        for (var i = 0; i < spans.Count; i++)
        {
            for (var j = i + 1; j < spans.Count && spans[j].Start < spans[i].End; j++)
            {
                var problem = $"{spans[i].Hours} overlaps {spans[j].Hours}.";
                if (!problems.Contains(problem))
                {
                    problems.Add(problem);
                }
            }
        }

        var yearlyDays = Holidays.Where(h => h.Yearly).Select(h => (h.Date.Month, h.Date.Day)).Distinct().Count();
        if (yearlyDays >= 366)
        {
            problems.Add("The yearly holidays close every day of the year.");
        }

        return problems;
    }

    /// <summary>True when the weekly hours leave no gap in the week, so with no holidays every instant is open.</summary>
    internal bool CoversWholeWeek()
    {
        long reach = 0;
        foreach (var span in WeekSpans())
        {
            if (span.Start > reach)
            {
                return false;
            }

            reach = Math.Max(reach, span.End);
        }

        return reach >= WeekTicks;
    }

    /// <summary>
    /// The hours on a wall-clock line from Sunday 00:00, sorted by start; an interval running past the week's end
    /// also appears a week earlier, so Saturday night meets Sunday morning.
    /// </summary>
    private List<(long Start, long End, WeeklyHours Hours)> WeekSpans()
    {
        var spans = new List<(long Start, long End, WeeklyHours Hours)>();
        foreach (var hours in Hours.Where(h => Enum.IsDefined(h.Day)))
        {
            var start = TimeSpan.FromDays((int)hours.Day).Ticks + hours.Start.Ticks;
            var end = start + hours.Length.Ticks;
            spans.Add((start, end, hours));
            if (end > WeekTicks)
            {
                spans.Add((start - WeekTicks, end - WeekTicks, hours));
            }
        }

        return [.. spans.OrderBy(s => s.Start).ThenBy(s => s.End)];
    }
}
