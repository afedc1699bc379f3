using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atiende.Server.Tests.Infrastructure;

namespace Atiende.Server.Tests.Access;

/// <summary>Who sees and does what, tested from outside as a customer, an agent and an admin.</summary>
public sealed class PermissionTests
{
    private const long MissingId = 999_999_999;
    private static readonly string[] CustomerStatuses = ["open", "awaiting_reply", "resolved", "closed"];
    private static readonly string[] Vip = ["vip"];

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_SeesOnlyOwnTickets_InListAndGet(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var alice = await app.NewUserAsync("customer");
        var bob = await app.NewUserAsync("customer");
        var own = (await alice.Client.CreateTicketAsync(new { subject = "Printer jams", body = "Every second page." })).Id();
        var other = (await bob.Client.CreateTicketAsync(new { subject = "Laptop is slow", body = "Since the update." })).Id();
        var forAlice = (await app.Admin.CreateTicketAsync(new { subject = "Your order", body = "Logged by phone.", requester = new { email = alice.Email } })).Id();

        var list = await alice.Client.ItemsAsync("tickets?limit=200");
        Assert.Equal([forAlice, own], list.Select(t => t.Id()));
        Assert.Equal(own, (await alice.Client.GetTicketAsync(own)).Id());
        await (await alice.Client.GetAsync($"tickets/{other}")).EnsureProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(other, (await alice.Client.ItemsAsync($"tickets?requesterId={bob.Id}")).Select(t => t.Id()));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_AnotherCustomersTicket_AnswersExactlyLikeAMissingId(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var alice = await app.NewUserAsync("customer");
        var bob = await app.NewUserAsync("customer");
        var other = (await bob.Client.CreateTicketAsync(new { subject = "Bob's secret", body = "Only Bob may read this." })).Id();

        (HttpMethod Method, string Path, object? Body)[] calls =
        [
            (HttpMethod.Get, "tickets/{0}", null),
            (HttpMethod.Get, "tickets/{0}/articles", null),
            (HttpMethod.Get, "tickets/{0}/history", null),
            (HttpMethod.Post, "tickets/{0}/articles", new { body = "Let me in." }),
            (HttpMethod.Post, "tickets/{0}/confirm", null),
        ];
        foreach (var (method, path, body) in calls)
        {
            var forbidden = await alice.Client.SendAsync(Request(method, Format(path, other), body));
            var missing = await alice.Client.SendAsync(Request(method, Format(path, MissingId), body));
            var forbiddenProblem = await forbidden.EnsureProblem(HttpStatusCode.NotFound);
            var missingProblem = await missing.EnsureProblem(HttpStatusCode.NotFound);
            Assert.Equal(Shape(missingProblem), Shape(forbiddenProblem));
            Assert.Equal(missingProblem.Str("title"), forbiddenProblem.Str("title"));
            Assert.Equal(
                missingProblem.Detail().Replace(Id(MissingId), "{id}", StringComparison.Ordinal),
                forbiddenProblem.Detail().Replace(Id(other), "{id}", StringComparison.Ordinal));
        }

        // Nothing was written to Bob's ticket through the forbidden calls.
        Assert.Single(await bob.Client.ItemsAsync($"tickets/{other}/articles"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_SeesOrganizationTickets_OnlyWhileTheOrganizationShares(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var sharing = await app.NewOrganizationAsync(sharesTickets: true);
        var closed = await app.NewOrganizationAsync(sharesTickets: false);
        var ana = await app.NewUserAsync("customer", sharing);
        var ben = await app.NewUserAsync("customer", sharing);
        var cam = await app.NewUserAsync("customer", closed);
        var dan = await app.NewUserAsync("customer", closed);
        var bens = (await ben.Client.CreateTicketAsync(new { subject = "Office Wi-Fi", body = "Down on floor 2." })).Id();
        var dans = (await dan.Client.CreateTicketAsync(new { subject = "Payroll question", body = "My payslip is wrong." })).Id();

        Assert.Contains(bens, (await ana.Client.ItemsAsync("tickets?limit=200")).Select(t => t.Id()));
        Assert.Equal(bens, (await ana.Client.GetTicketAsync(bens)).Id());
        Assert.DoesNotContain(dans, (await cam.Client.ItemsAsync("tickets?limit=200")).Select(t => t.Id()));
        await (await cam.Client.GetAsync($"tickets/{dans}")).EnsureProblem(HttpStatusCode.NotFound);

        // Changing whether an organization shares takes effect at once, both ways.
        await (await app.Admin.PatchAsJsonAsync($"organizations/{closed}", new { sharesTickets = true })).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(dans, (await cam.Client.GetTicketAsync(dans)).Id());
        await (await app.Admin.PatchAsJsonAsync($"organizations/{sharing}", new { sharesTickets = false })).EnsureStatus(HttpStatusCode.OK);
        await (await ana.Client.GetAsync($"tickets/{bens}")).EnsureProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(bens, (await ana.Client.ItemsAsync("tickets?limit=200")).Select(t => t.Id()));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_NeverSeesInternalNotes(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Invoice missing", body = "I did not get my invoice." })).Id();
        await agent.Client.ReplyAsync(id, "Finance says the customer is in arrears.", isInternal: true);
        await agent.Client.ReplyAsync(id, "We have sent it again.");

        var customerThread = await customer.Client.ItemsAsync($"tickets/{id}/articles");
        Assert.Equal(["I did not get my invoice.", "We have sent it again."], customerThread.Select(a => a.Str("body")));
        Assert.All(customerThread, a => Assert.False(a.GetProperty("internal").GetBoolean()));
        var agentThread = await agent.Client.ItemsAsync($"tickets/{id}/articles");
        Assert.Contains(agentThread, a => a.GetProperty("internal").GetBoolean() && a.Str("body") == "Finance says the customer is in arrears.");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_NeverSeesInternalOrRemovedTickets(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var requester = new { email = customer.Email };
        var visible = (await agent.Client.CreateTicketAsync(new { subject = "Delivery date", body = "When?", requester })).Id();
        var internalFromStart = (await agent.Client.CreateTicketAsync(new { subject = "Credit check", body = "Check them.", requester, visibility = "internal" })).Id();
        var madeInternal = (await agent.Client.CreateTicketAsync(new { subject = "Fraud suspicion", body = "Look into it.", requester })).Id();
        await agent.Client.PatchTicketAsync(madeInternal, new { visibility = "internal" });
        var spam = (await agent.Client.CreateTicketAsync(new { subject = "Win a prize", body = "Click here.", requester })).Id();
        await agent.Client.PatchTicketAsync(spam, new { status = "spam" });

        Assert.Equal([visible], (await customer.Client.ItemsAsync("tickets?limit=200")).Select(t => t.Id()));
        foreach (var hidden in new[] { internalFromStart, madeInternal, spam })
        {
            await (await customer.Client.GetAsync($"tickets/{hidden}")).EnsureProblem(HttpStatusCode.NotFound);
            await (await customer.Client.GetAsync($"tickets/{hidden}/articles")).EnsureProblem(HttpStatusCode.NotFound);
            Assert.Equal(hidden, (await app.Admin.GetTicketAsync(hidden)).Id());
        }

        // Restored from spam, the ticket is the customer's again.
        await agent.Client.PatchTicketAsync(spam, new { status = "open" });
        Assert.Equal(spam, (await customer.Client.GetTicketAsync(spam)).Id());
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_History_HidesInternalChanges_AndShowsStatusesAsTheCustomerSeesThem(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var group = await app.NewGroupAsync(agent.Id);
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Cannot export", body = "Export button does nothing." })).Id();
        await agent.Client.PatchTicketAsync(id, new { groupId = group, assigneeId = agent.Id, tags = Vip, priority = "high" });
        await agent.Client.ReplyAsync(id, "Asked the vendor.", isInternal: true);
        await agent.Client.PatchTicketAsync(id, new { status = "on_hold" });

        // On hold reads "open", and routing fields are not shown.
        var seen = await customer.Client.GetTicketAsync(id);
        Assert.Equal("open", seen.Str("status"));
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("groupId").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("assigneeId").ValueKind);
        Assert.Empty(seen.GetProperty("tags").EnumerateArray());

        await agent.Client.ReplyAsync(id, "Fixed in today's release.");

        var staffHistory = await agent.Client.ItemsAsync($"tickets/{id}/history");
        Assert.Equal(["new>open", "open>on_hold", "on_hold>answered"], StatusMoves(staffHistory));
        Assert.Contains(staffHistory, h => Field(h) == "assigneeId");
        Assert.Contains(staffHistory, h => h.Str("kind") == "article_added" && h.Str("to") == "internal");

        var history = await customer.Client.ItemsAsync($"tickets/{id}/history");
        Assert.Equal(["open>awaiting_reply"], StatusMoves(history));
        Assert.DoesNotContain(history, h => Field(h) is "assigneeId" or "groupId" or "tags");
        Assert.DoesNotContain(history, h => h.Str("kind") == "article_added" && h.Str("to") == "internal");
        Assert.Contains(history, h => Field(h) == "priority" && h.Str("from") == "normal" && h.Str("to") == "high");
        Assert.Equal("open", Assert.Single(history, h => h.Str("kind") == "created").Str("to"));
        Assert.All(history.Where(h => Field(h) == "status"), h =>
        {
            Assert.Contains(h.Str("from"), CustomerStatuses);
            Assert.Contains(h.Str("to"), CustomerStatuses);
        });
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_CannotPatch_WriteInternalNotes_SetStatus_OrSetStaffFields(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var group = await app.NewGroupAsync(agent.Id);
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Account locked", body = "After three tries." })).Id();

        var patch = await customer.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "urgent" }, await customer.Client.ETagAsync(id));
        await patch.EnsureProblem(HttpStatusCode.Forbidden);
        Assert.Equal("normal", (await agent.Client.GetTicketAsync(id)).Str("priority"));

        var note = await customer.Client.PostAsJsonAsync($"tickets/{id}/articles", new { body = "psst", @internal = true });
        Assert.NotEmpty((await note.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("internal"));
        var status = await customer.Client.PostAsJsonAsync($"tickets/{id}/articles", new { body = "done", status = "resolved" });
        Assert.NotEmpty((await status.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("status"));
        Assert.Single(await agent.Client.ItemsAsync($"tickets/{id}/articles"));

        (string Field, object Body)[] staffFields =
        [
            ("requester", new { subject = "s", body = "b", requester = new { email = TestApp.UniqueEmail("someone") } }),
            ("groupId", new { subject = "s", body = "b", groupId = group }),
            ("assigneeId", new { subject = "s", body = "b", assigneeId = agent.Id }),
            ("tags", new { subject = "s", body = "b", tags = Vip }),
        ];
        foreach (var (field, body) in staffFields)
        {
            var refused = await customer.Client.PostAsJsonAsync("tickets", body);
            Assert.NotEmpty((await refused.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors(field));
        }

        Assert.Equal([id], (await customer.Client.ItemsAsync("tickets?limit=200")).Select(t => t.Id()));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Search_ByCustomer_NeverMatchesWordsOnlyInInternalNotes_WhileAgentsDo(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var publicWord = TestApp.UniqueWord();
        var secretWord = TestApp.UniqueWord();
        var id = (await customer.Client.CreateTicketAsync(new { subject = $"Router {publicWord}", body = "It blinks red." })).Id();
        await agent.Client.ReplyAsync(id, $"Known fault, batch {secretWord}.", isInternal: true);

        Assert.Equal([id], (await customer.Client.ItemsAsync($"tickets?q={publicWord}")).Select(t => t.Id()));
        Assert.Empty(await customer.Client.ItemsAsync($"tickets?q={secretWord}"));
        Assert.Equal([id], (await agent.Client.ItemsAsync($"tickets?q={secretWord}")).Select(t => t.Id()));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Agent_SeesOwnGroups_UnroutedAndAssignedTickets_NeverAnotherGroups(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var colleague = await app.NewUserAsync("agent");
        var mine = await app.NewGroupAsync(agent.Id);
        var theirs = await app.NewGroupAsync(colleague.Id);
        var requester = new { email = TestApp.UniqueEmail("customer") };
        var inMine = (await app.Admin.CreateTicketAsync(new { subject = "Mine", body = "b", requester, groupId = mine })).Id();
        var assigned = (await app.Admin.CreateTicketAsync(new { subject = "Assigned", body = "b", requester, groupId = mine, assigneeId = agent.Id })).Id();
        var inTheirs = (await app.Admin.CreateTicketAsync(new { subject = "Theirs", body = "b", requester, groupId = theirs })).Id();
        var unrouted = (await app.Admin.CreateTicketAsync(new { subject = "Unrouted", body = "b", requester })).Id();

        foreach (var id in new[] { inMine, assigned, unrouted })
        {
            Assert.Equal(id, (await agent.Client.GetTicketAsync(id)).Id());
        }

        await (await agent.Client.GetAsync($"tickets/{inTheirs}")).EnsureProblem(HttpStatusCode.NotFound);
        await (await agent.Client.GetAsync($"tickets/{inTheirs}/articles")).EnsureProblem(HttpStatusCode.NotFound);
        await (await agent.Client.PostAsJsonAsync($"tickets/{inTheirs}/articles", new { body = "hi" })).EnsureProblem(HttpStatusCode.NotFound);
        await (await agent.Client.PatchAsJsonAsync($"tickets/{inTheirs}", new { priority = "low" }, "*")).EnsureProblem(HttpStatusCode.NotFound);
        Assert.Empty(await agent.Client.ItemsAsync($"tickets?groupId={theirs}"));
        Assert.Equal([assigned, inMine], (await agent.Client.ItemsAsync($"tickets?groupId={mine}&sort=-id")).Select(t => t.Id()));
        Assert.Equal(inTheirs, (await colleague.Client.GetTicketAsync(inTheirs)).Id());

        // Leaving a group keeps what is assigned to you, and only that.
        await (await app.Admin.DeleteAsync($"groups/{mine}/members/{agent.Id}")).EnsureStatus(HttpStatusCode.NoContent);
        Assert.Equal(assigned, (await agent.Client.GetTicketAsync(assigned)).Id());
        await (await agent.Client.GetAsync($"tickets/{inMine}")).EnsureProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Admin_SeesEveryTicket_WhateverItsGroupOrVisibility(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var group = await app.NewGroupAsync(agent.Id);
        var customer = await app.NewUserAsync("customer");
        var requester = new { email = customer.Email };
        var grouped = (await agent.Client.CreateTicketAsync(new { subject = "Grouped", body = "b", requester, groupId = group })).Id();
        var hidden = (await agent.Client.CreateTicketAsync(new { subject = "Internal", body = "b", requester, groupId = group, visibility = "internal" })).Id();
        var own = (await customer.Client.CreateTicketAsync(new { subject = "Customer's", body = "b" })).Id();
        await agent.Client.ReplyAsync(own, "internal only", isInternal: true);

        Assert.Equal([hidden, grouped], (await app.Admin.ItemsAsync($"tickets?groupId={group}&sort=-id")).Select(t => t.Id()));
        Assert.Equal(own, (await app.Admin.GetTicketAsync(own)).Id());
        Assert.Contains(await app.Admin.ItemsAsync($"tickets/{own}/articles"), a => a.GetProperty("internal").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task OnlyAdmins_PurgeTickets(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Purge me", body = "b" })).Id();

        await (await agent.Client.PostAsync($"tickets/{id}/purge", null)).EnsureProblem(HttpStatusCode.Forbidden);
        await (await customer.Client.PostAsync($"tickets/{id}/purge", null)).EnsureProblem(HttpStatusCode.Forbidden);
        Assert.Equal(id, (await customer.Client.GetTicketAsync(id)).Id());

        await (await app.Admin.PostAsync($"tickets/{id}/purge", null)).EnsureStatus(HttpStatusCode.OK);
        await (await customer.Client.GetAsync($"tickets/{id}")).EnsureProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Customer_CannotListUsers_AndSeesNoUserButThemselves(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");
        var agent = await app.NewUserAsync("agent");

        await (await customer.Client.GetAsync("users")).EnsureProblem(HttpStatusCode.Forbidden);
        var forbidden = await (await customer.Client.GetAsync($"users/{other.Id}")).EnsureProblem(HttpStatusCode.NotFound);
        var missing = await (await customer.Client.GetAsync($"users/{MissingId}")).EnsureProblem(HttpStatusCode.NotFound);
        Assert.Equal(Shape(missing), Shape(forbidden));
        await (await customer.Client.GetAsync($"users/{agent.Id}")).EnsureProblem(HttpStatusCode.NotFound);

        var self = await customer.Client.GetAsync($"users/{customer.Id}");
        await self.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(customer.Email, (await self.Json()).Str("email"));

        // Staff may.
        await (await agent.Client.GetAsync("users")).EnsureStatus(HttpStatusCode.OK);
        await (await agent.Client.GetAsync($"users/{other.Id}")).EnsureStatus(HttpStatusCode.OK);
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    private static string Format(string path, long id) => string.Format(CultureInfo.InvariantCulture, path, id);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static List<string> Shape(JsonElement problem) => problem.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    private static string? Field(JsonElement history) => history.GetProperty("field").ValueKind == JsonValueKind.String ? history.Str("field") : null;

    private static List<string> StatusMoves(List<JsonElement> history) =>
        history.Where(h => Field(h) == "status").Select(h => $"{h.Str("from")}>{h.Str("to")}").ToList();
}
