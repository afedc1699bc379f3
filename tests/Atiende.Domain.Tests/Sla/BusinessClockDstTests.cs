using System.Globalization;
using Atiende.Domain.Sla;
using static Atiende.Domain.Tests.Sla.CalendarFixture;

namespace Atiende.Domain.Tests.Sla;

/// <summary>
/// Business time across daylight-saving changes: it is real elapsed time. A skipped wall time opens or closes at the
/// end of the gap; a repeated one opens at its first occurrence and closes at its second.
/// </summary>
public sealed class BusinessClockDstTests
{
    // Madrid: 30 Mar 2025 02:00 CET → 03:00 CEST at 01:00Z; 26 Oct 2025 03:00 CEST → 02:00 CET at 01:00Z.
    // New York: 9 Mar 2025 02:00 EST → 03:00 EDT at 07:00Z; 2 Nov 2025 02:00 EDT → 01:00 EST at 06:00Z.
    [Theory]
    [InlineData("Europe/Madrid", "2025-03-30", "2025-03-29T23:00Z", "2025-03-30T04:00Z", 5)]
    [InlineData("Europe/Madrid", "2025-10-26", "2025-10-25T22:00Z", "2025-10-26T05:00Z", 7)]
    [InlineData("America/New_York", "2025-03-09", "2025-03-09T05:00Z", "2025-03-09T10:00Z", 5)]
    [InlineData("America/New_York", "2025-11-02", "2025-11-02T04:00Z", "2025-11-02T11:00Z", 7)]
    public void MidnightToSix_OnAChangeNight_CountsTheRealHours(string zoneId, string date, string open, string close, int hours)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var day = DateOnly.Parse(date, CultureInfo.InvariantCulture);
        var clock = Clock(zone, [new WeeklyHours(day.DayOfWeek, T(0), T(6))]);
        var (opening, closing) = (Instant(open), Instant(close));

        Assert.Equal([(opening, closing)], clock.OpenIntervals(opening.AddDays(-1), closing.AddDays(1)));
        Assert.Equal(H(hours), clock.Between(opening.AddDays(-1), closing.AddDays(1)));
        Assert.Equal(closing, clock.Add(opening.AddHours(-3), H(hours)));
        Assert.Equal(opening + H(hours - 1), clock.Add(opening, H(hours - 1)));
    }

    [Fact]
    public void WorkingHours_FollowTheWallClock_AcrossTheSpringChange()
    {
        // Friday 16:00 CET (15:00Z), two hours on: Monday 10:00 CEST (08:00Z).
        Assert.Equal(Utc(2025, 3, 31, 8), NineToFive().Add(Utc(2025, 3, 28, 15), H(2)));
        Assert.Equal(H(2), NineToFive().Between(Utc(2025, 3, 28, 15), Utc(2025, 3, 31, 8)));
    }

    [Fact]
    public void WorkingHours_FollowTheWallClock_AcrossTheAutumnChangeInNewYork()
    {
        var clock = Clock(NewYork, Hours(Weekdays, T(9), T(17)));

        // Friday 31 Oct 16:00 EDT (20:00Z), two hours on: Monday 3 Nov 10:00 EST (15:00Z).
        Assert.Equal(Utc(2025, 11, 3, 15), clock.Add(Utc(2025, 10, 31, 20), H(2)));
    }

    [Fact]
    public void OvernightShift_OverTheChange_IsAnHourShorterInSpringAndLongerInAutumn()
    {
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Saturday, T(22), T(6))]);

        Assert.Equal(H(7), clock.Between(Utc(2025, 3, 29, 0), Utc(2025, 3, 31, 0)));
        Assert.Equal(H(9), clock.Between(Utc(2025, 10, 25, 0), Utc(2025, 10, 27, 0)));
    }

    [Fact]
    public void Gap_AnOpeningInsideIt_MovesToTheEndOfTheGap()
    {
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Sunday, T(2, 30), T(9))]);

        Assert.Equal([(Utc(2025, 3, 30, 1), Utc(2025, 3, 30, 7))], clock.OpenIntervals(Utc(2025, 3, 29, 0), Utc(2025, 3, 31, 0)));
    }

    [Fact]
    public void Gap_AClosingInsideIt_MovesToTheEndOfTheGap()
    {
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Sunday, T(0), T(2, 30))]);

        Assert.Equal([(Utc(2025, 3, 29, 23), Utc(2025, 3, 30, 1))], clock.OpenIntervals(Utc(2025, 3, 29, 0), Utc(2025, 3, 31, 0)));
    }

    [Fact]
    public void Gap_AnIntervalWhollyInside_HasNoOpenTimeThatDay()
    {
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Sunday, T(2, 10), T(2, 50))]);

        Assert.Equal(TimeSpan.Zero, clock.Between(Utc(2025, 3, 29, 0), Utc(2025, 3, 31, 0)));
        // The next Sunday 02:10 CEST is 00:10Z.
        Assert.Equal(Utc(2025, 4, 6, 0, 40), clock.Add(Utc(2025, 3, 29, 0), H(0.5)));
    }

    [Fact]
    public void Repeated_AnOpeningInsideIt_OpensAtTheFirstOccurrence()
    {
        // 02:30 CEST is 00:30Z; 04:00 CET is 03:00Z.
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Sunday, T(2, 30), T(4))]);

        Assert.Equal([(Utc(2025, 10, 26, 0, 30), Utc(2025, 10, 26, 3))], clock.OpenIntervals(Utc(2025, 10, 25, 0), Utc(2025, 10, 27, 0)));
    }

    [Fact]
    public void Repeated_AClosingInsideIt_ClosesAtTheSecondOccurrence()
    {
        // 00:00 CEST is 22:00Z; 02:30 CET is 01:30Z.
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Sunday, T(0), T(2, 30))]);

        Assert.Equal(H(3.5), clock.Between(Utc(2025, 10, 25, 0), Utc(2025, 10, 27, 0)));
        Assert.Equal(Utc(2025, 10, 26, 1, 30), clock.Add(Utc(2025, 10, 25, 0), H(3.5)));
    }

    [Fact]
    public void Repeated_IntervalsMeetingInsideIt_CountTheRepeatedHourOnce()
    {
        // 00:00–02:30 and 02:30–09:00 together are 00:00 CEST (22:00Z) to 09:00 CET (08:00Z): ten real hours.
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Sunday, T(0), T(2, 30)), new WeeklyHours(DayOfWeek.Sunday, T(2, 30), T(9))]);

        Assert.Equal([(Utc(2025, 10, 25, 22), Utc(2025, 10, 26, 8))], clock.OpenIntervals(Utc(2025, 10, 25, 0), Utc(2025, 10, 27, 0)));
        Assert.Equal(H(10), clock.Between(Utc(2025, 10, 25, 0), Utc(2025, 10, 27, 0)));
    }

    [Fact]
    public void Repeated_InNewYork_OpensAtTheFirstOccurrence()
    {
        // 01:30 EDT is 05:30Z; 03:00 EST is 08:00Z.
        var clock = Clock(NewYork, [new WeeklyHours(DayOfWeek.Sunday, T(1, 30), T(3))]);

        Assert.Equal([(Utc(2025, 11, 2, 5, 30), Utc(2025, 11, 2, 8))], clock.OpenIntervals(Utc(2025, 11, 1, 0), Utc(2025, 11, 3, 0)));
    }

    private static DateTimeOffset Instant(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
