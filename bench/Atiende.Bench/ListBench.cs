using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Atiende.Bench;

/// <summary>
/// The first page (25) of filtered ticket lists at a tenth of the size and at the full size, through the API and as
/// the equivalent raw SELECT ... ORDER BY UpdatedAt DESC, Id DESC LIMIT 26.
/// </summary>
public static class ListBench
{
    /// <summary>The ticket columns the app maps (PostgreSQL's generated search vector aside).</summary>
    public const string TicketColumns = """
        "Id", "Subject", "Status", "StatusCategory", "Priority", "Type", "Channel", "Visibility", "RequesterId", "OrganizationId",
        "GroupId", "AssigneeId", "CreatedAt", "UpdatedAt", "FirstRespondedAt", "ResolvedAt", "ClosedAt", "SnoozedUntil",
        "StatusChangedAt", "LastCustomerMessageAt", "LastAgentMessageAt", "PendingReminderSentAt", "SlaDueAt",
        "PreviousStatus", "CustomFields", "Version"
        """;

    private sealed record Case(string Name, string Query, bool AsAgent, string Where, params (string Name, object Value)[] Parameters);

    public static async Task RunAsync(BenchServer server, BenchDatabase database, BenchOptions options, SqlProbe probe, Report report)
    {
        var now = TimeProvider.System.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var customers = await Seeder.UsersAsync(database, "Customer", "seed-customer", options.Quick ? 500 : 5_000, now);
        var agents = await Seeder.UsersAsync(database, "Agent", "seed-agent", 20, now);
        var pool = new SeedPool(customers, [.. agents, server.AgentId], server.GroupIds, now - TimeSpan.FromHours(1), options.ListSizes[^1]);
        var group = server.GroupIds[0];
        Case[] cases =
        [
            new("admin, statusCategory=active", "statusCategory=active", false, "\"StatusCategory\" = @category", ("@category", "Active")),
            new("admin, assigneeId={agent}", $"assigneeId={server.AgentId}", false, "\"AssigneeId\" = @assignee", ("@assignee", server.AgentId)),
            new("admin, groupId={group}&status=open", $"groupId={group}&status=open", false, "\"GroupId\" = @group AND \"Status\" = @status",
                ("@group", group), ("@status", "open")),
            new("agent (2 of 10 groups), statusCategory=active", "statusCategory=active", true,
                "\"StatusCategory\" = @category AND (\"GroupId\" IS NULL OR \"GroupId\" IN (@g1, @g2) OR \"AssigneeId\" = @me)",
                ("@category", "Active"), ("@g1", server.GroupIds[0]), ("@g2", server.GroupIds[1]), ("@me", server.AgentId)),
        ];

        long seeded = 0;
        foreach (var size in options.ListSizes)
        {
            var missing = size - await database.CountTicketsAsync();
            Console.WriteLine($"-> seeding {missing:N0} tickets to reach {size:N0}");
            var t0 = Stopwatch.GetTimestamp();
            await Seeder.TicketsAsync(database, pool, seeded, seeded + missing);
            seeded += missing;
            report.Fact($"Seed to {size:N0}", $"{missing:N0} tickets in {Stopwatch.GetElapsedTime(t0).TotalSeconds:F0} s");

            var section = $"First page of a filtered list: GET /api/v1/tickets?...&limit=25, {size:N0} tickets";
            Console.WriteLine($"-> {section}");
            foreach (var c in cases)
            {
                var (api, baseline) = await MeasureAsync(server, database, options, probe, report, c, size);
                report.Add(section, c.Name, api, baseline, throughput: false);
                Console.WriteLine($"   {c.Name}: p50 {api.P50:F2} ms, p99 {api.P99:F2} ms (baseline p99 {baseline.P99:F2} ms)");
            }
        }

        report.Fact("List bench", $"{Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s including seeding");
    }

    private static async Task<(Measurement Api, Measurement Baseline)> MeasureAsync(
        BenchServer server, BenchDatabase database, BenchOptions options, SqlProbe probe, Report report, Case c, int size)
    {
        var path = $"tickets?{c.Query}&limit=25";
        var token = c.AsAgent ? server.AgentToken : server.AdminToken;
        Task GetAsync() => server.SendAsync(HttpMethod.Get, path, token, null, HttpStatusCode.OK);

        await using var connection = await database.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {TicketColumns} FROM \"Tickets\" WHERE {c.Where} ORDER BY \"UpdatedAt\" DESC, \"Id\" DESC LIMIT 26";
        foreach (var (name, value) in c.Parameters)
        {
            BenchDatabase.Parameter(select, name, value);
        }

        await select.PrepareAsync();

        for (var i = 0; i < options.Requests; i++)
        {
            await GetAsync();
            await ReadAllAsync(select);
        }

        var api = await Load.SequentialAsync(options.Requests, GetAsync);
        var baseline = await Load.SequentialAsync(options.Requests, () => ReadAllAsync(select));

        var sql = await probe.CaptureAsync(GetAsync);
        var main = sql.Commands.FirstOrDefault(x => x.Sql.Contains("FROM \"Tickets\"", StringComparison.Ordinal));
        var plan = main is null ? "main query not captured" : await SqlProbe.ExplainAsync(database, main);
        var baselinePlan = await SqlProbe.ExplainAsync(database, new CapturedCommand(select.CommandText, c.Parameters.Select(p => (p.Name, (object?)p.Value)).ToList()));
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"{size:N0} tickets, {c.Name}: {sql.Describe()}.\nPlan of the API's query: {plan}\nPlan of the baseline: {baselinePlan}"));
        return (api, baseline);
    }

    /// <summary>Reads every column of every row, as a client of the baseline query would.</summary>
    public static async Task ReadAllAsync(DbCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
        }
    }
}
