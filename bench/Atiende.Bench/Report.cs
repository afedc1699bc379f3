using System.Globalization;
using System.Text;

namespace Atiende.Bench;

/// <summary>The figures of one run: printed as a table per engine and written as Markdown.</summary>
public sealed class Report(string engine)
{
    private sealed record Row(string Section, string Metric, string Unit, double Api, double Baseline);

    private sealed record Goal(string Name, string Figure, bool Met);

    private readonly List<(string Name, string Value)> _facts = [];
    private readonly List<Row> _rows = [];
    private readonly List<Goal> _targets = [];
    private readonly List<string> _notes = [];

    public void Fact(string name, string value) => _facts.Add((name, value));

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"   {note.Replace("\n", "\n      ", StringComparison.Ordinal)}");
    }

    /// <summary>Throughput, p50 and p99 of a run beside its baseline.</summary>
    public void Add(string section, string metric, Measurement api, Measurement baseline, bool throughput)
    {
        if (throughput)
        {
            Add(section, $"{metric}: throughput", "tickets/s", api.PerSecond, baseline.PerSecond);
        }

        Add(section, $"{metric}: p50", "ms", api.P50, baseline.P50);
        Add(section, $"{metric}: p99", "ms", api.P99, baseline.P99);
    }

    /// <summary>The API figure of the first matching row, or the largest one.</summary>
    public double Figure(Func<string, bool> section, string metricEnd, bool max = false)
    {
        var values = _rows.Where(r => section(r.Section) && r.Metric.EndsWith(metricEnd, StringComparison.Ordinal)).Select(r => r.Api).ToList();
        return values.Count == 0 ? double.NaN : max ? values.Max() : values[0];
    }

    public void Target(string name, string figure, bool met) => _targets.Add(new Goal(name, figure, met));

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"=== Atiende bench: {engine} ===");
        foreach (var (name, value) in _facts)
        {
            Console.WriteLine($"{name + ":",-20} {value}");
        }

        const string Header = "{0,-58} {1,10} {2,10} {3,10} {4,9}";
        foreach (var section in _rows.GroupBy(r => r.Section))
        {
            Console.WriteLine();
            Console.WriteLine(section.Key);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, Header, "  metric", "unit", "API", "baseline", "API/base"));
            foreach (var r in section)
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, Header, "  " + r.Metric, r.Unit, Number(r.Api), Number(r.Baseline), Ratio(r)));
            }
        }

        Console.WriteLine();
        foreach (var t in _targets)
        {
            Console.WriteLine($"Target {(t.Met ? "MET   " : "MISSED")} {t.Name}: {t.Figure}");
        }
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Atiende bench: {engine}");
        md.AppendLine();
        md.AppendLine("Produced by `bench/run.sh` (bench/Atiende.Bench). The API goes through real Kestrel on 127.0.0.1 with EF Core;");
        md.AppendLine("the baseline is the same insert or select written with plain ADO.NET on the same database, measured in the same run.");
        md.AppendLine("Read latencies: 200 sequential requests after 200 to warm up, three rounds, the round with the median p99 shown.");
        md.AppendLine("A list baseline is the main SELECT alone; the API also loads requesters, tags, CC, links and SLA targets and writes JSON.");
        md.AppendLine("Ratio = API / baseline (for throughput below 1 means slower; for latency above 1 means slower).");
        md.AppendLine();
        foreach (var (name, value) in _facts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {value}");
        }

        foreach (var section in _rows.GroupBy(r => r.Section))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {section.Key}");
            md.AppendLine();
            md.AppendLine("| Metric | Unit | API | Baseline | API / baseline |");
            md.AppendLine("|---|---|---:|---:|---:|");
            foreach (var r in section)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Metric} | {r.Unit} | {Number(r.Api)} | {Number(r.Baseline)} | {Ratio(r)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Targets");
        md.AppendLine();
        foreach (var t in _targets)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {(t.Met ? "met" : "**missed**")}: {t.Name} ({t.Figure})");
        }

        md.AppendLine();
        md.AppendLine("## Notes: SQL per request and query plans");
        md.AppendLine();
        foreach (var note in _notes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note.Replace("\n", "<br>", StringComparison.Ordinal)}");
        }

        return md.ToString();
    }

    /// <summary>A rate (per second) beside its baseline.</summary>
    public void AddRate(string section, string metric, string unit, double api, double baseline) => Add(section, metric, unit, api, baseline);

    private void Add(string section, string metric, string unit, double api, double baseline) =>
        _rows.Add(new Row(section, metric, unit, api, baseline));

    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };

    private static string Ratio(Row r) => (r.Api / r.Baseline).ToString("F2", CultureInfo.InvariantCulture) + "x";
}
