using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atiende.Server.Tests.Infrastructure;

namespace Atiende.Server.Tests.Tickets;

/// <summary>Filters, sorts, cursor pages and full-text search. Each test lists inside its own fresh group or requester.</summary>
public sealed class TicketListTests
{
    private static readonly string[] SortKeys = ["-updatedAt", "updatedAt", "-createdAt", "createdAt", "-priority", "priority", "-id", "id"];

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task FilterByStatusAndCategory_TakesOneValueOrACommaList(Engine engine)
    {
        var (_, agent, group) = await FreshGroupAsync(engine);
        var fresh = await NewTicketAsync(agent.Client, group);
        var pending = await NewTicketAsync(agent.Client, group);
        await agent.Client.PatchTicketAsync(pending, new { status = "pending" });
        var onHold = await NewTicketAsync(agent.Client, group);
        await agent.Client.PatchTicketAsync(onHold, new { status = "on_hold" });
        var resolved = await NewTicketAsync(agent.Client, group);
        await agent.Client.PatchTicketAsync(resolved, new { status = "resolved" });

        Assert.Equal([pending], await IdsAsync(agent.Client, $"tickets?groupId={group}&status=pending"));
        Assert.Equal([onHold, pending], await IdsAsync(agent.Client, $"tickets?groupId={group}&status=pending,on_hold&sort=-id"));
        Assert.Equal([fresh], await IdsAsync(agent.Client, $"tickets?groupId={group}&statusCategory=new"));
        Assert.Equal([resolved, onHold, pending], await IdsAsync(agent.Client, $"tickets?groupId={group}&statusCategory=waiting_customer,waiting_internal,resolved&sort=-id"));
        Assert.Empty(await IdsAsync(agent.Client, $"tickets?groupId={group}&statusCategory=closed"));
        var unknown = await agent.Client.GetAsync($"tickets?groupId={group}&statusCategory=waiting");
        Assert.NotEmpty((await unknown.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("statusCategory"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task FilterByAssignee_TakesAnId_Me_OrNone(Engine engine)
    {
        var (app, agent, group) = await FreshGroupAsync(engine);
        var colleague = await app.NewUserAsync("agent");
        await (await app.Admin.PostAsJsonAsync($"groups/{group}/members", new { userId = colleague.Id })).EnsureStatus(HttpStatusCode.NoContent);
        var mine = await NewTicketAsync(agent.Client, group, new { assigneeId = agent.Id });
        var theirs = await NewTicketAsync(agent.Client, group, new { assigneeId = colleague.Id });
        var nobodys = await NewTicketAsync(agent.Client, group);

        Assert.Equal([mine], await IdsAsync(agent.Client, $"tickets?groupId={group}&assigneeId=me"));
        Assert.Equal([theirs], await IdsAsync(colleague.Client, $"tickets?groupId={group}&assigneeId=me"));
        Assert.Equal([theirs], await IdsAsync(agent.Client, $"tickets?groupId={group}&assigneeId={colleague.Id}"));
        Assert.Equal([nobodys], await IdsAsync(agent.Client, $"tickets?groupId={group}&assigneeId=none"));
        var bad = await agent.Client.GetAsync($"tickets?groupId={group}&assigneeId=someone");
        Assert.NotEmpty((await bad.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("assigneeId"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task FilterByGroupRequesterAndTag_CombineWithAnd(Engine engine)
    {
        var (app, agent, group) = await FreshGroupAsync(engine);
        var otherGroup = await app.NewGroupAsync(agent.Id);
        var customer = await app.NewUserAsync("customer");
        var tag = $"t{TestApp.UniqueWord()}";
        var tagged = await NewTicketAsync(agent.Client, group, new { tags = new[] { tag, "billing" } });
        var taggedByCustomer = await NewTicketAsync(agent.Client, group, new { tags = new[] { tag }, requester = new { email = customer.Email } });
        var byCustomerElsewhere = await NewTicketAsync(agent.Client, otherGroup, new { requester = new { email = customer.Email } });
        var taggedElsewhere = await NewTicketAsync(agent.Client, otherGroup, new { tags = new[] { tag } });

        Assert.Equal([taggedByCustomer, tagged], await IdsAsync(agent.Client, $"tickets?groupId={group}&sort=-id"));
        Assert.Equal([byCustomerElsewhere, taggedByCustomer], await IdsAsync(agent.Client, $"tickets?requesterId={customer.Id}&sort=-id"));
        Assert.Equal([taggedElsewhere, taggedByCustomer, tagged], await IdsAsync(agent.Client, $"tickets?tag={tag.ToUpperInvariant()}&sort=-id"));
        Assert.Equal([taggedByCustomer], await IdsAsync(agent.Client, $"tickets?tag={tag}&groupId={group}&requesterId={customer.Id}"));
        Assert.Equal([byCustomerElsewhere], await IdsAsync(agent.Client, $"tickets?groupId={otherGroup}&requesterId={customer.Id}"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Sort_DefaultsToLastUpdatedFirst_AndOrdersByCreationOrPriority(Engine engine)
    {
        var (_, agent, group) = await FreshGroupAsync(engine);
        var low = await NewTicketAsync(agent.Client, group, new { priority = "low" });
        var urgent = await NewTicketAsync(agent.Client, group, new { priority = "urgent" });
        var normal = await NewTicketAsync(agent.Client, group, new { priority = "normal" });
        var high = await NewTicketAsync(agent.Client, group, new { priority = "high" });
        await agent.Client.ReplyAsync(urgent, "On it."); // the oldest but one is now the latest updated

        Assert.Equal([urgent, high, normal, low], await IdsAsync(agent.Client, $"tickets?groupId={group}"));
        Assert.Equal([low, normal, high, urgent], await IdsAsync(agent.Client, $"tickets?groupId={group}&sort=updatedAt"));
        Assert.Equal([low, urgent, normal, high], await IdsAsync(agent.Client, $"tickets?groupId={group}&sort=createdAt"));
        Assert.Equal([high, normal, urgent, low], await IdsAsync(agent.Client, $"tickets?groupId={group}&sort=-createdAt"));
        Assert.Equal([urgent, high, normal, low], await IdsAsync(agent.Client, $"tickets?groupId={group}&sort=-priority"));
        Assert.Equal([low, normal, high, urgent], await IdsAsync(agent.Client, $"tickets?groupId={group}&sort=priority"));
        var unknown = await agent.Client.GetAsync($"tickets?groupId={group}&sort=subject");
        Assert.NotEmpty((await unknown.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("sort"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task CursorPages_WalkEveryTicketExactlyOnce_InEverySort(Engine engine)
    {
        var (_, agent, group) = await FreshGroupAsync(engine);
        string[] priorities = ["low", "normal", "normal", "high", "normal", "urgent", "low"]; // ties cross page borders
        var created = new List<long>();
        foreach (var priority in priorities)
        {
            created.Add(await NewTicketAsync(agent.Client, group, new { priority }));
        }

        await agent.Client.ReplyAsync(created[2], "Touched, so updatedAt differs from creation order.");
        foreach (var sort in SortKeys)
        {
            var whole = await IdsAsync(agent.Client, $"tickets?groupId={group}&sort={sort}&limit=200");
            var walked = new List<long>();
            var pageSizes = new List<int>();
            string? cursor = null;
            do
            {
                var url = $"tickets?groupId={group}&sort={sort}&limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
                var response = await agent.Client.GetAsync(url);
                await response.EnsureStatus(HttpStatusCode.OK);
                var page = await response.Json();
                var ids = page.GetProperty("items").EnumerateArray().Select(t => t.Id()).ToList();
                walked.AddRange(ids);
                pageSizes.Add(ids.Count);
                cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.Str("nextCursor");
            }
            while (cursor is not null && pageSizes.Count < 10);

            Assert.Equal([3, 3, 1], pageSizes);
            Assert.Equal(whole, walked);
            Assert.Equal(created.Order(), walked.Order());
        }
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Search_FindsWordsInSubjectsAndInEveryArticle(Engine engine)
    {
        var (app, agent, group) = await FreshGroupAsync(engine);
        var inSubject = TestApp.UniqueWord();
        var inBody = TestApp.UniqueWord();
        var inReply = TestApp.UniqueWord();
        var renamed = TestApp.UniqueWord();
        var bySubject = await NewTicketAsync(agent.Client, group, new { subject = $"Scanner {inSubject} offline" });
        var byBody = await NewTicketAsync(agent.Client, group, new { body = $"The label reads {inBody}, then it stops." });
        var byReply = await NewTicketAsync(agent.Client, group);
        await agent.Client.ReplyAsync(byReply, $"Please try firmware {inReply}.");

        Assert.Equal([bySubject], await IdsAsync(agent.Client, $"tickets?q={inSubject}"));
        Assert.Equal([byBody], await IdsAsync(agent.Client, $"tickets?q={inBody}"));
        Assert.Equal([byReply], await IdsAsync(agent.Client, $"tickets?q={inReply}"));
        Assert.Equal([byReply], await IdsAsync(agent.Client, $"tickets?q={Uri.EscapeDataString($"firmware {inReply}")}"));
        Assert.Empty(await IdsAsync(agent.Client, $"tickets?q={Uri.EscapeDataString($"{inReply} {inBody}")}")); // words are ANDed
        Assert.Empty(await IdsAsync(agent.Client, $"tickets?q={inSubject}&groupId={await app.NewGroupAsync()}"));

        // A new subject is searchable at once, and the old one no longer is.
        await agent.Client.PatchTicketAsync(bySubject, new { subject = $"Scanner {renamed}" });
        Assert.Equal([bySubject], await IdsAsync(agent.Client, $"tickets?q={renamed}"));
        Assert.Empty(await IdsAsync(agent.Client, $"tickets?q={inSubject}"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Search_TreatsQuotesAndOperatorsAsText_NeverA500(Engine engine)
    {
        var (_, agent, group) = await FreshGroupAsync(engine);
        var word = TestApp.UniqueWord();
        var id = await NewTicketAsync(agent.Client, group, new { subject = $"Quote test {word}" });

        string[] hostile =
        [
            "\"foo", "a OR b*", "\"", "'", "*", "-", "NEAR(a b)", "a AND NOT b", "subject:foo", "(", ")", "^a", "a & b | !c",
            "foo:*", "\\", "%", "_", "'; DROP TABLE \"Tickets\"; --", "{a}", "a\"b\"c", "\u00e9t\u00e9", "\U0001F600",
        ];
        foreach (var q in hostile)
        {
            var response = await agent.Client.GetAsync($"tickets?groupId={group}&q={Uri.EscapeDataString(q)}");
            await response.EnsureStatus(HttpStatusCode.OK);
        }

        // Operators around a word are read as plain text: the word is still found.
        Assert.Equal([id], await IdsAsync(agent.Client, $"tickets?groupId={group}&q={Uri.EscapeDataString($"\"{word}")}"));
        Assert.Equal([id], await IdsAsync(agent.Client, $"tickets?groupId={group}&q={Uri.EscapeDataString($"{word}*")}"));
        Assert.Equal([id], await IdsAsync(agent.Client, $"tickets?groupId={group}&q={Uri.EscapeDataString($"({word})")}"));
    }

    private static async Task<(TestApp App, TestUser Agent, long Group)> FreshGroupAsync(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        return (app, agent, await app.NewGroupAsync(agent.Id));
    }

    /// <summary>Creates a ticket in the group; <paramref name="extra"/> adds or overrides fields of the request.</summary>
    private static async Task<long> NewTicketAsync(HttpClient agent, long group, object? extra = null)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["subject"] = "Keyboard missing keys",
            ["body"] = "The F and J keys are gone.",
            ["requester"] = new { email = TestApp.UniqueEmail("customer") },
            ["groupId"] = group,
        };
        foreach (var property in JsonSerializer.SerializeToElement(extra ?? new { }).EnumerateObject())
        {
            body[property.Name] = property.Value;
        }

        return (await agent.CreateTicketAsync(body)).Id();
    }

    private static async Task<List<long>> IdsAsync(HttpClient client, string url) =>
        (await client.ItemsAsync(url)).Select(t => t.Id()).ToList();
}
