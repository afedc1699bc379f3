using Atiende.Domain.Sla;
using static Atiende.Domain.Tests.Sla.CalendarFixture;

namespace Atiende.Domain.Tests.Sla;

/// <summary>The calendar as data: the 24/7 default and what <see cref="BusinessCalendar.Validate"/> reports.</summary>
public sealed class BusinessCalendarTests
{
    [Fact]
    public void AlwaysOpen_IsUtcAllDayEveryDay_WithoutHolidays()
    {
        var calendar = BusinessCalendar.AlwaysOpen;

        Assert.Equal("UTC", calendar.TimeZoneId);
        Assert.Equal(EveryDay.Select(d => new WeeklyHours(d, T(0), T(0))), calendar.Hours);
        Assert.Empty(calendar.Holidays);
        Assert.Empty(calendar.Validate());
    }

    [Fact]
    public void Validate_SplitDaysOvernightShiftsAndHolidays_AreFine()
    {
        var calendar = new BusinessCalendar(
            "Europe/Madrid",
            [.. Hours(Weekdays, T(9), T(13)), .. Hours(Weekdays, T(15), T(19)), new WeeklyHours(DayOfWeek.Friday, T(22), T(6))],
            [new Holiday(new DateOnly(2025, 12, 25), Yearly: true, "Christmas"), new Holiday(new DateOnly(2025, 5, 2), Yearly: false)]);

        Assert.Empty(calendar.Validate());
    }

    [Fact]
    public void Validate_TouchingIntervals_DoNotOverlap()
    {
        var calendar = new BusinessCalendar(
            "UTC", [new WeeklyHours(DayOfWeek.Monday, T(9), T(13)), new WeeklyHours(DayOfWeek.Monday, T(13), T(17))], []);

        Assert.Empty(calendar.Validate());
    }

    [Fact]
    public void Validate_NoHours_SaysNoBusinessTimeCanPass()
    {
        var problems = new BusinessCalendar("UTC", [], []).Validate();

        Assert.Equal(["The calendar has no opening hours, so no business time can ever pass."], problems);
    }

    [Fact]
    public void Validate_BlankTimeZone_AsksForOne()
    {
        var problems = new BusinessCalendar(" ", BusinessCalendar.AlwaysOpen.Hours, []).Validate();

        Assert.Equal(["The calendar needs a time zone (an IANA name such as Europe/Madrid)."], problems);
    }

    [Fact]
    public void Validate_OverlapOnTheSameDay_NamesBothIntervals()
    {
        var calendar = new BusinessCalendar(
            "UTC", [new WeeklyHours(DayOfWeek.Monday, T(12), T(17)), new WeeklyHours(DayOfWeek.Monday, T(9), T(13))], []);

        Assert.Equal(["Monday 09:00–13:00 overlaps Monday 12:00–17:00."], calendar.Validate());
    }

    [Fact]
    public void Validate_OvernightShiftRunningIntoTheNextDaysHours_Overlaps()
    {
        var calendar = new BusinessCalendar(
            "UTC", [new WeeklyHours(DayOfWeek.Monday, T(22), T(6)), new WeeklyHours(DayOfWeek.Tuesday, T(5), T(9))], []);

        Assert.Equal(["Monday 22:00–06:00 overlaps Tuesday 05:00–09:00."], calendar.Validate());
    }

    [Fact]
    public void Validate_SaturdayNightRunningIntoSundayMorning_Overlaps()
    {
        var calendar = new BusinessCalendar(
            "UTC", [new WeeklyHours(DayOfWeek.Saturday, T(20), T(8)), new WeeklyHours(DayOfWeek.Sunday, T(7), T(12))], []);

        Assert.Equal(["Saturday 20:00–08:00 overlaps Sunday 07:00–12:00."], calendar.Validate());
    }

    [Fact]
    public void Validate_WholeDayAndAnotherIntervalTheSameDay_Overlap()
    {
        var calendar = new BusinessCalendar(
            "UTC", [new WeeklyHours(DayOfWeek.Monday, T(0), T(0)), new WeeklyHours(DayOfWeek.Monday, T(9), T(17))], []);

        Assert.Equal(["Monday 00:00–00:00 overlaps Monday 09:00–17:00."], calendar.Validate());
    }

    [Fact]
    public void Validate_UnknownDayOfWeek_IsReported()
    {
        var calendar = new BusinessCalendar(
            "UTC", [new WeeklyHours((DayOfWeek)9, T(9), T(17)), new WeeklyHours(DayOfWeek.Monday, T(9), T(17))], []);

        Assert.Equal(["9 is not a day of the week."], calendar.Validate());
    }

    [Fact]
    public void Validate_YearlyHolidaysOnEveryDay_AreReported()
    {
        var leapYear = new DateOnly(2024, 1, 1);
        var holidays = Enumerable.Range(0, 366).Select(i => new Holiday(leapYear.AddDays(i), Yearly: true)).ToArray();

        var problems = new BusinessCalendar("UTC", BusinessCalendar.AlwaysOpen.Hours, holidays).Validate();

        Assert.Equal(["The yearly holidays close every day of the year."], problems);
    }
}
