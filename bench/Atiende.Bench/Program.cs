using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Atiende.Bench;
using Atiende.Server.Data;

// Atiende's benchmark: each API figure beside a raw ADO.NET baseline measured in the same run on the same database.
// Run on demand (bench/run.sh), never from the test suite.
var options = BenchOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

var started = Stopwatch.GetTimestamp();
var report = new Report(options.Engine == DatabaseEngine.Sqlite ? "SQLite" : "PostgreSQL");
using var probe = SqlProbe.Start();
await using (var database = await BenchDatabase.CreateAsync(options))
{
    report.Fact("Date (UTC)", TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
    report.Fact("Source", await SourceVersionAsync());
    report.Fact("Machine", $"{Environment.ProcessorCount} cores ({CpuModel()}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB RAM");
    report.Fact("Runtime", $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
    report.Fact("Database", await database.VersionAsync());
    report.Fact("Load at start", LoadAverage());
    report.Fact("Sizes", $"{options.ListSizes[^1]:N0} tickets; {options.CreationsOneClient:N0} + {options.CreationsManyClients:N0} creations; "
        + $"{options.Requests} requests per list figure{(options.Quick ? " (quick run)" : "")}");

    await using var server = await BenchServer.StartAsync(database);

    // Lists first, so the seeded tickets keep their spread; the creations then run against the full-size database.
    await ListBench.RunAsync(server, database, options, probe, report);
    await CreationBench.RunAsync(server, database, options, probe, report);
    await ThreadBench.RunAsync(server, database, options, probe, report);
    await SchedulerBench.RunAsync(server, database, options, report);
    await MailBench.RunAsync(server, database, options, report);
    CalendarBench.Run(Console.Out);

    var creation = options.Engine == DatabaseEngine.Sqlite ? "" : " (the target is set for SQLite)";
    var creations = report.Figure(s => s.StartsWith("Create", StringComparison.Ordinal), $"{options.Clients} clients: throughput");
    report.Target($"≥ 2,000 creations/s with {options.Clients} clients{creation}", $"{creations:N0}/s", creations >= 2_000);
    var worstList = report.Figure(s => s.EndsWith($", {options.ListSizes[^1]:N0} tickets", StringComparison.Ordinal), "p99", max: true);
    report.Target($"list p99 ≤ 20 ms at {options.ListSizes[^1]:N0} tickets", $"worst p99 {worstList:F2} ms", worstList <= 20);
    report.Fact("Load at end", LoadAverage());
    report.Fact("Run time", $"{Stopwatch.GetElapsedTime(started).TotalMinutes:F1} min");
}

report.Print();
if (options.Quick)
{
    Console.WriteLine("Quick run: bench/results/ left as it was.");
}
else
{
    var file = Path.Combine(BenchOptions.ResultsDirectory(), $"latest-{(options.Engine == DatabaseEngine.Sqlite ? "sqlite" : "postgres")}.md");
    await File.WriteAllTextAsync(file, report.Markdown());
    Console.WriteLine($"Wrote {file}");
}

return 0;

// The commit measured, and whether tracked files differed from it.
static async Task<string> SourceVersionAsync()
{
    try
    {
        var commit = await GitAsync("rev-parse --short HEAD");
        var changes = await GitAsync("status --porcelain --untracked-files=no");
        return commit.Length == 0 ? "unknown" : changes.Length == 0 ? $"commit {commit}" : $"commit {commit} with uncommitted changes";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown (no git)";
    }
}

static async Task<string> GitAsync(string arguments)
{
    using var git = Process.Start(new ProcessStartInfo("git", arguments)
    {
        WorkingDirectory = BenchOptions.RepositoryRoot(),
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
    var output = await git.StandardOutput.ReadToEndAsync();
    await git.WaitForExitAsync();
    return git.ExitCode == 0 ? output.Trim() : "";
}

// Other work on the machine skews every figure; the load average says how much there was.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? $"{string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} (1 / 5 / 15 min)" : "unknown";

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : RuntimeInformation.ProcessArchitecture.ToString();
