using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Users;

/// <summary>Users, organizations and groups. No test here makes an admin on the shared app: it has exactly one.</summary>
public sealed class UsersApiTests
{
    private const string Password = "password-123";

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task CreateUser_AdminsCreateAnyRole_AgentsOnlyCustomers_CustomersNone(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");

        var byAdmin = await app.Admin.PostAsJsonAsync("users", new { email = TestApp.UniqueEmail("agent"), name = "New Agent", role = "agent", password = Password });
        await byAdmin.EnsureStatus(HttpStatusCode.Created);
        var created = await byAdmin.Json();
        Assert.Equal(("agent", "en", true), (created.Str("role"), created.Str("locale"), created.GetProperty("active").GetBoolean()));
        Assert.Equal($"/api/v1/users/{created.Id()}", byAdmin.Headers.Location?.OriginalString);

        var byAgent = await agent.Client.PostAsJsonAsync("users", new { email = TestApp.UniqueEmail("customer"), name = "New Customer" });
        await byAgent.EnsureStatus(HttpStatusCode.Created);
        Assert.Equal("customer", (await byAgent.Json()).Str("role"));

        foreach (var role in new[] { "agent", "admin" })
        {
            var email = TestApp.UniqueEmail(role);
            await (await agent.Client.PostAsJsonAsync("users", new { email, name = "Nope", role })).EnsureProblem(HttpStatusCode.Forbidden);
            Assert.Empty(await app.Admin.ItemsAsync($"users?q={Uri.EscapeDataString(email)}"));
        }

        await (await customer.Client.PostAsJsonAsync("users", new { email = TestApp.UniqueEmail("customer"), name = "Friend" })).EnsureProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task CreateUser_DuplicateEmailIs409_InWhateverCase_AndBadFieldsAre422(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var existing = await app.NewUserAsync("customer");

        var duplicate = await app.Admin.PostAsJsonAsync("users", new { email = existing.Email.ToUpperInvariant(), name = "Twin" });
        Assert.Contains(existing.Email, (await duplicate.EnsureProblem(HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);

        var invalid = await app.Admin.PostAsJsonAsync("users", new { email = "not-an-email", name = "Nul\0Name", role = "wizard", password = "short", locale = "xx" });
        var problem = await invalid.EnsureProblem(HttpStatusCode.UnprocessableEntity);
        foreach (var field in new[] { "email", "name", "role", "password", "locale" })
        {
            Assert.NotEmpty(problem.FieldErrors(field));
        }

        Assert.Contains(problem.FieldErrors("role"), m => m.Contains("customer, agent, admin", StringComparison.Ordinal));
        Assert.NotEmpty((await (await app.Admin.GetAsync("users?q=a%00")).EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("q"));
        var noOrganization = await app.Admin.PostAsJsonAsync("users", new { email = TestApp.UniqueEmail("c"), name = "X", organizationId = 999_999_999 });
        Assert.NotEmpty((await noOrganization.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("organizationId"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task PatchSelf_ChangesNamePasswordAndLocale_ButNotRoleOrEmail(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = await app.NewUserAsync("customer");

        var patched = await customer.Client.PatchAsJsonAsync($"users/{customer.Id}", new { name = "Renamed", password = "new-password-1", locale = "es" });
        await patched.EnsureStatus(HttpStatusCode.OK);
        var body = await patched.Json();
        Assert.Equal(("Renamed", "es"), (body.Str("name"), body.Str("locale")));
        await app.SignInAsync(customer.Email, "new-password-1");
        await (await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = customer.Email, password = Password })).EnsureProblem(HttpStatusCode.Unauthorized);

        await (await customer.Client.PatchAsJsonAsync($"users/{customer.Id}", new { role = "admin" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await customer.Client.PatchAsJsonAsync($"users/{customer.Id}", new { email = TestApp.UniqueEmail("x") })).EnsureProblem(HttpStatusCode.Forbidden);
        var badLocale = await customer.Client.PatchAsJsonAsync($"users/{customer.Id}", new { locale = "tlh" });
        Assert.NotEmpty((await badLocale.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("locale"));
        var shortPassword = await customer.Client.PatchAsJsonAsync($"users/{customer.Id}", new { password = "short" });
        Assert.NotEmpty((await shortPassword.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("password"));

        var me = await (await customer.Client.GetAsync("auth/me")).Json();
        Assert.Equal(("customer", customer.Email, "es"), (me.Str("role"), me.Str("email"), me.Str("locale")));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task PatchOthers_AgentsChangeCustomersOnly_CustomersNobody(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var colleague = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");

        await (await agent.Client.PatchAsJsonAsync($"users/{customer.Id}", new { name = "Fixed Typo" })).EnsureStatus(HttpStatusCode.OK);
        await (await agent.Client.PatchAsJsonAsync($"users/{customer.Id}", new { role = "agent" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await agent.Client.PatchAsJsonAsync($"users/{colleague.Id}", new { name = "Hijacked" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await customer.Client.PatchAsJsonAsync($"users/{other.Id}", new { name = "Hijacked" })).EnsureProblem(HttpStatusCode.NotFound);

        var unknownField = await app.Admin.PatchAsJsonAsync($"users/{customer.Id}", new { nickname = "x" });
        Assert.NotEmpty((await unknownField.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("nickname"));
        var names = await app.WithDbAsync(db => db.Users.Where(u => u.Id == colleague.Id || u.Id == other.Id || u.Id == customer.Id).Select(u => u.Name).ToListAsync());
        Assert.Equal(["Fixed Typo", "Test agent", "Test customer"], names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task PatchUser_WithAStaleIfMatch_Is412(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = await app.NewUserAsync("customer");
        var read = await app.Admin.GetAsync($"users/{customer.Id}");
        var etag = read.Headers.ETag!.Tag;
        await (await app.Admin.PatchAsJsonAsync($"users/{customer.Id}", new { name = "First" }, etag)).EnsureStatus(HttpStatusCode.OK);

        await (await app.Admin.PatchAsJsonAsync($"users/{customer.Id}", new { name = "Second" }, etag)).EnsureProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal("First", (await (await app.Admin.GetAsync($"users/{customer.Id}")).Json()).Str("name"));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task DeactivatedUser_IsSignedOutAtOnce_AndCannotSignIn(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var customer = await app.NewUserAsync("customer");
        await (await customer.Client.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK);

        await (await app.Admin.PatchAsJsonAsync($"users/{customer.Id}", new { active = false })).EnsureStatus(HttpStatusCode.OK);

        await (await customer.Client.GetAsync("auth/me")).EnsureProblem(HttpStatusCode.Unauthorized);
        await (await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = customer.Email, password = Password })).EnsureProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>A private app: demoting the shared app's only admin would break every other test.</summary>
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task LastActiveAdmin_CannotBeDemotedOrDeactivated(Engine engine)
    {
        await using var app = await TestApp.StartAsync(engine, []);
        var adminId = (await (await app.Admin.GetAsync("auth/me")).Json()).Id();

        var demote = await app.Admin.PatchAsJsonAsync($"users/{adminId}", new { role = "agent" });
        Assert.Contains("last active admin", (await demote.EnsureProblem(HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
        await (await app.Admin.PatchAsJsonAsync($"users/{adminId}", new { active = false })).EnsureProblem(HttpStatusCode.Conflict);
        await (await app.Admin.GetAsync("users")).EnsureStatus(HttpStatusCode.OK); // still an admin

        // With a second admin, the first may step down; then the second is the last one.
        var second = await app.NewUserAsync("admin");
        await (await app.Admin.PatchAsJsonAsync($"users/{adminId}", new { role = "agent" })).EnsureStatus(HttpStatusCode.OK);
        await (await app.Admin.GetAsync("organizations/999999999")).EnsureProblem(HttpStatusCode.NotFound); // staff still
        await (await app.Admin.PostAsJsonAsync("groups", new { name = "Not an admin any more" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await second.Client.PatchAsJsonAsync($"users/{second.Id}", new { role = "agent" })).EnsureProblem(HttpStatusCode.Conflict);
        await (await second.Client.PatchAsJsonAsync($"users/{second.Id}", new { name = "Still here" })).EnsureStatus(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Organizations_AdminsCreateAndChange_StaffRead_CustomersNothing(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var name = $"Acme {Guid.NewGuid():N}";

        var create = await app.Admin.PostAsJsonAsync("organizations", new { name, sharesTickets = true });
        await create.EnsureStatus(HttpStatusCode.Created);
        var id = (await create.Json()).Id();
        await (await app.Admin.PostAsJsonAsync("organizations", new { name })).EnsureProblem(HttpStatusCode.Conflict);
        Assert.NotEmpty((await (await app.Admin.PostAsJsonAsync("organizations", new { name = " " })).EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("name"));

        var read = await (await (await agent.Client.GetAsync($"organizations/{id}")).EnsureStatus(HttpStatusCode.OK)).Json();
        Assert.Equal((name, true), (read.Str("name"), read.GetProperty("sharesTickets").GetBoolean()));
        Assert.Contains(await AllAsync(agent.Client, "organizations"), o => o.Id() == id);

        var renamed = $"{name} Ltd";
        await (await app.Admin.PatchAsJsonAsync($"organizations/{id}", new { name = renamed, sharesTickets = false })).EnsureStatus(HttpStatusCode.OK);
        var after = await (await app.Admin.GetAsync($"organizations/{id}")).Json();
        Assert.Equal((renamed, false), (after.Str("name"), after.GetProperty("sharesTickets").GetBoolean()));

        await (await agent.Client.PostAsJsonAsync("organizations", new { name = $"Agent's {Guid.NewGuid():N}" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await agent.Client.PatchAsJsonAsync($"organizations/{id}", new { name = "Agent's" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await customer.Client.GetAsync("organizations")).EnsureProblem(HttpStatusCode.Forbidden);
        await (await customer.Client.GetAsync($"organizations/{id}")).EnsureProblem(HttpStatusCode.Forbidden);
        await (await app.Admin.GetAsync("organizations/999999999")).EnsureProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Groups_AdminsCreateChangeAndManageMembers_OnlyStaffCanBeMembers(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent");
        var lead = await app.NewUserAsync("agent");
        var customer = await app.NewUserAsync("customer");
        var name = $"Support {Guid.NewGuid():N}";

        var create = await app.Admin.PostAsJsonAsync("groups", new { name, description = "First line", leadId = lead.Id });
        await create.EnsureStatus(HttpStatusCode.Created);
        var id = (await create.Json()).Id();
        await (await app.Admin.PostAsJsonAsync("groups", new { name })).EnsureProblem(HttpStatusCode.Conflict);
        var customerLead = await app.Admin.PostAsJsonAsync("groups", new { name = $"Other {Guid.NewGuid():N}", leadId = customer.Id });
        Assert.NotEmpty((await customerLead.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("leadId"));

        await (await app.Admin.PatchAsJsonAsync($"groups/{id}", new { description = "Second line", leadId = (long?)null })).EnsureStatus(HttpStatusCode.OK);
        var group = await (await agent.Client.GetAsync($"groups/{id}")).Json();
        Assert.Equal((name, "Second line", JsonValueKind.Null), (group.Str("name"), group.Str("description"), group.GetProperty("leadId").ValueKind));
        Assert.Contains(await AllAsync(agent.Client, "groups"), g => g.Id() == id);

        await (await app.Admin.PostAsJsonAsync($"groups/{id}/members", new { userId = agent.Id })).EnsureStatus(HttpStatusCode.NoContent);
        await (await app.Admin.PostAsJsonAsync($"groups/{id}/members", new { userId = agent.Id })).EnsureStatus(HttpStatusCode.NoContent); // idempotent
        var notStaff = await app.Admin.PostAsJsonAsync($"groups/{id}/members", new { userId = customer.Id });
        Assert.NotEmpty((await notStaff.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("userId"));
        await (await app.Admin.PostAsJsonAsync($"groups/{id}/members", new { userId = 999_999_999 })).EnsureProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal([agent.Id], (await agent.Client.ItemsAsync($"groups/{id}/members")).Select(m => m.Id()));

        await (await agent.Client.PostAsJsonAsync($"groups/{id}/members", new { userId = lead.Id })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await agent.Client.PostAsJsonAsync("groups", new { name = $"Agent's {Guid.NewGuid():N}" })).EnsureProblem(HttpStatusCode.Forbidden);
        await (await customer.Client.GetAsync("groups")).EnsureProblem(HttpStatusCode.Forbidden);

        await (await app.Admin.DeleteAsync($"groups/{id}/members/{agent.Id}")).EnsureStatus(HttpStatusCode.NoContent);
        Assert.Empty(await agent.Client.ItemsAsync($"groups/{id}/members"));
        await (await app.Admin.DeleteAsync($"groups/{id}/members/{agent.Id}")).EnsureProblem(HttpStatusCode.NotFound);
        await (await app.Admin.GetAsync("groups/999999999/members")).EnsureProblem(HttpStatusCode.NotFound);
    }

    /// <summary>Every row of a list, following its pages (groups answer one page; organizations are paged).</summary>
    private static async Task<List<JsonElement>> AllAsync(HttpClient client, string url)
    {
        var rows = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await (await (await client.GetAsync(after is null ? url : $"{url}?after={after}")).EnsureStatus(HttpStatusCode.OK)).Json();
            rows.AddRange(page.GetProperty("items").EnumerateArray());
            after = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.Str("nextCursor");
        }
        while (after is not null);

        return rows;
    }
}
