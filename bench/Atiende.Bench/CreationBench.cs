using System.Data.Common;
using System.Net;
using Atiende.Server.Tickets;

namespace Atiende.Bench;

/// <summary>
/// Ticket creation by an agent for a known requester, through the API with 1 and 16 concurrent clients, beside the
/// same rows (ticket, article, two history events, two tags) inserted in one transaction with prepared ADO.NET commands.
/// </summary>
public static class CreationBench
{
    private const string Section = "Create a ticket: POST /api/v1/tickets (agent, known requester, 2 tags)";
    private const int Requesters = 50;
    private const string Subject = "Cannot sign in to the customer portal";
    private const string Body = "Hello,\n\nsince this morning the portal says **session expired** right after I sign in.\n"
        + "I tried two browsers and cleared the cookies.\n\nThanks,\nAna";

    private static readonly string[] Tags = ["bench", "sign-in"];

    public static async Task RunAsync(BenchServer server, BenchDatabase database, BenchOptions options, SqlProbe probe, Report report)
    {
        Console.WriteLine($"-> {Section}");
        var requesters = new List<(long Id, byte[] Request)>();
        for (var i = 0; i < Requesters; i++)
        {
            var email = $"customer-{i}@bench.test";
            var id = await server.CreateUserAsync(email, $"Customer {i}", "customer", null);
            var request = BenchServer.Json(new { subject = Subject, body = Body, requester = new { email }, priority = "normal", tags = Tags });
            requesters.Add((id, request));
        }

        Task CreateAsync(int i) =>
            server.SendAsync(HttpMethod.Post, "tickets", server.AgentToken, requesters[i % Requesters].Request, HttpStatusCode.Created);

        await Load.RunAsync(options.Warmup, options.Clients, (_, i) => CreateAsync(i));
        report.Note($"POST /tickets: {(await probe.CaptureAsync(() => CreateAsync(0))).Describe()} (the inserts run in the group commit's batch, outside the request)");
        var api1 = await Load.RunAsync(options.CreationsOneClient, 1, (_, i) => CreateAsync(i));
        Console.WriteLine($"   API 1 client: {api1.PerSecond:F0}/s");
        var api16 = await Load.RunAsync(options.CreationsManyClients, options.Clients, (_, i) => CreateAsync(i));
        Console.WriteLine($"   API {options.Clients} clients: {api16.PerSecond:F0}/s");

        var (text, html) = new ArticleContent().Render(Body);
        var writers = new List<BaselineWriter>();
        try
        {
            for (var w = 0; w < options.Clients; w++)
            {
                writers.Add(await BaselineWriter.OpenAsync(database, server.AgentId, text, html));
            }

            Task InsertAsync(int worker, int i) => writers[worker].InsertAsync(requesters[i % Requesters].Id, TimeProvider.System.GetUtcNow());
            await Load.RunAsync(options.Warmup, options.Clients, InsertAsync);
            var baseline1 = await Load.RunAsync(options.CreationsOneClient, 1, InsertAsync);
            var baseline16 = await Load.RunAsync(options.CreationsManyClients, options.Clients, InsertAsync);
            Console.WriteLine($"   baseline: {baseline1.PerSecond:F0}/s and {baseline16.PerSecond:F0}/s");
            // With one client, idle thread-pool workers spinning between requests would be counted too; with 16 they have work.
            report.Note($"POST /tickets with {options.Clients} clients: this process spent {api16.CpuMsPerOp:F2} ms of CPU per ticket "
                + $"(baseline {baseline16.CpuMsPerOp:F2} ms; client, server{(database.IsSqlite ? " and SQLite" : ", not PostgreSQL's own CPU")})");
            report.Add(Section, "1 client", api1, baseline1, throughput: true);
            report.Add(Section, $"{options.Clients} clients", api16, baseline16, throughput: true);
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }
    }

    /// <summary>One worker of the baseline: its own connection and prepared inserts, one transaction per ticket.</summary>
    private sealed class BaselineWriter : IAsyncDisposable
    {
        private readonly BenchDatabase _database;
        private readonly DbConnection _connection;
        private readonly DbCommand _ticket;
        private readonly DbCommand _article;
        private readonly DbCommand _history;
        private readonly DbCommand _tag;

        private BaselineWriter(BenchDatabase database, DbConnection connection, long agentId, string text, string html)
        {
            _database = database;
            _connection = connection;
            var now = database.Time(TimeProvider.System.GetUtcNow());
            _ticket = Command("""
                INSERT INTO "Tickets" ("Subject", "Status", "StatusCategory", "Priority", "Type", "Channel", "Visibility", "RequesterId",
                                       "CreatedAt", "UpdatedAt", "StatusChangedAt", "LastCustomerMessageAt", "CustomFields", "Version")
                VALUES (@subject, 'new', 'New', 1, 'Question', 'Api', 'Public', @requester, @now, @now, @now, @now, '{}', 1) RETURNING "Id"
                """, ("@subject", Subject), ("@requester", 0L), ("@now", now));
            _article = Command("""
                INSERT INTO "Articles" ("TicketId", "AuthorId", "CreatedById", "Internal", "Channel", "BodyText", "BodyHtml", "CreatedAt")
                VALUES (@ticket, @author, @agent, FALSE, 'Api', @text, @html, @now)
                """, ("@ticket", 0L), ("@author", 0L), ("@agent", agentId), ("@text", text), ("@html", html), ("@now", now));
            _history = Command("""
                INSERT INTO "History" ("TicketId", "At", "ActorId", "Kind", "To", "Internal") VALUES (@ticket, @now, @agent, @kind, @to, FALSE)
                """, ("@ticket", 0L), ("@now", now), ("@agent", agentId), ("@kind", ""), ("@to", ""));
            _tag = Command("""INSERT INTO "TicketTags" ("TicketId", "Name") VALUES (@ticket, @name)""", ("@ticket", 0L), ("@name", ""));
        }

        public static async Task<BaselineWriter> OpenAsync(BenchDatabase database, long agentId, string text, string html)
        {
            var writer = new BaselineWriter(database, await database.OpenAsync(), agentId, text, html);
            foreach (var command in new[] { writer._ticket, writer._article, writer._history, writer._tag })
            {
                await command.PrepareAsync();
            }

            return writer;
        }

        public async Task InsertAsync(long requesterId, DateTimeOffset now)
        {
            var time = _database.Time(now);
            await using var transaction = await _connection.BeginTransactionAsync();
            var id = (long)(await Set(_ticket, transaction, ("@requester", requesterId), ("@now", time)).ExecuteScalarAsync())!;
            await Set(_history, transaction, ("@ticket", id), ("@now", time), ("@kind", "Created"), ("@to", "new")).ExecuteNonQueryAsync();
            await Set(_article, transaction, ("@ticket", id), ("@author", requesterId), ("@now", time)).ExecuteNonQueryAsync();
            await Set(_history, transaction, ("@kind", "ArticleAdded"), ("@to", "public")).ExecuteNonQueryAsync();
            foreach (var tag in Tags)
            {
                await Set(_tag, transaction, ("@ticket", id), ("@name", tag)).ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _ticket, _article, _history, _tag })
            {
                await command.DisposeAsync();
            }

            await _connection.DisposeAsync();
        }

        private static DbCommand Set(DbCommand command, DbTransaction transaction, params (string Name, object Value)[] values)
        {
            command.Transaction = transaction;
            foreach (var (name, value) in values)
            {
                command.Parameters[name].Value = value;
            }

            return command;
        }

        private DbCommand Command(string sql, params (string Name, object Value)[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                BenchDatabase.Parameter(command, name, value);
            }

            return command;
        }
    }
}
