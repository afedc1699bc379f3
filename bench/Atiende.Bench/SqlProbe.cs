using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atiende.Bench;

/// <summary>One SQL command the app ran, with its parameters, so it can be counted and EXPLAINed.</summary>
public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

/// <summary>What one request cost in SQL: its commands and how many times it opened a connection.</summary>
public sealed record Probe(IReadOnlyList<CapturedCommand> Commands, int ConnectionOpens)
{
    /// <summary>"7 commands, 6 connection opens: SELECT Users, INSERT Tickets+INSERT Articles, ..."</summary>
    public string Describe() =>
        $"{Commands.Count} SQL commands, {ConnectionOpens} connection opens: {string.Join(", ", Commands.Select(c => Statements(c.Sql)))}";

    private static readonly Regex Statement = new(@"^(SELECT|INSERT|UPDATE|DELETE)\b.*?(?:FROM|INTO|UPDATE) ""(\w+)", RegexOptions.Singleline);

    private static string Statements(string sql) => string.Join("+", sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => Statement.Match(s) is { Success: true } m ? $"{m.Groups[1].Value} {m.Groups[2].Value}" : s.Split(' ', 2)[0]));
}

/// <summary>
/// A cheap profiler: listens to EF Core's DiagnosticListener in this process and records the commands the app runs for
/// HTTP requests (not those of its background services), only while a probe request is in flight, so the measured
/// runs pay nothing for it.
/// </summary>
public sealed class SqlProbe : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string AspNetCore = "Microsoft.AspNetCore";
    private readonly List<IDisposable> _subscriptions = [];
    private readonly List<CapturedCommand> _commands = [];
    private int _opens;
    private volatile bool _enabled;

    private SqlProbe()
    {
    }

    public static SqlProbe Start()
    {
        var probe = new SqlProbe();
        probe._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(probe));

        // While probing, ASP.NET Core starts an activity per request: a command run under one belongs to a request.
        var requests = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AspNetCore,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => probe._enabled ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(requests);
        probe._subscriptions.Add(requests);
        return probe;
    }

    /// <summary>The commands run while <paramref name="action"/> ran.</summary>
    public async Task<Probe> CaptureAsync(Func<Task> action)
    {
        _enabled = true;

        // EF Core caches "nobody listens" for up to a second per context; wait that out.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        lock (_commands)
        {
            _commands.Clear();
            _opens = 0;
        }

        await action();
        _enabled = false;
        lock (_commands)
        {
            return new Probe([.. _commands], _opens);
        }
    }

    /// <summary>The query plan of a command, one line, and whether it reads an index in the requested order (no sort).</summary>
    public static async Task<string> ExplainAsync(BenchDatabase database, CapturedCommand command)
    {
        await using var connection = await database.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = (database.IsSqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            BenchDatabase.Parameter(explain, name, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add((database.IsSqlite ? reader.GetString(3) : reader.GetString(0)).Trim());
            }
        }

        var sorts = lines.Any(l => l.Contains("TEMP B-TREE", StringComparison.Ordinal) || l.StartsWith("Sort", StringComparison.Ordinal)
            || l.StartsWith("->  Sort", StringComparison.Ordinal));
        var index = lines.Any(l => l.Contains("INDEX", StringComparison.Ordinal) || l.Contains("Index", StringComparison.Ordinal));
        var verdict = (index, sorts) switch
        {
            (true, false) => "index, no sort",
            (true, true) => "index + SORT",
            (false, true) => "SCAN + SORT",
            _ => "scan",
        };
        return $"{verdict}: {string.Join(" / ", lines)}";
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => _enabled
                    && (name == RelationalEventId.CommandExecuting.Name || name == RelationalEventId.ConnectionOpened.Name)));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (!_enabled || Activity.Current?.Source.Name != AspNetCore)
        {
            return;
        }

        if (value.Value is ConnectionEndEventData)
        {
            Interlocked.Increment(ref _opens);
        }
        else if (value.Value is CommandEventData data)
        {
            var parameters = data.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList();
            lock (_commands)
            {
                _commands.Add(new CapturedCommand(data.Command.CommandText, parameters));
            }
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
