using System.Net;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Tickets;

/// <summary>Purging erases a ticket's content for good and leaves only a tombstone: id, when, by whom.</summary>
public sealed class PurgeTicketTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Purge_ErasesTheTicketForEveryone_AndLeavesATombstone(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var word = TestApp.UniqueWord();
        var id = (await customer.Client.CreateTicketAsync(new { subject = $"Contract {word}", body = $"Clause {word} is wrong." })).Id();
        await agent.Client.ReplyAsync(id, $"Legal note on {word}.", isInternal: true);
        await agent.Client.PatchTicketAsync(id, new { tags = new[] { word }, cc = new[] { TestApp.UniqueEmail("cc") } });
        Assert.Equal([id], (await app.Admin.ItemsAsync($"tickets?q={word}")).Select(t => t.Id()));
        var adminId = (await (await app.Admin.GetAsync("auth/me")).Json()).Id();
        var before = TimeProvider.System.GetUtcNow();

        var response = await app.Admin.PostAsync($"tickets/{id}/purge", null);
        await response.EnsureStatus(HttpStatusCode.OK);
        var tombstone = await response.Json();
        Assert.Equal(id, tombstone.GetProperty("ticketId").GetInt64());
        Assert.Equal(adminId, tombstone.GetProperty("purgedById").GetInt64());
        Assert.InRange(tombstone.GetProperty("purgedAt").GetDateTimeOffset(), before.AddSeconds(-5), TimeProvider.System.GetUtcNow().AddSeconds(5));

        foreach (var client in new[] { app.Admin, agent.Client, customer.Client })
        {
            await (await client.GetAsync($"tickets/{id}")).EnsureProblem(HttpStatusCode.NotFound);
            await (await client.GetAsync($"tickets/{id}/articles")).EnsureProblem(HttpStatusCode.NotFound);
            await (await client.GetAsync($"tickets/{id}/history")).EnsureProblem(HttpStatusCode.NotFound);
        }

        Assert.Empty(await app.Admin.ItemsAsync($"tickets?q={word}"));
        Assert.Empty(await app.Admin.ItemsAsync($"tickets?tag={word}"));
        var left = await app.WithDbAsync(async db => new
        {
            Tickets = await db.Tickets.CountAsync(t => t.Id == id),
            Articles = await db.Articles.CountAsync(a => a.TicketId == id),
            History = await db.History.CountAsync(h => h.TicketId == id),
            Tags = await db.TicketTags.CountAsync(t => t.TicketId == id),
            Cc = await db.TicketCcs.CountAsync(c => c.TicketId == id),
            Tombstone = await db.Tombstones.SingleAsync(t => t.TicketId == id),
        });
        Assert.Equal((0, 0, 0, 0, 0), (left.Tickets, left.Articles, left.History, left.Tags, left.Cc));
        Assert.Equal(adminId, left.Tombstone.PurgedById);
        Assert.Equal(tombstone.GetProperty("purgedAt").GetDateTimeOffset(), left.Tombstone.PurgedAt, TimeSpan.FromMilliseconds(1));

        // A second purge finds nothing to purge.
        await (await app.Admin.PostAsync($"tickets/{id}/purge", null)).EnsureProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Purge_OfTheNewestTicket_NeverHandsItsIdOutAgain(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var requester = new { email = TestApp.UniqueEmail("customer") };
        var newest = (await app.Admin.CreateTicketAsync(new { subject = "Soon gone", body = "b", requester })).Id();
        await (await app.Admin.PostAsync($"tickets/{newest}/purge", null)).EnsureStatus(HttpStatusCode.OK);

        var next = (await app.Admin.CreateTicketAsync(new { subject = "After the purge", body = "b", requester })).Id();
        Assert.True(next > newest, $"Ticket id {newest} was purged, then handed out again as {next}.");
        await (await app.Admin.GetAsync($"tickets/{newest}")).EnsureProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Purge_OfAClosedTicket_RemovesTheLinkFromItsFollowUp(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var closed = (await customer.Client.CreateTicketAsync(new { subject = "Refund", body = "Please refund order 7." })).Id();
        await agent.Client.ReplyAsync(closed, "Refunded.", status: "resolved");
        await (await customer.Client.PostAsync($"tickets/{closed}/confirm", null)).EnsureStatus(HttpStatusCode.OK);
        var followUp = (await customer.Client.ReplyAsync(closed, "The refund did not arrive.")).GetProperty("ticketId").GetInt64();
        Assert.NotEmpty((await agent.Client.GetTicketAsync(followUp)).GetProperty("links").EnumerateArray());

        await (await app.Admin.PostAsync($"tickets/{closed}/purge", null)).EnsureStatus(HttpStatusCode.OK);

        var remaining = await customer.Client.GetTicketAsync(followUp);
        Assert.Empty(remaining.GetProperty("links").EnumerateArray());
        Assert.Equal(0, await app.WithDbAsync(db => db.TicketLinks.CountAsync(l => l.TicketId == closed || l.LinkedTicketId == closed)));
        Assert.Equal(["The refund did not arrive."], (await customer.Client.ItemsAsync($"tickets/{followUp}/articles")).Select(a => a.Str("body")));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Purge_OfAMissingTicket_Is404(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var response = await app.Admin.PostAsync("tickets/999999999/purge", null);
        await response.EnsureProblem(HttpStatusCode.NotFound);
        Assert.False(await app.WithDbAsync(db => db.Tombstones.AnyAsync(t => t.TicketId == 999_999_999)));
    }
}
