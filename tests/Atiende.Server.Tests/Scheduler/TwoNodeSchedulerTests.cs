using System.Diagnostics;
using System.Text.Json;
using Atiende.Server.Tests.Infrastructure;
using Npgsql;

namespace Atiende.Server.Tests.Scheduler;

/// <summary>
/// Two real server processes on one PostgreSQL, both running the scheduler: every due ticket wakes exactly once,
/// and when the process holding the lease is killed the other one takes the work over.
/// </summary>
public sealed class TwoNodeSchedulerTests
{
    private const int Tickets = 25;

    [Fact]
    public async Task TwoNodes_WakeEachTicketExactlyOnce_AndSurviveTheLeaderDying()
    {
        var db = await TestApp.NewDatabaseAsync(Engine.Postgres);
        Assert.Equal(0, await AtiendeHost.RunAsync(["migrate", "--db", db, "--AdminEmail", TestApp.AdminEmail, "--AdminPassword", TestApp.AdminPassword]));
        await using var first = await StartNodeAsync(db);
        await using var second = await StartNodeAsync(db);
        var client = await first.SignInAsync();

        var batchA = await SnoozeTicketsAsync(client, "A");
        await WaitUntilAsync(async () => await CountOpenAsync(client, batchA) == Tickets);

        // Kill whichever process holds the lease, in the middle of its work, then give the survivor more work.
        var holder = await LeaseHolderPidAsync(db);
        var (dead, survivor) = holder == first.Pid ? (first, second) : (second, first);
        Assert.Contains(holder, new[] { first.Pid, second.Pid });
        dead.Kill();
        var survivorClient = await survivor.SignInAsync();
        var batchB = await SnoozeTicketsAsync(survivorClient, "B");
        await WaitUntilAsync(async () => await CountOpenAsync(survivorClient, batchB) == Tickets);

        foreach (var id in batchA.Concat(batchB))
        {
            var history = await survivorClient.ItemsAsync($"tickets/{id}/history");
            Assert.Single(history, h => h.GetProperty("field").ValueKind == JsonValueKind.String && h.Str("field") == "status" && h.Str("from") == "snoozed");
        }

        Assert.Equal(survivor.Pid, await LeaseHolderPidAsync(db));
    }

    private static Task<ServerProcess> StartNodeAsync(string db) =>
        ServerProcess.StartAsync(db, "--Scheduler:IntervalMilliseconds", "100", "--Scheduler:LeaseSeconds", "2");

    private static async Task<List<long>> SnoozeTicketsAsync(HttpClient client, string batch)
    {
        var ids = new List<long>();
        for (var i = 0; i < Tickets; i++)
        {
            var id = (await client.CreateTicketAsync(new { subject = $"Batch {batch} {i}", body = "b", requester = new { email = TestApp.UniqueEmail("c") } })).Id();
            await client.PatchTicketAsync(id, new { status = "open" });
            ids.Add(id);
        }

        var wake = TimeProvider.System.GetUtcNow().AddSeconds(8);
        foreach (var id in ids)
        {
            await client.PatchTicketAsync(id, new { status = "snoozed", snoozedUntil = wake });
        }

        return ids;
    }

    private static async Task<int> CountOpenAsync(HttpClient client, List<long> ids)
    {
        var open = 0;
        foreach (var id in ids)
        {
            open += (await client.GetTicketAsync(id)).Str("status") == "open" ? 1 : 0;
        }

        return open;
    }

    private static async Task<int> LeaseHolderPidAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Owner\" FROM \"SchedulerLeases\" WHERE \"Name\" = 'scheduler'", connection);
        var owner = (string)(await command.ExecuteScalarAsync())!;
        return int.Parse(owner.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "Timed out waiting for the scheduler.");
            await Task.Delay(250);
        }
    }
}
