using System.Data.Common;
using System.Diagnostics;
using System.Net;
using Atiende.Server.Scheduler;
using Microsoft.Extensions.DependencyInjection;

namespace Atiende.Bench;

/// <summary>
/// The scheduler at the full size (issue 4): the cost of a pass when nothing is due, beside the same index probes as
/// raw SQL; and due items processed per second (snoozed tickets waking up, each with its history row), beside the
/// same updates and inserts written as raw batched SQL.
/// </summary>
public static class SchedulerBench
{
    private const string Section = "Scheduler";

    public static async Task RunAsync(BenchServer server, BenchDatabase database, BenchOptions options, Report report)
    {
        var scheduler = server.Services.GetRequiredService<TicketScheduler>();
        Console.WriteLine("-> scheduler");

        // Only wake-ups may fall due, so the throughput counts exactly the items made due below.
        await server.CallAsync(HttpMethod.Put, "admin/lifecycle-timers", server.AdminToken,
            new { pendingReminderDays = 0, pendingAutoCloseDays = 0, resolvedAutoCloseDays = 0, trashRetentionDays = 0 }, HttpStatusCode.OK);
        var drained = 0;
        for (SchedulerPass pass; (pass = await scheduler.RunOnceAsync(CancellationToken.None)).Total > 0;)
        {
            drained += pass.Total;
        }

        report.Fact("Scheduler drain", $"{drained:N0} items the seed left due, before measuring");

        var idle = await Load.SequentialAsync(options.Requests, async () =>
        {
            var pass = await scheduler.RunOnceAsync(CancellationToken.None);
            if (!pass.Leader || pass.Total != 0)
            {
                throw new InvalidOperationException($"An idle pass did work or had no lease: {pass}");
            }
        });
        await using (var connection = await database.OpenAsync())
        {
            var probes = await Load.SequentialAsync(options.Requests, () => RawProbesAsync(connection, database));
            report.Add(Section, "pass with nothing due", idle, probes, throughput: false);
        }

        var due = options.Quick ? 2_000 : 20_000;
        var baselineIds = await MakeDueAsync(database, due, offset: 0);
        due = baselineIds.Count;
        var baseline = await RawWakeAsync(database, baselineIds);

        // The same tickets again (the baseline woke them): the same work for the scheduler.
        var apiIds = await MakeDueAsync(database, due, offset: 0);
        due = apiIds.Count;
        var started = Stopwatch.GetTimestamp();
        var woken = 0;
        while (woken < due)
        {
            var pass = await scheduler.RunOnceAsync(CancellationToken.None);
            woken += pass.Done.GetValueOrDefault(nameof(Atiende.Domain.Scheduling.TimerKind.WakeUp));
            if (pass.Total == 0)
            {
                throw new InvalidOperationException($"The scheduler stopped after {woken} of {due} due items.");
            }
        }

        var api = new Measurement(woken, Stopwatch.GetElapsedTime(started), double.NaN, double.NaN, double.NaN);
        report.AddRate(Section, $"due items processed ({due:N0} wake-ups, with history)", "items/s", api.PerSecond, baseline.PerSecond);
        Console.WriteLine($"   idle pass p99 {idle.P99:F2} ms; {api.PerSecond:N0} due items/s (baseline {baseline.PerSecond:N0}/s)");
        report.Target("scheduler pass with nothing due ≤ 50 ms", $"p99 {idle.P99:F2} ms", idle.P99 <= 50);
        report.Target("due items processed ≥ 5,000/s", $"{api.PerSecond:N0}/s", api.PerSecond >= 5_000);
    }

    /// <summary>The index probes an idle pass makes: one per kind of due work, each finding nothing.</summary>
    private static async Task RawProbesAsync(DbConnection connection, BenchDatabase database)
    {
        var now = database.Time(TimeProvider.System.GetUtcNow());
        string[] probes =
        [
            """SELECT "Id" FROM "Tickets" WHERE "SlaDueAt" <= @now ORDER BY "SlaDueAt" LIMIT 500""",
            """SELECT "Id" FROM "Tickets" WHERE "SnoozedUntil" <= @now AND "Status" = 'snoozed' ORDER BY "SnoozedUntil" LIMIT 500""",
            """SELECT "Id" FROM "Tickets" WHERE "Status" = 'pending' AND "StatusChangedAt" <= @now AND "PendingReminderSentAt" IS NULL LIMIT 1""",
        ];
        foreach (var sql in probes)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            BenchDatabase.Parameter(command, "@now", now);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }
    }

    /// <summary>Snoozes <paramref name="count"/> open tickets with a wake time in the past; returns their ids.</summary>
    private static async Task<List<long>> MakeDueAsync(BenchDatabase database, int count, int offset)
    {
        await using var connection = await database.OpenAsync();
        var ids = new List<long>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = $"""SELECT "Id" FROM "Tickets" WHERE "Status" = 'open' ORDER BY "Id" LIMIT {count} OFFSET {offset}""";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var past = database.Time(TimeProvider.System.GetUtcNow().AddMinutes(-5));
        foreach (var chunk in ids.Chunk(500))
        {
            await using var update = connection.CreateCommand();
            update.CommandText = $"""
                UPDATE "Tickets" SET "Status" = 'snoozed', "StatusCategory" = 'WaitingInternal', "PreviousStatus" = 'open', "SnoozedUntil" = @past
                WHERE "Id" IN ({string.Join(", ", chunk)})
                """;
            BenchDatabase.Parameter(update, "@past", past);
            await update.ExecuteNonQueryAsync();
        }

        return ids;
    }

    /// <summary>The same work as raw SQL: per batch of 500, one transaction that wakes the tickets and writes their history.</summary>
    private static async Task<Measurement> RawWakeAsync(BenchDatabase database, List<long> ids)
    {
        await using var connection = await database.OpenAsync();
        var started = Stopwatch.GetTimestamp();
        foreach (var chunk in ids.Chunk(500))
        {
            var now = database.Time(TimeProvider.System.GetUtcNow());
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var update = connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = $"""
                    UPDATE "Tickets" SET "Status" = 'open', "StatusCategory" = 'Active', "PreviousStatus" = NULL, "SnoozedUntil" = NULL,
                        "UpdatedAt" = @now, "StatusChangedAt" = @now, "Version" = "Version" + 1
                    WHERE "Id" IN ({string.Join(", ", chunk)}) AND "Status" = 'snoozed'
                    """;
                BenchDatabase.Parameter(update, "@now", now);
                await update.ExecuteNonQueryAsync();
            }

            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO "History" ("TicketId", "At", "Kind", "Field", "From", "To", "Internal") VALUES (@id, @now, 'FieldChanged', 'status', 'snoozed', 'open', FALSE)
                    """;
                var id = BenchDatabase.Parameter(insert, "@id", 0L);
                BenchDatabase.Parameter(insert, "@now", now);
                await insert.PrepareAsync();
                foreach (var ticket in chunk)
                {
                    id.Value = ticket;
                    await insert.ExecuteNonQueryAsync();
                }
            }

            await transaction.CommitAsync();
        }

        return new Measurement(ids.Count, Stopwatch.GetElapsedTime(started), double.NaN, double.NaN, double.NaN);
    }
}
