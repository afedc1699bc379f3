using System.Net;
using System.Net.Http.Json;
using System.Text;
using Atiende.Server.Tests.Infrastructure;

namespace Atiende.Server.Tests.Tickets;

/// <summary>Bad input answers 400/404/409/412/422/428 problem details with a clear detail, and changes nothing.</summary>
public sealed class TicketValidationTests
{
    private const int SubjectMax = 255;
    private const int BodyMax = 1_048_576;
    private static readonly string[] Tags = ["late"];
    private static readonly string[] NulTag = ["a\0b"];
    private static readonly string[] NulCc = ["a\0b@example.test"];

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task MalformedJson_Is400ProblemDetails_WithADetail(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);

        var truncated = await agent.Client.PostAsync("tickets", Raw("""{"subject": "Broken", "body": """));
        Assert.Contains("JSON", (await truncated.EnsureProblem(HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);

        var wrongType = await agent.Client.PostAsync("tickets", Raw("""{"subject": 42, "body": "b"}"""));
        Assert.Contains("subject", (await wrongType.EnsureProblem(HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"tickets/{id}") { Content = Raw("{\"priority\": ") };
        patch.Headers.TryAddWithoutValidation("If-Match", await agent.Client.ETagAsync(id));
        await (await agent.Client.SendAsync(patch)).EnsureProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Subject_Of256Characters_Is422NamingSubject_And255AreKeptWhole(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = new { email = TestApp.UniqueEmail("customer") };

        var tooLong = await agent.Client.PostAsJsonAsync("tickets", new { subject = new string('s', SubjectMax + 1), body = "b", requester });
        var problem = await tooLong.EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem.FieldErrors("subject"), m => m.Contains("255", StringComparison.Ordinal));

        var longest = new string('s', SubjectMax);
        var created = await agent.Client.CreateTicketAsync(new { subject = longest, body = "b", requester });
        Assert.Equal(longest, (await agent.Client.GetTicketAsync(created.Id())).Str("subject"));

        var patch = await agent.Client.PatchAsJsonAsync($"tickets/{created.Id()}", new { subject = longest + "s" }, await agent.Client.ETagAsync(created.Id()));
        Assert.NotEmpty((await patch.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("subject"));
        Assert.Equal(longest, (await agent.Client.GetTicketAsync(created.Id())).Str("subject"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Body_OverOneMebibyte_Is422_OnCreateAndReply(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);
        var body = new string('b', BodyMax + 1);

        var create = await agent.Client.PostAsJsonAsync("tickets", new { subject = "Huge", body, requester = new { email = TestApp.UniqueEmail("c") } });
        Assert.NotEmpty((await create.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("body"));
        var reply = await agent.Client.PostAsJsonAsync($"tickets/{id}/articles", new { body });
        Assert.NotEmpty((await reply.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("body"));
        Assert.Single(await agent.Client.ItemsAsync($"tickets/{id}/articles"));
    }

    /// <summary>A pasted log is many distinct words; at the size limit it must still be stored and searchable on both engines.</summary>
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Body_AtTheSizeLimit_MadeOfDistinctWords_IsAcceptedAndSearchable(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var first = TestApp.UniqueWord();
        var log = new StringBuilder(first);
        for (var line = 0; log.Length < BodyMax; line++)
        {
            log.Append(" w").Append(line);
        }

        var body = log.ToString(0, BodyMax);
        var created = await agent.Client.CreateTicketAsync(new { subject = "Server log attached", body, requester = new { email = TestApp.UniqueEmail("c") } });

        Assert.Equal(BodyMax, Assert.Single(await agent.Client.ItemsAsync($"tickets/{created.Id()}/articles")).Str("body").Length);
        Assert.Equal([created.Id()], (await agent.Client.ItemsAsync($"tickets?q={first}")).Select(t => t.Id()));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task UnknownEnumValues_Are422_ListingTheAllowedValues(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = new { email = TestApp.UniqueEmail("c") };

        var create = await agent.Client.PostAsJsonAsync("tickets", new { subject = "s", body = "b", requester, priority = "mega", type = "saga", channel = "pigeon" });
        var problem = await create.EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem.FieldErrors("priority"), m => m.Contains("low, normal, high, urgent", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("type"), m => m.Contains("question, incident, problem, task", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("channel"), m => m.Contains("email, web, phone, chat, api", StringComparison.Ordinal));
        Assert.Contains("mega", problem.Detail(), StringComparison.Ordinal);

        var id = await NewTicketAsync(agent);
        var status = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { status = "mega" }, await agent.Client.ETagAsync(id));
        Assert.Contains((await status.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("status"), m => m.Contains("on_hold", StringComparison.Ordinal));
        var priority = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "mega" }, await agent.Client.ETagAsync(id));
        Assert.Contains((await priority.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("priority"), m => m.Contains("urgent", StringComparison.Ordinal));
        var listed = await agent.Client.GetAsync("tickets?status=mega");
        Assert.Contains((await listed.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("status"), m => m.Contains("on_hold", StringComparison.Ordinal));

        var ticket = await agent.Client.GetTicketAsync(id);
        Assert.Equal(("new", "normal"), (ticket.Str("status"), ticket.Str("priority")));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task UnknownPatchField_Is422_NamingIt_AndChangesNothing(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);

        var response = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "high", colour = "red" }, await agent.Client.ETagAsync(id));
        Assert.Contains((await response.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("colour"), m => m.Contains("Unknown field", StringComparison.Ordinal));
        Assert.Equal("normal", (await agent.Client.GetTicketAsync(id)).Str("priority"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task ForbiddenTransitions_Are409_WithAClearDetail(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var id = (await customer.Client.CreateTicketAsync(new { subject = "Slow VPN", body = "b" })).Id();

        // Agents never close by hand, whatever the route.
        var close = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { status = "closed" }, await agent.Client.ETagAsync(id));
        Assert.Contains("do not close", (await close.EnsureProblem(HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
        var closeByReply = await agent.Client.PostAsJsonAsync($"tickets/{id}/articles", new { body = "Bye.", status = "closed" });
        await closeByReply.EnsureProblem(HttpStatusCode.Conflict);

        // Only a resolved ticket can be confirmed.
        await (await customer.Client.PostAsync($"tickets/{id}/confirm", null)).EnsureProblem(HttpStatusCode.Conflict);

        await agent.Client.PatchTicketAsync(id, new { status = "resolved" });
        var pending = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { status = "pending" }, await agent.Client.ETagAsync(id));
        var detail = (await pending.EnsureProblem(HttpStatusCode.Conflict)).Detail();
        Assert.Contains("'resolved'", detail, StringComparison.Ordinal);
        Assert.Contains("'pending'", detail, StringComparison.Ordinal);

        Assert.Equal("resolved", (await agent.Client.GetTicketAsync(id)).Str("status"));
        Assert.Single(await agent.Client.ItemsAsync($"tickets/{id}/articles"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Patch_WithoutIfMatch_Is428_AndChangesNothing(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);

        var response = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "urgent" }, ifMatch: null);
        Assert.Contains("If-Match", (await response.EnsureProblem(HttpStatusCode.PreconditionRequired)).Detail(), StringComparison.Ordinal);
        Assert.Equal("normal", (await agent.Client.GetTicketAsync(id)).Str("priority"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Patch_WithStaleIfMatch_Is412_AndChangesNothing(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);
        var stale = await agent.Client.ETagAsync(id);
        await (await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "high" }, stale)).EnsureStatus(HttpStatusCode.OK);

        var response = await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "low", tags = Tags }, stale);
        await response.EnsureProblem(HttpStatusCode.PreconditionFailed);

        var ticket = await agent.Client.GetTicketAsync(id);
        Assert.Equal("high", ticket.Str("priority"));
        Assert.Empty(ticket.GetProperty("tags").EnumerateArray());
        Assert.Single(await agent.Client.ItemsAsync($"tickets/{id}/history"), h => h.Str("kind") == "field_changed");
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task ConcurrentPatches_WithTheSameETag_ExactlyOneWins(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var colleague = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);

        for (var round = 0; round < 3; round++)
        {
            var etag = await agent.Client.ETagAsync(id);
            var responses = await Task.WhenAll(
                agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "high" }, etag),
                colleague.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "low" }, etag));

            var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
            await loser.EnsureProblem(HttpStatusCode.PreconditionFailed);
            Assert.Equal((await winner.Json()).Str("priority"), (await agent.Client.GetTicketAsync(id)).Str("priority"));
            await (await agent.Client.PatchAsJsonAsync($"tickets/{id}", new { priority = "normal" }, await agent.Client.ETagAsync(id))).EnsureStatus(HttpStatusCode.OK);
        }

        // Three winners and three resets: nothing else reached the history.
        Assert.Equal(6, (await agent.Client.ItemsAsync($"tickets/{id}/history")).Count(h => h.Str("kind") == "field_changed"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task InvalidCursor_Is422(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);

        string[] cursors =
        [
            "not-a-cursor", "!!!", Cursor("1:2:3"), Cursor("x:1"),
            Cursor("9223372036854775807:1"), Cursor("-1:1"), // well formed, but no time can be that
        ];
        foreach (var cursor in cursors)
        {
            var response = await agent.Client.GetAsync($"tickets?cursor={Uri.EscapeDataString(cursor)}");
            Assert.NotEmpty((await response.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("cursor"));
        }

        var articles = await agent.Client.GetAsync($"tickets/{id}/articles?cursor=garbage");
        Assert.NotEmpty((await articles.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("cursor"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task LimitOutOfRange_Is422(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var id = await NewTicketAsync(agent);

        foreach (var url in new[] { "tickets?limit=0", "tickets?limit=201", "tickets?limit=-1", $"tickets/{id}/articles?limit=0", $"tickets/{id}/articles?limit=501" })
        {
            Assert.NotEmpty((await (await agent.Client.GetAsync(url)).EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("limit"));
        }

        await (await agent.Client.GetAsync("tickets?limit=200")).EnsureStatus(HttpStatusCode.OK);
    }

    /// <summary>PostgreSQL cannot store a NUL character; it must be refused at the edge on both engines, never a 500.</summary>
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task NulCharacters_Are422_NeverA500(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var requester = new { email = TestApp.UniqueEmail("c") };

        var subject = await agent.Client.PostAsJsonAsync("tickets", new { subject = "a\0b", body = "b", requester });
        Assert.NotEmpty((await subject.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("subject"));
        var body = await agent.Client.PostAsJsonAsync("tickets", new { subject = "s", body = "a\0b", requester });
        Assert.NotEmpty((await body.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("body"));
        var tag = await agent.Client.PostAsJsonAsync("tickets", new { subject = "s", body = "b", requester, tags = NulTag });
        Assert.NotEmpty((await tag.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("tags"));
        var cc = await agent.Client.PostAsJsonAsync("tickets", new { subject = "s", body = "b", requester, cc = NulCc });
        Assert.NotEmpty((await cc.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("cc"));
        var search = await agent.Client.GetAsync("tickets?q=a%00b");
        Assert.NotEmpty((await search.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("q"));
        var tagFilter = await agent.Client.GetAsync("tickets?tag=a%00b");
        Assert.NotEmpty((await tagFilter.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("tag"));
    }

    private static async Task<long> NewTicketAsync(TestUser agent) =>
        (await agent.Client.CreateTicketAsync(new { subject = "Printer offline", body = "Since this morning.", requester = new { email = TestApp.UniqueEmail("c") } })).Id();

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Cursor(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));
}
