using System.Diagnostics;

namespace Atiende.Bench;

/// <summary>
/// What one measured run gives: how many operations, how long in all, the latency percentiles, and the CPU time this
/// process spent per operation (client, server and, on SQLite, the database: a figure less sensitive to a busy machine).
/// </summary>
public sealed record Measurement(int Count, TimeSpan Elapsed, double P50, double P99, double CpuMsPerOp)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

public static class Load
{
    /// <summary>
    /// Runs <paramref name="total"/> operations on <paramref name="workers"/> concurrent workers, each taking the next
    /// operation number as soon as its previous one is done (a closed loop); <c>run(worker, i)</c> is one operation.
    /// </summary>
    public static async Task<Measurement> RunAsync(int total, int workers, Func<int, int, Task> run)
    {
        var latencies = new double[total];
        var next = -1;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var t0 = Stopwatch.GetTimestamp();
                await run(worker, i);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuPerOp = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / total;
        Array.Sort(latencies);
        return new Measurement(total, elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), cpuPerOp);
    }

    /// <summary>
    /// Sequential requests, the latency of one call on an otherwise idle server: three rounds, and the round with the
    /// median p99, so that a burst of other work on a shared machine during one round does not make the figure.
    /// </summary>
    public static async Task<Measurement> SequentialAsync(int total, Func<Task> run)
    {
        var rounds = new List<Measurement>();
        for (var round = 0; round < 3; round++)
        {
            rounds.Add(await RunAsync(total, 1, (_, _) => run()));
        }

        return rounds.OrderBy(r => r.P99).ElementAt(1);
    }

    // Nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
