using System.Net;
using System.Net.Http.Json;
using Atiende.Server.Tests.Infrastructure;

namespace Atiende.Server.Tests.Tickets;

public sealed class TicketLifecycleApiTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task WholeLifecycle_FromCustomerRequestToFollowUp(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var group = await app.NewGroupAsync(agent.Id);
        var customer = await app.NewUserAsync("customer");

        // Customer creates: new.
        var created = await customer.Client.CreateTicketAsync(new { subject = "VPN drops every hour", body = "Since Monday the VPN disconnects." });
        var id = created.Id();
        Assert.Equal("open", created.Str("status")); // customers see the plain status
        Assert.Equal("new", (await agent.Client.GetTicketAsync(id)).Str("status"));

        // Agent routes and takes it: assigning a new ticket opens it.
        var assigned = await agent.Client.PatchTicketAsync(id, new { groupId = group, assigneeId = agent.Id });
        Assert.Equal("open", assigned.Str("status"));

        // Agent replies publicly: answered, first response stamped.
        await agent.Client.ReplyAsync(id, "Please send the client log.");
        var answered = await agent.Client.GetTicketAsync(id);
        Assert.Equal("answered", answered.Str("status"));
        Assert.NotEqual(JsonValueKindNull, answered.GetProperty("firstRespondedAt").ValueKind);

        // Customer replies: back to open.
        await customer.Client.ReplyAsync(id, "Here it is.");
        Assert.Equal("open", (await agent.Client.GetTicketAsync(id)).Str("status"));

        // Agent resolves with the reply.
        await agent.Client.ReplyAsync(id, "Update the client to 5.2; that fixes it.", status: "resolved");
        var resolved = await customer.Client.GetTicketAsync(id);
        Assert.Equal("resolved", resolved.Str("status"));
        Assert.NotEqual(JsonValueKindNull, resolved.GetProperty("resolvedAt").ValueKind);

        // Customer confirms: closed.
        var confirm = await customer.Client.PostAsync($"tickets/{id}/confirm", null);
        await confirm.EnsureStatus(HttpStatusCode.OK);
        var closed = await agent.Client.GetTicketAsync(id);
        Assert.Equal("closed", closed.Str("status"));
        Assert.NotEqual(JsonValueKindNull, closed.GetProperty("closedAt").ValueKind);

        // Closed is locked for agents.
        var locked = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "high" }, await agent.Client.ETagAsync(id));
        await locked.EnsureStatus(HttpStatusCode.Conflict);
        var lockedReply = await agent.Client.PostAsJsonAsync($"tickets/{id}/articles", new { body = "one more thing" });
        await lockedReply.EnsureStatus(HttpStatusCode.Conflict);

        // A customer reply to the closed ticket starts a follow-up linked to it; the closed one is untouched.
        var reply = await customer.Client.ReplyAsync(id, "It came back today.");
        Assert.True(reply.GetProperty("followUpCreated").GetBoolean());
        var followUpId = reply.GetProperty("ticketId").GetInt64();
        Assert.NotEqual(id, followUpId);
        var followUp = await agent.Client.GetTicketAsync(followUpId);
        Assert.Equal("new", followUp.Str("status"));
        Assert.Equal(group, followUp.GetProperty("groupId").GetInt64());
        Assert.Contains(followUp.GetProperty("links").EnumerateArray(), l => l.Str("kind") == "follow_up_of" && l.GetProperty("ticketId").GetInt64() == id);
        Assert.Contains((await agent.Client.GetTicketAsync(id)).GetProperty("links").EnumerateArray(), l => l.Str("kind") == "follow_up" && l.GetProperty("ticketId").GetInt64() == followUpId);
        Assert.Equal("closed", (await agent.Client.GetTicketAsync(id)).Str("status"));
        var followUpThread = await customer.Client.ItemsAsync($"tickets/{followUpId}/articles");
        Assert.Equal("It came back today.", Assert.Single(followUpThread).Str("body"));

        // Every step is on the history with its actor.
        var history = await agent.Client.ItemsAsync($"tickets/{id}/history");
        var statusMoves = history.Where(h => h.GetProperty("field").ValueKind == System.Text.Json.JsonValueKind.String && h.Str("field") == "status")
            .Select(h => $"{h.Str("from")}>{h.Str("to")}").ToList();
        Assert.Equal(["new>open", "open>answered", "answered>open", "open>resolved", "resolved>closed"], statusMoves);
        Assert.All(history, h => Assert.Equal(System.Text.Json.JsonValueKind.Object, h.GetProperty("actor").ValueKind));
        Assert.Contains(history, h => h.Str("kind") == "follow_up_created" && h.Str("to") == followUpId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AgentCreatedOutbound_StartsAnswered_InboundPhoneCall_StartsNew(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = TestApp.UniqueEmail("caller");

        var outbound = await agent.Client.CreateTicketAsync(new { subject = "Your renewal", body = "Your licence renews next week.", requester = new { email = requester }, direction = "outbound" });
        Assert.Equal("answered", outbound.Str("status"));

        var call = await agent.Client.CreateTicketAsync(new { subject = "Caller cannot log in", body = "Customer called: password reset fails.", requester = new { email = requester, name = "Caller" }, channel = "phone" });
        Assert.Equal("new", call.Str("status"));
        Assert.Equal("phone", call.Str("channel"));
        Assert.Equal(requester, call.GetProperty("requester").Str("email"));

        // The phone call's words are the requester's, entered by the agent.
        var article = Assert.Single(await agent.Client.ItemsAsync($"tickets/{call.Id()}/articles"));
        Assert.Equal(call.GetProperty("requester").Id(), article.GetProperty("author").Id());
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task SnoozeAndRestore_ThroughPatch(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var ticket = await agent.Client.CreateTicketAsync(new { subject = "Call back in spring", body = "b", requester = new { email = TestApp.UniqueEmail("c") } });
        var id = ticket.Id();
        await agent.Client.PatchTicketAsync(id, new { status = "pending" });

        var missingWake = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { status = "snoozed" }, await agent.Client.ETagAsync(id));
        await missingWake.EnsureStatus(HttpStatusCode.Conflict);

        var wake = new DateTimeOffset(2030, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var snoozed = await agent.Client.PatchTicketAsync(id, new { status = "snoozed", snoozedUntil = wake });
        Assert.Equal("snoozed", snoozed.Str("status"));
        Assert.Equal(wake, snoozed.GetProperty("snoozedUntil").GetDateTimeOffset());

        var later = wake.AddDays(7);
        var moved = await agent.Client.PatchTicketAsync(id, new { snoozedUntil = later });
        Assert.Equal(later, moved.GetProperty("snoozedUntil").GetDateTimeOffset());

        var spam = await agent.Client.PatchTicketAsync(id, new { status = "spam" });
        Assert.Equal("spam", spam.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, spam.GetProperty("snoozedUntil").ValueKind);
        var restored = await agent.Client.PatchTicketAsync(id, new { status = "open" });
        Assert.Equal("open", restored.Str("status"));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
