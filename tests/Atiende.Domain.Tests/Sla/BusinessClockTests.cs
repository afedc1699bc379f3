using Atiende.Domain.Sla;
using static Atiende.Domain.Tests.Sla.CalendarFixture;

namespace Atiende.Domain.Tests.Sla;

/// <summary>Business-time arithmetic on ordinary days: hours, split days, overnight shifts, holidays, 24/7.</summary>
public sealed class BusinessClockTests
{
    // 2 June 2025 is a Monday; Madrid is on summer time (UTC+2).

    [Fact]
    public void Add_StartInsideHours_CountsFromTheStart()
    {
        Assert.Equal(InMadrid(2025, 6, 3, 10), NineToFive().Add(InMadrid(2025, 6, 2, 10), H(8)));
    }

    [Fact]
    public void Add_StartBeforeOpening_CountsFromTheOpening()
    {
        Assert.Equal(InMadrid(2025, 6, 2, 11), NineToFive().Add(InMadrid(2025, 6, 2, 7), H(2)));
    }

    [Fact]
    public void Add_StartAfterClosingOnFriday_ContinuesOnMonday()
    {
        Assert.Equal(InMadrid(2025, 6, 9, 10), NineToFive().Add(InMadrid(2025, 6, 6, 18), H(1)));
    }

    [Fact]
    public void Add_StartOnTheWeekend_CountsFromMondaysOpening()
    {
        Assert.Equal(InMadrid(2025, 6, 9, 12), NineToFive().Add(InMadrid(2025, 6, 7, 12), H(3)));
    }

    [Fact]
    public void Add_UsingUpTheDayExactly_EndsAtTheClosingNotTheNextOpening()
    {
        Assert.Equal(InMadrid(2025, 6, 2, 17), NineToFive().Add(InMadrid(2025, 6, 2, 9), H(8)));
    }

    [Fact]
    public void Add_Zero_IsTheStart_EvenWhenClosed()
    {
        var saturday = InMadrid(2025, 6, 7, 12);

        Assert.Equal(saturday, NineToFive().Add(saturday, TimeSpan.Zero));
    }

    [Fact]
    public void Add_ReturnsUtc()
    {
        var result = NineToFive().Add(InMadrid(2025, 6, 2, 10), H(1));

        Assert.Equal(TimeSpan.Zero, result.Offset);
        Assert.Equal(Utc(2025, 6, 2, 9), result);
        Assert.Equal(TimeSpan.Zero, new BusinessClock(BusinessCalendar.AlwaysOpen, TimeZoneInfo.Utc).Add(InMadrid(2025, 6, 2, 10), H(1)).Offset);
    }

    [Fact]
    public void Add_NegativeTime_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NineToFive().Add(InMadrid(2025, 6, 2, 10), H(-1)));
    }

    [Fact]
    public void Between_CountsOnlyOpenTime()
    {
        var clock = NineToFive();

        Assert.Equal(H(11), clock.Between(InMadrid(2025, 6, 2, 8), InMadrid(2025, 6, 3, 12)));
        Assert.Equal(H(8), clock.Between(InMadrid(2025, 6, 6, 12), InMadrid(2025, 6, 9, 12)));
    }

    [Fact]
    public void Between_EmptyOrBackwards_IsZero()
    {
        var clock = NineToFive();
        var monday = InMadrid(2025, 6, 2, 10);

        Assert.Equal(TimeSpan.Zero, clock.Between(monday, monday));
        Assert.Equal(TimeSpan.Zero, clock.Between(monday, monday.AddHours(-3)));
        Assert.Empty(clock.OpenIntervals(monday, monday.AddHours(-3)));
    }

    [Theory]
    [InlineData(8, 59, false)]
    [InlineData(9, 0, true)]
    [InlineData(16, 59, true)]
    [InlineData(17, 0, false)]
    public void IsOpen_OpeningIncluded_ClosingExcluded(int hour, int minute, bool open)
    {
        Assert.Equal(open, NineToFive().IsOpen(InMadrid(2025, 6, 2, hour, minute)));
    }

    [Fact]
    public void IsOpen_OnTheWeekend_IsFalse()
    {
        Assert.False(NineToFive().IsOpen(InMadrid(2025, 6, 7, 12)));
    }

    [Fact]
    public void SplitDay_SkipsTheLunchBreak()
    {
        var clock = Clock(Madrid, [.. Hours(Weekdays, T(9), T(13)), .. Hours(Weekdays, T(15), T(19))]);

        Assert.Equal(InMadrid(2025, 6, 2, 16), clock.Add(InMadrid(2025, 6, 2, 12), H(2)));
        Assert.Equal(InMadrid(2025, 6, 2, 16), clock.Add(InMadrid(2025, 6, 2, 13, 30), H(1)));
        Assert.Equal(H(8), clock.Between(InMadrid(2025, 6, 2, 8), InMadrid(2025, 6, 2, 20)));
        Assert.False(clock.IsOpen(InMadrid(2025, 6, 2, 14)));
    }

    [Fact]
    public void OpenIntervals_ExplainTheCount_InUtc()
    {
        var clock = Clock(Madrid, [.. Hours(Weekdays, T(9), T(13)), .. Hours(Weekdays, T(15), T(19))]);
        var from = InMadrid(2025, 6, 2, 12);
        var to = InMadrid(2025, 6, 3, 10);

        var intervals = clock.OpenIntervals(from, to);

        Assert.Equal(
            [
                (Utc(2025, 6, 2, 10), Utc(2025, 6, 2, 11)),
                (Utc(2025, 6, 2, 13), Utc(2025, 6, 2, 17)),
                (Utc(2025, 6, 3, 7), Utc(2025, 6, 3, 8)),
            ],
            intervals);
        Assert.All(intervals, i => Assert.Equal(TimeSpan.Zero, i.Start.Offset));
        Assert.Equal(clock.Between(from, to), TimeSpan.FromTicks(intervals.Sum(i => (i.End - i.Start).Ticks)));
    }

    [Fact]
    public void OvernightShift_RunsPastMidnight_AndResumesNextWeek()
    {
        var clock = Clock(Madrid, Hours(Weekdays, T(22), T(6)));

        Assert.Equal(InMadrid(2025, 6, 7, 4), clock.Add(InMadrid(2025, 6, 6, 23), H(5)));
        Assert.Equal(InMadrid(2025, 6, 9, 23), clock.Add(InMadrid(2025, 6, 7, 5), H(2)));
        Assert.True(clock.IsOpen(InMadrid(2025, 6, 7, 5, 59)));
        Assert.False(clock.IsOpen(InMadrid(2025, 6, 7, 22)));
    }

    [Fact]
    public void Holiday_ClosesTheShiftStartingThatDay_NotTheOneRunningIntoIt()
    {
        // Friday 2 May 2025: Thursday night's shift still runs into it; Friday night's does not start.
        var clock = Clock(Madrid, Hours(Weekdays, T(22), T(6)), new Holiday(new DateOnly(2025, 5, 2), Yearly: false));

        Assert.True(clock.IsOpen(InMadrid(2025, 5, 2, 3)));
        Assert.False(clock.IsOpen(InMadrid(2025, 5, 2, 23)));
        Assert.Equal(H(8), clock.Between(InMadrid(2025, 5, 1, 20), InMadrid(2025, 5, 5, 20)));
    }

    [Fact]
    public void SingleHoliday_IsSkipped_AndOnlyThatYear()
    {
        // Thursday 1 May 2025.
        var clock = NineToFive(new Holiday(new DateOnly(2025, 5, 1), Yearly: false, "Labour Day"));

        Assert.Equal(InMadrid(2025, 5, 2, 10), clock.Add(InMadrid(2025, 4, 30, 16), H(2)));
        Assert.False(clock.IsOpen(InMadrid(2025, 5, 1, 10)));
        Assert.True(clock.IsOpen(InMadrid(2026, 5, 1, 10)));
    }

    [Fact]
    public void YearlyHoliday_ClosesThatDateEveryYear()
    {
        var clock = NineToFive(new Holiday(new DateOnly(2020, 12, 25), Yearly: true, "Christmas"));

        Assert.False(clock.IsOpen(InMadrid(2025, 12, 25, 10)));
        Assert.False(clock.IsOpen(InMadrid(2026, 12, 25, 10)));
        Assert.Equal(InMadrid(2025, 12, 26, 10), clock.Add(InMadrid(2025, 12, 24, 16), H(2)));
    }

    [Fact]
    public void YearEnd_WithNewYearsDayClosed_ContinuesOnJanuarySecond()
    {
        var clock = NineToFive(new Holiday(new DateOnly(2024, 1, 1), Yearly: true, "New Year"));
        var newYearsEve = InMadrid(2025, 12, 31, 16);

        Assert.Equal(InMadrid(2026, 1, 2, 10), clock.Add(newYearsEve, H(2)));
        Assert.Equal(H(2), clock.Between(newYearsEve, InMadrid(2026, 1, 2, 10)));
        Assert.Equal([(Utc(2025, 12, 31, 15), Utc(2025, 12, 31, 16)), (Utc(2026, 1, 2, 8), Utc(2026, 1, 2, 9))], clock.OpenIntervals(newYearsEve, InMadrid(2026, 1, 2, 10)));
    }

    [Fact]
    public void YearlyHolidayOnFebruary29_ClosesOnlyLeapYears()
    {
        var clock = NineToFive(new Holiday(new DateOnly(2024, 2, 29), Yearly: true));

        Assert.False(clock.IsOpen(InMadrid(2028, 2, 29, 10)));
        Assert.True(clock.IsOpen(InMadrid(2027, 3, 1, 10)));
    }

    [Fact]
    public void AlwaysOpen_IsPlainArithmetic()
    {
        var clock = new BusinessClock(BusinessCalendar.AlwaysOpen, TimeZoneInfo.Utc);
        var start = InMadrid(2025, 6, 7, 12);

        Assert.Equal(start + H(100), clock.Add(start, H(100)));
        Assert.Equal(H(100), clock.Between(start, start + H(100)));
        Assert.True(clock.IsOpen(start));
        Assert.Equal([(start, start + H(100))], clock.OpenIntervals(start, start + H(100)));
    }

    [Fact]
    public void AllDayEveryDay_InAZoneWithDst_CountsRealTime()
    {
        var clock = Clock(Madrid, Hours(EveryDay, T(0), T(0)));
        var saturday = InMadrid(2025, 3, 29, 12);

        Assert.Equal(saturday + H(24), clock.Add(saturday, H(24)));
        Assert.Equal(InMadrid(2025, 3, 30, 13), clock.Add(saturday, H(24)));
        Assert.Equal(H(23), clock.Between(InMadrid(2025, 3, 30, 0), InMadrid(2025, 3, 31, 0)));
    }

    [Fact]
    public void NoHours_AddThrowsAClearError_AndNothingIsOpen()
    {
        var clock = new BusinessClock(new BusinessCalendar("UTC", [], []), TimeZoneInfo.Utc);
        var start = Utc(2025, 6, 2, 10);

        var error = Assert.Throws<InvalidOperationException>(() => clock.Add(start, H(1)));
        Assert.Contains("no opening hours", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, clock.Between(start, start.AddYears(1)));
        Assert.False(clock.IsOpen(start));
        Assert.Empty(clock.OpenIntervals(start, start.AddDays(7)));
    }

    [Fact]
    public void Add_BeyondTenYearsOfOpenTime_ThrowsInsteadOfLooping()
    {
        // One hour a week: 600 hours need more than ten years.
        var clock = Clock(Madrid, [new WeeklyHours(DayOfWeek.Monday, T(9), T(10))]);

        var error = Assert.Throws<InvalidOperationException>(() => clock.Add(InMadrid(2025, 6, 2, 10), H(600)));
        Assert.Contains("within ten years", error.Message, StringComparison.Ordinal);
        Assert.Equal(InMadrid(2025, 6, 9, 10), clock.Add(InMadrid(2025, 6, 2, 10), H(1)));
    }
}
