namespace Atiende.Domain.Sla;

/// <summary>
/// Business-time arithmetic on a <see cref="BusinessCalendar"/>: business time is real elapsed time while open.
/// Build once per calendar (the caller resolves the IANA zone) and reuse it: it caches each local date's opening
/// intervals in UTC. Thread-safe. Results are in UTC (offset zero).
/// </summary>
public sealed class BusinessClock
{
    /// <summary>Add gives up after this many days, so a calendar without open time cannot loop for ever.</summary>
    private const int MaxDays = 3653;

    /// <summary>Direct-mapped by day number: bounded, lock-free, and about three years of dates never collide.</summary>
    private const int CacheSize = 1024;

    // Dates this close to DateOnly's limits are never computed, so local-to-UTC conversions stay in range.
    private const int FirstDay = 2;
    private static readonly int LastDay = DateOnly.MaxValue.DayNumber - 2;

    private readonly TimeZoneInfo _zone;
    private readonly WeeklyHours[][] _hoursByDay;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<(int Month, int Day)> _yearlyHolidays;
    private readonly bool _alwaysOpen;
    private readonly bool _neverOpen;
    private readonly Day?[] _cache = new Day?[CacheSize];

    public BusinessClock(BusinessCalendar calendar, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(zone);
        Calendar = calendar;
        _zone = zone;
        _hoursByDay = [.. Enum.GetValues<DayOfWeek>().Select(d => calendar.Hours.Where(h => h.Day == d).OrderBy(h => h.Start).ToArray())];
        _holidays = [.. calendar.Holidays.Where(h => !h.Yearly).Select(h => h.Date)];
        _yearlyHolidays = [.. calendar.Holidays.Where(h => h.Yearly).Select(h => (h.Date.Month, h.Date.Day))];
        _neverOpen = _hoursByDay.All(h => h.Length == 0);
        _alwaysOpen = calendar.Holidays.Count == 0 && calendar.CoversWholeWeek();
    }

    public BusinessCalendar Calendar { get; }

    /// <summary>
    /// The instant when <paramref name="businessTime"/> of open time has passed since <paramref name="start"/>; counting
    /// begins at the next opening when closed. A result that lands on a closing time is that closing time.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan businessTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessTime, TimeSpan.Zero);
        if (_alwaysOpen || businessTime == TimeSpan.Zero)
        {
            return Utc(start.UtcTicks + businessTime.Ticks);
        }

        if (_neverOpen)
        {
            throw new InvalidOperationException("The business calendar has no opening hours, so no business time can ever pass.");
        }

        var left = businessTime.Ticks;
        var walk = new Walk(this, start.UtcTicks, DayOf(start.UtcTicks) + MaxDays);
        while (walk.Next(out var open, out var close))
        {
            if (close - open >= left)
            {
                return Utc(open + left);
            }

            left -= close - open;
        }

        throw new InvalidOperationException(
            $"The business calendar does not have {businessTime} of open time within ten years after {start:O}.");
    }

    /// <summary>Open time in [<paramref name="from"/>, <paramref name="to"/>); zero when <c>to &lt;= from</c>.</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (_alwaysOpen)
        {
            return to - from;
        }

        var end = to.UtcTicks;
        long total = 0;
        var walk = new Walk(this, from.UtcTicks, DayOf(end) + 1);
        while (walk.Next(out var open, out var close) && open < end)
        {
            total += Math.Min(close, end) - open;
        }

        return TimeSpan.FromTicks(total);
    }

    public bool IsOpen(DateTimeOffset at)
    {
        if (_alwaysOpen)
        {
            return true;
        }

        var walk = new Walk(this, at.UtcTicks, DayOf(at.UtcTicks) + 1);
        return walk.Next(out var open, out _) && open == at.UtcTicks;
    }

    /// <summary>The open time counted in [<paramref name="from"/>, <paramref name="to"/>), in UTC; touching intervals are joined.</summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> OpenIntervals(DateTimeOffset from, DateTimeOffset to)
    {
        var intervals = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        if (to <= from)
        {
            return intervals;
        }

        if (_alwaysOpen)
        {
            intervals.Add((Utc(from.UtcTicks), Utc(to.UtcTicks)));
            return intervals;
        }

        var end = to.UtcTicks;
        long runStart = 0, runEnd = long.MinValue;
        var walk = new Walk(this, from.UtcTicks, DayOf(end) + 1);
        while (walk.Next(out var open, out var close) && open < end)
        {
            if (open != runEnd)
            {
                if (runEnd != long.MinValue)
                {
                    intervals.Add((Utc(runStart), Utc(runEnd)));
                }

                runStart = open;
            }

            runEnd = Math.Min(close, end);
        }

        if (runEnd != long.MinValue)
        {
            intervals.Add((Utc(runStart), Utc(runEnd)));
        }

        return intervals;
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    private static int DayOf(long utcTicks) => (int)(utcTicks / TimeSpan.TicksPerDay);

    /// <summary>The opening intervals that start on a local date, as sorted, merged UTC tick pairs [open, close, open, close, ...].</summary>
    private long[] DayIntervals(int dayNumber)
    {
        ref var slot = ref _cache[dayNumber & (CacheSize - 1)];
        var cached = Volatile.Read(ref slot);
        if (cached is not null && cached.Number == dayNumber)
        {
            return cached.Bounds;
        }

        var computed = new Day(dayNumber, Compute(DateOnly.FromDayNumber(dayNumber)));
        Volatile.Write(ref slot, computed);
        return computed.Bounds;
    }

    private long[] Compute(DateOnly date)
    {
        if (_holidays.Contains(date) || _yearlyHolidays.Contains((date.Month, date.Day)))
        {
            return [];
        }

        var bounds = new List<long>();
        foreach (var hours in _hoursByDay[(int)date.DayOfWeek])
        {
            var local = date.ToDateTime(hours.Start);
            var open = ToUtc(local, earliest: true);
            var close = ToUtc(local + hours.Length, earliest: false);
            if (close <= open)
            {
                continue; // wholly inside a spring-forward gap
            }

            // Local starts map to UTC in order, so sorted by Start stays sorted; overlaps (invalid calendars) count once.
            if (bounds.Count > 0 && open <= bounds[^1])
            {
                bounds[^1] = Math.Max(bounds[^1], close);
            }
            else
            {
                bounds.Add(open);
                bounds.Add(close);
            }
        }

        return [.. bounds];
    }

    // DST rule: an opening is the first instant the wall clock shows it, a closing the last (a repeated hour is neither lost nor counted twice); a skipped time is the end of the gap.
    private long ToUtc(DateTime local, bool earliest)
    {
        if (_zone.IsInvalidTime(local))
        {
            return GapEnd(local);
        }

        if (_zone.IsAmbiguousTime(local))
        {
            var offsets = _zone.GetAmbiguousTimeOffsets(local);
            return local.Ticks - (earliest ? offsets.Max() : offsets.Min()).Ticks;
        }

        return local.Ticks - _zone.GetUtcOffset(local).Ticks;
    }

    /// <summary>The UTC instant a spring-forward gap containing <paramref name="local"/> ends: the first instant whose wall time passes it.</summary>
    private long GapEnd(DateTime local)
    {
        // Offsets on either side (zones never change twice within a day); the transition lies in (local - after, local - before].
        var before = _zone.GetUtcOffset(local.AddDays(-1)).Ticks;
        var after = _zone.GetUtcOffset(local.AddDays(1)).Ticks;
        long low = local.Ticks - Math.Max(before, after), high = local.Ticks - Math.Min(before, after);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var wall = middle + _zone.GetUtcOffset(new DateTime(middle, DateTimeKind.Utc)).Ticks;
            if (wall >= local.Ticks)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return high;
    }

    private sealed record Day(int Number, long[] Bounds);

    /// <summary>
    /// The open intervals that end after a start instant, in order, disjoint, clipped to begin no earlier than it.
    /// Begins three days early: a local date's intervals may reach two local days on (overnight, then a fall-back at
    /// midnight), and local dates are within a day of UTC ones.
    /// </summary>
    private struct Walk
    {
        private readonly BusinessClock _clock;
        private readonly int _lastDay;
        private int _day;
        private long[] _bounds = [];
        private int _index;

        // The end of the open time yielded so far: later intervals are clipped to it, so overlaps count once.
        private long _reach;

        public Walk(BusinessClock clock, long from, int lastDay)
        {
            _clock = clock;
            _lastDay = Math.Min(lastDay, LastDay);
            _day = Math.Max(DayOf(from) - 3, FirstDay);
            _reach = from;
        }

        public bool Next(out long open, out long close)
        {
            while (true)
            {
                while (_index < _bounds.Length)
                {
                    close = _bounds[_index + 1];
                    open = Math.Max(_bounds[_index], _reach);
                    _index += 2;
                    if (close > _reach)
                    {
                        _reach = close;
                        return true;
                    }
                }

                if (_day > _lastDay)
                {
                    open = close = 0;
                    return false;
                }

                _bounds = _clock.DayIntervals(_day++);
                _index = 0;
            }
        }
    }
}
