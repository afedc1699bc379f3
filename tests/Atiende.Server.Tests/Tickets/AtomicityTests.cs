using System.Net;
using System.Net.Http.Json;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Tickets;

/// <summary>
/// Every command is one transaction. A database trigger makes one insert fail midway through a command (only for
/// this test's own rows), and the command must leave nothing half-written.
/// </summary>
public sealed class AtomicityTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task CreateTicket_ThatFailsInTheDatabase_Is500_AndDoesNotCreateTheRequester(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var marker = $"boom-{Guid.NewGuid():N}";
        var requester = TestApp.UniqueEmail("newcomer");

        await using (await FailInsertAsync(app, "Tickets", $"NEW.\"Subject\" = '{marker}'"))
        {
            var response = await agent.Client.PostAsJsonAsync("tickets", new { subject = marker, body = "b", requester = new { email = requester, name = "New Comer" } });
            await response.EnsureProblem(HttpStatusCode.InternalServerError);
        }

        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == requester)), "The requester was created without its ticket.");
        Assert.False(await app.WithDbAsync(db => db.Tickets.AnyAsync(t => t.Subject == marker)));

        // Once the database accepts it again, the same request works.
        var created = await agent.Client.CreateTicketAsync(new { subject = marker, body = "b", requester = new { email = requester } });
        Assert.Equal(requester, created.GetProperty("requester").Str("email"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task ConcurrentCreations_WithSomeFailingInTheDatabase_SaveEveryGoodTicketExactlyOnce(Engine engine)
    {
        // Concurrent creations share commits (GroupCommit): a failing one must not take its batch neighbours down.
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = await app.NewUserAsync("customer");
        var run = Guid.NewGuid().ToString("N");
        var marker = $"boom-{run}";

        HttpResponseMessage[] responses;
        await using (await FailInsertAsync(app, "Tickets", $"NEW.\"Subject\" = '{marker}'"))
        {
            responses = await Task.WhenAll(Enumerable.Range(0, 48).Select(i => agent.Client.PostAsJsonAsync("tickets", new
            {
                subject = i % 6 == 0 ? marker : $"good {run} {i}",
                body = "b",
                requester = new { email = requester.Email },
            })));
        }

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal(i % 6 == 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.Created, responses[i].StatusCode);
        }

        var saved = await app.WithDbAsync(db => db.Tickets.Where(t => t.RequesterId == requester.Id)
            .Select(t => new { t.Subject, Articles = t.Articles.Count, History = t.History.Count }).ToListAsync());
        Assert.Equal(40, saved.Count);
        Assert.Equal(40, saved.Select(t => t.Subject).Distinct().Count());
        Assert.All(saved, t => Assert.Equal((1, 2), (t.Articles, t.History)));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task FollowUp_ThatFailsWhileLinking_Is500_AndLeavesNoFollowUpTicket(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var closed = (await customer.Client.CreateTicketAsync(new { subject = "Broken charger", body = "It sparks." })).Id();
        await agent.Client.ReplyAsync(closed, "Replacement sent.", status: "resolved");
        await (await customer.Client.PostAsync($"tickets/{closed}/confirm", null)).EnsureStatus(HttpStatusCode.OK);
        var historyBefore = (await agent.Client.ItemsAsync($"tickets/{closed}/history")).Count;

        // The follow-up ticket is inserted first, then the link to the closed ticket fails.
        await using (await FailInsertAsync(app, "TicketLinks", $"NEW.\"LinkedTicketId\" = {closed}"))
        {
            var response = await customer.Client.PostAsJsonAsync($"tickets/{closed}/articles", new { body = "The new one sparks too." });
            await response.EnsureProblem(HttpStatusCode.InternalServerError);
        }

        Assert.Equal([closed], (await customer.Client.ItemsAsync("tickets?limit=200")).Select(t => t.Id()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Tickets.CountAsync(t => t.RequesterId == customer.Id)));
        Assert.Equal(historyBefore, (await agent.Client.ItemsAsync($"tickets/{closed}/history")).Count);

        var retried = await customer.Client.ReplyAsync(closed, "The new one sparks too.");
        Assert.True(retried.GetProperty("followUpCreated").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Purge_ThatFailsWritingTheTombstone_Is500_AndErasesNothing(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var word = TestApp.UniqueWord();
        var id = (await agent.Client.CreateTicketAsync(new { subject = $"Keep {word}", body = "Keep me.", requester = new { email = TestApp.UniqueEmail("c") } })).Id();
        await agent.Client.ReplyAsync(id, "A note.", isInternal: true);

        // The tombstone is written after every delete.
        await using (await FailInsertAsync(app, "Tombstones", $"NEW.\"TicketId\" = {id}"))
        {
            await (await app.Admin.PostAsync($"tickets/{id}/purge", null)).EnsureProblem(HttpStatusCode.InternalServerError);
        }

        Assert.Equal(2, (await agent.Client.ItemsAsync($"tickets/{id}/articles")).Count);
        Assert.NotEmpty(await agent.Client.ItemsAsync($"tickets/{id}/history"));
        Assert.Equal([id], (await agent.Client.ItemsAsync($"tickets?q={word}")).Select(t => t.Id()));
    }

    /// <summary>Installs a trigger that makes inserts into <paramref name="table"/> fail when <paramref name="when"/> holds; disposing drops it.</summary>
    private static async Task<IAsyncDisposable> FailInsertAsync(TestApp app, string table, string when)
    {
        var name = $"fail_{Guid.NewGuid():N}";
        string create, drop;
        if (app.Engine == Engine.Sqlite)
        {
            create = $"""CREATE TRIGGER "{name}" BEFORE INSERT ON "{table}" WHEN {when} BEGIN SELECT RAISE(ABORT, 'injected failure'); END;""";
            drop = $"""DROP TRIGGER "{name}";""";
        }
        else
        {
            create = $"""
                CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
                CREATE TRIGGER "{name}" BEFORE INSERT ON "{table}" FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION "{name}"();
                """;
            drop = $"""DROP TRIGGER "{name}" ON "{table}"; DROP FUNCTION "{name}"();""";
        }

        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(create));
        return new Trigger(app, drop);
    }

    private sealed class Trigger(TestApp app, string drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(drop));
    }
}
