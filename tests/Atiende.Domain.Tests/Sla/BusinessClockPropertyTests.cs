using Atiende.Domain.Sla;
using static Atiende.Domain.Tests.Sla.RandomCalendars;

namespace Atiende.Domain.Tests.Sla;

/// <summary>
/// Laws of business time over seeded random calendars, instants and durations, many near DST changes.
/// A failure lists the cases, so any of them can become an example test.
/// </summary>
public sealed class BusinessClockPropertyTests
{
    private const int Calendars = 60;
    private const int CasesPerCalendar = 40;

    [Fact]
    public void AddThenBetween_GivesBackTheBusinessTime()
    {
        Check(1, (clock, calendar, random) =>
        {
            var start = random.Instant(calendar);
            var time = random.Duration(calendar);
            var end = clock.Add(start, time);
            var measured = clock.Between(start, end);
            return measured == time ? null : $"Add({start:O}, {time}) = {end:O} but Between = {measured}";
        });
    }

    [Fact]
    public void Add_IsMonotonicInTheBusinessTime()
    {
        Check(2, (clock, calendar, random) =>
        {
            var start = random.Instant(calendar);
            var (shorter, longer) = Sorted(random.Duration(calendar), random.Duration(calendar));
            var (early, late) = (clock.Add(start, shorter), clock.Add(start, longer));
            return early <= late ? null : $"from {start:O}: Add {shorter} = {early:O} is after Add {longer} = {late:O}";
        });
    }

    [Fact]
    public void Between_IsAdditive()
    {
        Check(3, (clock, calendar, random) =>
        {
            var instants = new[] { random.Instant(calendar), random.Instant(calendar), random.Instant(calendar) };
            Array.Sort(instants);
            var (a, b, c) = (instants[0], instants[1], instants[2]);
            if ((c - a).TotalDays > 60)
            {
                (b, c) = (a.AddHours(random.Random.Next(1, 300)), a.AddHours(random.Random.Next(300, 800)));
            }

            var (ab, bc, ac) = (clock.Between(a, b), clock.Between(b, c), clock.Between(a, c));
            return ab + bc == ac ? null : $"Between {a:O} {b:O} {c:O}: {ab} + {bc} != {ac}";
        });
    }

    [Fact]
    public void Add_EndsOnOpenTime_OrAtAClosing()
    {
        Check(4, (clock, calendar, random) =>
        {
            var start = random.Instant(calendar);
            var time = random.Duration(calendar);
            if (time == TimeSpan.Zero)
            {
                return null;
            }

            var end = clock.Add(start, time);
            return clock.IsOpen(end.AddTicks(-1)) && end > start ? null : $"Add({start:O}, {time}) = {end:O}, which was not open just before";
        });
    }

    [Fact]
    public void OpenIntervals_AreOpen_Disjoint_AndSumToBetween()
    {
        Check(5, (clock, calendar, random) =>
        {
            var from = random.Instant(calendar);
            var to = from.AddHours(random.Random.Next(0, 400));
            var intervals = clock.OpenIntervals(from, to);
            var previousEnd = DateTimeOffset.MinValue;
            foreach (var (start, end) in intervals)
            {
                var ok = start >= from && end <= to && start < end && start > previousEnd
                    && clock.IsOpen(start) && clock.IsOpen(end.AddTicks(-1)) && (end == to || !clock.IsOpen(end))
                    && start.Offset == TimeSpan.Zero && end.Offset == TimeSpan.Zero;
                if (!ok)
                {
                    return $"OpenIntervals({from:O}, {to:O}) has a bad interval {start:O}–{end:O}";
                }

                previousEnd = end;
            }

            var sum = TimeSpan.FromTicks(intervals.Sum(i => (i.End - i.Start).Ticks));
            return sum == clock.Between(from, to) ? null : $"OpenIntervals({from:O}, {to:O}) sum to {sum}, Between says {clock.Between(from, to)}";
        });
    }

    [Fact]
    public void AllDayEveryDay_AddIsPlainAddition_InAnyZone()
    {
        var random = new RandomCalendars(6);
        var failures = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var zoned = random.Calendar();
            // An old holiday keeps the clock off its 24/7 shortcut, so the general path is checked too.
            Holiday[] holidays = i % 2 == 0 ? [] : [new Holiday(new DateOnly(1990, 1, 1), Yearly: false)];
            var calendar = i % 3 == 0 ? BusinessCalendar.AlwaysOpen : zoned with { Hours = BusinessCalendar.AlwaysOpen.Hours, Holidays = holidays };
            var clock = new BusinessClock(calendar, Zone(calendar));
            var start = random.Instant(zoned);
            var time = TimeSpan.FromMinutes(random.Random.Next(0, 30 * 24 * 60));
            if (clock.Add(start, time) != start + time || clock.Between(start, start + time) != time || !clock.IsOpen(start))
            {
                failures.Add($"{Describe(calendar)}: from {start:O} + {time} = {clock.Add(start, time):O}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)));
    }

    [Fact]
    public void Between_MatchesAMinuteByMinuteCount()
    {
        var random = new RandomCalendars(7);
        var failures = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var calendar = i % 3 == 0 ? random.Calendar() : random.NightCalendar();
            var zone = Zone(calendar);
            var clock = new BusinessClock(calendar, zone);
            var (from, to) = i % 3 == 0 ? Minutes(random.Instant(calendar), random.Random.Next(3 * 24 * 60)) : random.AroundChange(calendar);
            var (expected, actual) = (MinuteOracle.Between(calendar, zone, from, to), clock.Between(from, to));
            if (expected != actual)
            {
                failures.Add($"{Describe(calendar)}: Between({from:O}, {to:O}) = {actual}, counting minutes gives {expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)));
    }

    [Fact]
    public async Task SharedClock_UsedFromManyThreads_AgreesWithAFreshOne()
    {
        var random = new RandomCalendars(8);
        var calendar = new BusinessCalendar(
            "Europe/Madrid",
            [.. CalendarFixture.Hours(CalendarFixture.Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0))],
            [new Holiday(new DateOnly(2000, 12, 25), Yearly: true)]);
        var zone = Zone(calendar);
        // Forty years of dates, so the bounded cache keeps evicting while threads race on it.
        var cases = Enumerable.Range(0, 1500)
            .Select(_ => (Start: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Random.Next(40 * 525_600)), Time: TimeSpan.FromMinutes(random.Random.Next(3000))))
            .ToArray();
        var reference = new BusinessClock(calendar, zone);
        var expected = cases.Select(c => reference.Add(c.Start, c.Time)).ToArray();
        var shared = new BusinessClock(calendar, zone);

        var actual = new DateTimeOffset[cases.Length];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = worker; i < cases.Length * 4; i += 4)
            {
                var (start, time) = cases[i % cases.Length];
                var result = shared.Add(start, time);
                if (i < cases.Length)
                {
                    actual[i] = result;
                }
                else
                {
                    Assert.Equal(expected[i % cases.Length], result);
                }
            }
        })));

        Assert.Equal(expected, actual);
    }

    /// <summary>Runs <paramref name="law"/> over many calendars and cases; it returns null or what went wrong.</summary>
    private static void Check(int seed, Func<BusinessClock, BusinessCalendar, RandomCalendars, string?> law)
    {
        var random = new RandomCalendars(seed);
        var failures = new List<string>();
        for (var i = 0; i < Calendars; i++)
        {
            var calendar = i % 2 == 0 ? random.Calendar() : random.NightCalendar();
            var clock = new BusinessClock(calendar, Zone(calendar));
            for (var j = 0; j < CasesPerCalendar; j++)
            {
                if (law(clock, calendar, random) is { } failure)
                {
                    failures.Add($"{Describe(calendar)}: {failure}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures, the first ones:\n{string.Join('\n', failures.Take(5))}");
    }

    private static (DateTimeOffset From, DateTimeOffset To) Minutes(DateTimeOffset start, int minutes)
    {
        var from = start.AddTicks(-(start.UtcTicks % TimeSpan.TicksPerMinute));
        return (from, from.AddMinutes(minutes));
    }

    private static (TimeSpan, TimeSpan) Sorted(TimeSpan a, TimeSpan b) => a <= b ? (a, b) : (b, a);
}
