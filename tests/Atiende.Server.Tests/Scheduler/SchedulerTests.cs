using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Scheduler;

/// <summary>
/// Time-based work on an app whose clock the tests move. The tests of this class share that app and its clock,
/// and xunit runs them one after another.
/// </summary>
public sealed class SchedulerTests
{
    private static readonly string[] Urgent = ["urgent"];

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task SnoozedTicket_WakesToItsPreviousStatus_Once(Engine engine)
    {
        var app = await TestApp.GetClocked(engine);
        var agent = await app.NewUserAsync("agent");
        var id = (await agent.Client.CreateTicketAsync(new { subject = "Call back later", body = "b", requester = new { email = TestApp.UniqueEmail("c") } })).Id();
        await agent.Client.PatchTicketAsync(id, new { status = "pending" });
        await agent.Client.PatchTicketAsync(id, new { status = "snoozed", snoozedUntil = app.Clock!.GetUtcNow().AddHours(1) });

        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await app.RunSchedulerAsync();
        Assert.Equal("snoozed", (await agent.Client.GetTicketAsync(id)).Str("status"));

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.RunSchedulerAsync();
        await app.RunSchedulerAsync();

        var ticket = await agent.Client.GetTicketAsync(id);
        Assert.Equal("pending", ticket.Str("status"));
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("snoozedUntil").ValueKind);
        var wake = Assert.Single(await StatusMoves(agent.Client, id), h => h.Str("from") == "snoozed");
        Assert.Equal("pending", wake.Str("to"));
        Assert.Equal(JsonValueKind.Null, wake.GetProperty("actor").ValueKind);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task PendingTicket_GetsOneReminder_ThenClosesAutomatically(Engine engine)
    {
        var app = await TestApp.GetClocked(engine);
        await SetTimersAsync(app);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Need the invoice", body = "b" })).Id();
        await agent.Client.ReplyAsync(id, "Which month?", status: "pending");

        app.Clock!.Advance(TimeSpan.FromDays(3).Add(TimeSpan.FromMinutes(1)));
        await app.RunSchedulerAsync();
        await app.RunSchedulerAsync();
        var history = await customer.Client.ItemsAsync($"tickets/{id}/history");
        Assert.Single(history, h => h.Str("kind") == "pending_reminder");
        Assert.Equal("awaiting_reply", (await customer.Client.GetTicketAsync(id)).Str("status"));

        app.Clock.Advance(TimeSpan.FromDays(4));
        await app.RunSchedulerAsync();
        var closed = await agent.Client.GetTicketAsync(id);
        Assert.Equal("closed", closed.Str("status"));
        Assert.Single(await StatusMoves(agent.Client, id), h => h.Str("from") == "pending" && h.Str("to") == "closed");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task ResolvedTicket_ClosesAfterItsDays_AndTrashIsPurgedAfterRetention(Engine engine)
    {
        var app = await TestApp.GetClocked(engine);
        await SetTimersAsync(app);
        var agent = await app.NewUserAsync("agent");
        var resolved = (await agent.Client.CreateTicketAsync(new { subject = "Fixed", body = "b", requester = new { email = TestApp.UniqueEmail("c") } })).Id();
        await agent.Client.ReplyAsync(resolved, "Done.", status: "resolved");
        var trashed = (await agent.Client.CreateTicketAsync(new { subject = "Junk", body = "b", requester = new { email = TestApp.UniqueEmail("c") } })).Id();
        await agent.Client.PatchTicketAsync(trashed, new { status = "deleted" });

        app.Clock!.Advance(TimeSpan.FromDays(5).Add(TimeSpan.FromMinutes(1)));
        await app.RunSchedulerAsync();
        Assert.Equal("closed", (await agent.Client.GetTicketAsync(resolved)).Str("status"));
        Assert.Equal("deleted", (await app.Admin.GetTicketAsync(trashed)).Str("status"));

        app.Clock.Advance(TimeSpan.FromDays(25));
        await app.RunSchedulerAsync();
        await (await app.Admin.GetAsync($"tickets/{trashed}")).EnsureStatus(HttpStatusCode.NotFound);
        var tombstone = await app.WithDbAsync(db => db.Tombstones.SingleAsync(t => t.TicketId == trashed));
        Assert.Null(tombstone.PurgedById);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task SlaEscalation_WarnsBreachesAndReassigns_EachExactlyOnce(Engine engine)
    {
        var app = await TestApp.GetClocked(engine);
        var (agent, lead, group, tag) = await SlaSetupAsync(app, firstResponseMinutes: 60, reassignAfterMinutes: 30);
        var id = (await agent.Client.CreateTicketAsync(new
        {
            subject = "Server down",
            body = "b",
            requester = new { email = TestApp.UniqueEmail("c") },
            tags = new[] { tag },
            groupId = group,
            assigneeId = agent.Id,
        })).Id();
        var created = app.Clock!.GetUtcNow();
        var first = FirstResponse(await agent.Client.GetTicketAsync(id));
        Assert.Equal("ok", first.Str("state"));
        Assert.Equal(created.AddMinutes(60), first.GetProperty("dueAt").GetDateTimeOffset());

        app.Clock.Advance(TimeSpan.FromMinutes(46));
        await app.RunSchedulerAsync();
        Assert.Equal("warning", FirstResponse(await agent.Client.GetTicketAsync(id)).Str("state"));
        Assert.Single(await Notifications(agent.Client, id), n => n.Str("kind") == "sla_warning");

        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await app.RunSchedulerAsync();
        Assert.Equal("breached", FirstResponse(await agent.Client.GetTicketAsync(id)).Str("state"));
        Assert.Single(await Notifications(agent.Client, id), n => n.Str("kind") == "sla_breach");
        Assert.Single(await Notifications(lead.Client, id), n => n.Str("kind") == "sla_breach");

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await app.RunSchedulerAsync();
        await app.RunSchedulerAsync();
        app.Clock.Advance(TimeSpan.FromHours(5));
        await app.RunSchedulerAsync();

        var ticket = await lead.Client.GetTicketAsync(id);
        Assert.Equal(lead.Id, ticket.GetProperty("assigneeId").GetInt64());
        var history = await app.Admin.ItemsAsync($"tickets/{id}/history");
        Assert.Single(history, h => h.Str("kind") == "sla_warning");
        Assert.Single(history, h => h.Str("kind") == "sla_breach");
        Assert.Single(history, h => h.Str("kind") == "sla_reassign");
        Assert.Single(await Notifications(agent.Client, id), n => n.Str("kind") == "sla_warning");
        Assert.Single(await Notifications(lead.Client, id), n => n.Str("kind") == "sla_breach");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task SlaClock_PausesWhileWaitingOnTheCustomer_AndPriorityChangeReplans(Engine engine)
    {
        var app = await TestApp.GetClocked(engine);
        var (agent, _, group, tag) = await SlaSetupAsync(app, firstResponseMinutes: 240, reassignAfterMinutes: null, urgentFirstResponseMinutes: 30);
        var id = (await agent.Client.CreateTicketAsync(new
        {
            subject = "Slow page",
            body = "b",
            requester = new { email = TestApp.UniqueEmail("c") },
            tags = new[] { tag },
            groupId = group,
        })).Id();
        var created = app.Clock!.GetUtcNow();
        Assert.Equal(created.AddMinutes(240), FirstResponse(await agent.Client.GetTicketAsync(id)).GetProperty("dueAt").GetDateTimeOffset());

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var urgent = FirstResponse(await agent.Client.PatchTicketAsync(id, new { priority = "urgent" }));
        Assert.Equal(created.AddMinutes(30), urgent.GetProperty("dueAt").GetDateTimeOffset());

        await agent.Client.PatchTicketAsync(id, new { status = "pending" });
        app.Clock.Advance(TimeSpan.FromHours(3));
        await app.RunSchedulerAsync();
        var paused = FirstResponse(await agent.Client.GetTicketAsync(id));
        Assert.Equal("paused", paused.Str("state"));
        Assert.Equal(10, paused.GetProperty("elapsedMinutes").GetInt32());
        Assert.DoesNotContain(await app.Admin.ItemsAsync($"tickets/{id}/history"), h => h.Str("kind") == "sla_breach");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task APassWithNothingDue_DoesNothing_AndCatchesUpLater(Engine engine)
    {
        var app = await TestApp.GetClocked(engine);
        await app.RunSchedulerAsync(); // drain whatever earlier tests left due
        var idle = await app.RunSchedulerAsync();
        Assert.True(idle.Leader);
        Assert.Equal(0, idle.Total);

        // While no pass runs (a restart), work falls due; the next pass catches up on all of it.
        var agent = await app.NewUserAsync("agent");
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await agent.Client.CreateTicketAsync(new { subject = $"Later {i}", body = "b", requester = new { email = TestApp.UniqueEmail("c") } })).Id();
            await agent.Client.PatchTicketAsync(id, new { status = "snoozed", snoozedUntil = app.Clock!.GetUtcNow().AddMinutes(5 + i) });
            ids.Add(id);
        }

        app.Clock!.Advance(TimeSpan.FromDays(2));
        var pass = await app.RunSchedulerAsync();
        Assert.True(pass.Done["WakeUp"] >= 3);
        foreach (var id in ids)
        {
            Assert.Equal("new", (await agent.Client.GetTicketAsync(id)).Str("status"));
        }
    }

    private static async Task SetTimersAsync(TestApp app)
    {
        var response = await app.Admin.PutAsJsonAsync("admin/lifecycle-timers",
            new { pendingReminderDays = 3, pendingAutoCloseDays = 7, resolvedAutoCloseDays = 5, trashRetentionDays = 30 });
        await response.EnsureStatus(HttpStatusCode.OK);
    }

    private static async Task<(TestUser Agent, TestUser Lead, long Group, string Tag)> SlaSetupAsync(
        TestApp app, int firstResponseMinutes, int? reassignAfterMinutes, int? urgentFirstResponseMinutes = null)
    {
        var agent = await app.NewUserAsync("agent");
        var lead = await app.NewUserAsync("agent");
        var group = await app.NewGroupAsync(agent.Id, lead.Id);
        (await app.Admin.PatchAsJsonAsync($"groups/{group}", new { leadId = lead.Id }, ifMatch: null)).EnsureSuccessStatusCode();
        var tag = $"sla-{Guid.NewGuid():N}";
        if (urgentFirstResponseMinutes is { } urgent)
        {
            var fast = await app.Admin.PostAsJsonAsync("admin/sla-policies", new
            {
                name = $"Urgent {tag}",
                position = 1,
                conditions = new { tags = new[] { tag }, priorities = Urgent },
                firstResponseMinutes = urgent,
            });
            await fast.EnsureStatus(HttpStatusCode.Created);
        }

        var policy = await app.Admin.PostAsJsonAsync("admin/sla-policies", new
        {
            name = $"Policy {tag}",
            position = 2,
            conditions = new { tags = new[] { tag } },
            firstResponseMinutes,
            resolutionMinutes = 24 * 60,
            warningPercent = 75,
            notifyLeadOnBreach = true,
            reassignAfterMinutes,
        });
        await policy.EnsureStatus(HttpStatusCode.Created);
        return (agent, lead, group, tag);
    }

    private static JsonElement FirstResponse(JsonElement ticket) =>
        ticket.GetProperty("sla").EnumerateArray().Single(t => t.Str("kind") == "first_response");

    private static async Task<List<JsonElement>> StatusMoves(HttpClient client, long id) =>
        (await client.ItemsAsync($"tickets/{id}/history"))
            .Where(h => h.GetProperty("field").ValueKind == JsonValueKind.String && h.Str("field") == "status").ToList();

    private static async Task<List<JsonElement>> Notifications(HttpClient client, long ticketId) =>
        (await client.ItemsAsync("notifications?limit=200"))
            .Where(n => n.GetProperty("ticketId").ValueKind == JsonValueKind.Number && n.GetProperty("ticketId").GetInt64() == ticketId).ToList();
}
