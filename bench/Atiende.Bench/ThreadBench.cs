using System.Net;

namespace Atiende.Bench;

/// <summary>A long thread: one ticket with 200 articles, read as the agent, beside raw selects of the same rows.</summary>
public static class ThreadBench
{
    private const string Section = "A ticket with 200 articles (agent)";
    private const int Articles = 200;

    public static async Task RunAsync(BenchServer server, BenchDatabase database, BenchOptions options, SqlProbe probe, Report report)
    {
        Console.WriteLine($"-> {Section}");
        var created = await server.CallAsync(HttpMethod.Post, "tickets", server.AgentToken,
            new { subject = "A long conversation", body = "First message.", requester = new { email = "customer-0@bench.test" } }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        for (var i = 1; i < Articles; i++)
        {
            var body = $"Reply {i}: thanks for the details, we are **looking into it** and will come back to you.\n\n- step one\n- step two";
            await server.CallAsync(HttpMethod.Post, $"tickets/{id}/articles", server.AgentToken, new { body, @internal = i % 5 == 0 }, HttpStatusCode.Created);
        }

        await using var connection = await database.OpenAsync();
        await using var articles = connection.CreateCommand();
        articles.CommandText = """
            SELECT a."Id", a."TicketId", a."BodyText", a."BodyHtml", a."Internal", a."Channel", a."CreatedAt", u."Id", u."Name", u."Role"
            FROM "Articles" AS a JOIN "Users" AS u ON u."Id" = a."AuthorId"
            WHERE a."TicketId" = @id ORDER BY a."Id" LIMIT 201
            """;
        BenchDatabase.Parameter(articles, "@id", id);
        await articles.PrepareAsync();
        await using var ticket = connection.CreateCommand();
        ticket.CommandText = $"SELECT {ListBench.TicketColumns} FROM \"Tickets\" WHERE \"Id\" = @id";
        BenchDatabase.Parameter(ticket, "@id", id);
        await ticket.PrepareAsync();

        await MeasureAsync(server, options, probe, report, $"GET /tickets/{{id}}/articles?limit={Articles}", $"tickets/{id}/articles?limit={Articles}", articles);
        await MeasureAsync(server, options, probe, report, "GET /tickets/{id}", $"tickets/{id}", ticket);
    }

    private static async Task MeasureAsync(
        BenchServer server, BenchOptions options, SqlProbe probe, Report report, string name, string path, System.Data.Common.DbCommand baselineQuery)
    {
        Task GetAsync() => server.SendAsync(HttpMethod.Get, path, server.AgentToken, null, HttpStatusCode.OK);
        for (var i = 0; i < options.Requests; i++)
        {
            await GetAsync();
            await ListBench.ReadAllAsync(baselineQuery);
        }

        var api = await Load.SequentialAsync(options.Requests, GetAsync);
        var baseline = await Load.SequentialAsync(options.Requests, () => ListBench.ReadAllAsync(baselineQuery));
        report.Add(Section, name, api, baseline, throughput: false);
        report.Note($"{name}: {(await probe.CaptureAsync(GetAsync)).Describe()}");
        Console.WriteLine($"   {name}: p50 {api.P50:F2} ms, p99 {api.P99:F2} ms (baseline p99 {baseline.P99:F2} ms)");
    }
}
