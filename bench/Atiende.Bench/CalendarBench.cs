using System.Diagnostics;
using System.Globalization;
using Atiende.Domain.Sla;

namespace Atiende.Bench;

/// <summary>
/// Business-time arithmetic per second (issue 4 asks for at least 1M), each beside plain DateTimeOffset arithmetic
/// on the same inputs in the same run. Single thread; starts spread over a year, targets of 4–12 business hours.
/// </summary>
public static class CalendarBench
{
    private const int Samples = 8192;
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(400);

    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
        DateOnly[] holidays = [new(2025, 1, 6), new(2025, 4, 18), new(2025, 5, 1), new(2025, 8, 15), new(2025, 10, 12), new(2025, 11, 1), new(2025, 12, 6), new(2025, 12, 8)];
        var officeHours = new BusinessCalendar(
            madrid.Id,
            [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new WeeklyHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
            [.. holidays.Select(d => new Holiday(d, Yearly: false)), new Holiday(new DateOnly(2025, 1, 1), Yearly: true), new Holiday(new DateOnly(2025, 12, 25), Yearly: true)]);

        Measure(output, "24/7", new BusinessClock(BusinessCalendar.AlwaysOpen, TimeZoneInfo.Utc));
        Measure(output, "Mon–Fri 9–17, Madrid", new BusinessClock(officeHours, madrid));
    }

    private static void Measure(TextWriter output, string name, BusinessClock clock)
    {
        var random = new Random(4);
        var year = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var starts = Enumerable.Range(0, Samples).Select(_ => year.AddSeconds(random.Next(365 * 86_400))).ToArray();
        var targets = Enumerable.Range(0, Samples).Select(_ => TimeSpan.FromMinutes(random.Next(4 * 60, 12 * 60))).ToArray();
        var ends = starts.Select(s => s.AddMinutes(random.Next(72 * 60))).ToArray();

        var add = PerSecond(() =>
        {
            long sum = 0;
            for (var i = 0; i < Samples; i++)
            {
                sum += clock.Add(starts[i], targets[i]).UtcTicks;
            }

            return sum;
        });
        var plainAdd = PerSecond(() =>
        {
            long sum = 0;
            for (var i = 0; i < Samples; i++)
            {
                sum += (starts[i] + targets[i]).UtcTicks;
            }

            return sum;
        });
        var between = PerSecond(() =>
        {
            long sum = 0;
            for (var i = 0; i < Samples; i++)
            {
                sum += clock.Between(starts[i], ends[i]).Ticks;
            }

            return sum;
        });
        var plainSubtract = PerSecond(() =>
        {
            long sum = 0;
            for (var i = 0; i < Samples; i++)
            {
                sum += (ends[i] - starts[i]).Ticks;
            }

            return sum;
        });

        output.WriteLine(Line($"business-time Add ({name})", add, "plain add", plainAdd));
        output.WriteLine(Line($"business-time Between ({name})", between, "plain subtract", plainSubtract));
    }

    /// <summary>Calls of one batch per second, after a warm-up run (JIT, the clock's date cache).</summary>
    private static double PerSecond(Func<long> batch)
    {
        var checksum = batch();
        var batches = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Budget)
        {
            checksum ^= batch();
            batches++;
        }

        GC.KeepAlive(checksum);
        return batches * (double)Samples / watch.Elapsed.TotalSeconds;
    }

    private static string Line(string metric, double perSecond, string baseline, double baselinePerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{metric,-46} {perSecond / 1e6,7:F1} M/s   baseline {baseline,-14} {baselinePerSecond / 1e6,7:F1} M/s");
}
