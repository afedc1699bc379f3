using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Auth;

public sealed class AuthTests
{
    private const string Password = "password-123";

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task TokenCreation_WithAWrongPasswordOrUnknownEmail_Is401_WithTheSameAnswer(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var user = await app.NewUserAsync("customer");

        var wrongPassword = await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = user.Email, password = "not-the-password" });
        var unknownEmail = await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = TestApp.UniqueEmail("nobody"), password = Password });
        var wrong = await wrongPassword.EnsureProblem(HttpStatusCode.Unauthorized);
        var unknown = await unknownEmail.EnsureProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(wrong.Detail(), unknown.Detail());

        var missing = await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = user.Email });
        Assert.NotEmpty((await missing.EnsureProblem(HttpStatusCode.UnprocessableEntity)).FieldErrors("password"));

        // The email is matched whatever its case.
        await (await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = user.Email.ToUpperInvariant(), password = Password })).EnsureStatus(HttpStatusCode.Created);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Token_IsStoredOnlyAsItsSha256(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var user = await app.NewUserAsync("agent");

        var response = await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email = user.Email, password = Password, name = "CI" });
        await response.EnsureStatus(HttpStatusCode.Created);
        var created = await response.Json();
        var token = created.Str("token");
        Assert.StartsWith("atd_", token, StringComparison.Ordinal);

        var row = await app.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == created.Id()));
        Assert.Equal(user.Id, row.UserId);
        Assert.Equal("CI", row.Name);
        Assert.NotEqual(token, row.Hash);
        Assert.DoesNotContain(token, row.Hash, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), row.Hash);
        Assert.False(await app.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Hash == token || t.Name == token)));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task RevokedToken_Answers401AtOnce_WhileOtherTokensKeepWorking(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var user = await app.NewUserAsync("customer");
        var (firstId, first) = await NewTokenAsync(app, user.Email);
        await (await first.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK); // now it is in the cache

        await (await user.Client.DeleteAsync($"auth/tokens/{firstId}")).EnsureStatus(HttpStatusCode.NoContent);

        await (await first.GetAsync("auth/me")).EnsureProblem(HttpStatusCode.Unauthorized);
        await (await first.GetAsync("tickets")).EnsureProblem(HttpStatusCode.Unauthorized);
        await (await user.Client.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK);
        var listed = await user.Client.ItemsAsync("auth/tokens");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, Assert.Single(listed, t => t.Id() == firstId).GetProperty("revokedAt").ValueKind);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task RevokingAnotherUsersToken_Is404_ExceptForAdmins(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var owner = await app.NewUserAsync("customer");
        var agent = await app.NewUserAsync("agent");
        var (tokenId, token) = await NewTokenAsync(app, owner.Email);

        await (await agent.Client.DeleteAsync($"auth/tokens/{tokenId}")).EnsureProblem(HttpStatusCode.NotFound);
        await (await token.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK);
        Assert.DoesNotContain(await agent.Client.ItemsAsync("auth/tokens"), t => t.Id() == tokenId);

        await (await app.Admin.DeleteAsync($"auth/tokens/{tokenId}")).EnsureStatus(HttpStatusCode.NoContent);
        await (await token.GetAsync("auth/me")).EnsureProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Me_TellsWhoTheTokenBelongsTo_AndNeedsAToken(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var agent = await app.NewUserAsync("agent", name: "Ada Agent");

        var me = await (await agent.Client.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK);
        var body = await me.Json();
        Assert.Equal((agent.Id, agent.Email, "Ada Agent", "agent"), (body.Id(), body.Str("email"), body.Str("name"), body.Str("role")));

        await (await app.Anonymous().GetAsync("auth/me")).EnsureProblem(HttpStatusCode.Unauthorized);
        var forged = app.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "atd_forged");
        await (await forged.GetAsync("auth/me")).EnsureProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Passwords_AreStoredAsIdentityHashes(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var user = await app.NewUserAsync("customer");
        var twin = await app.NewUserAsync("customer");

        var hashes = await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id || u.Id == twin.Id).Select(u => u.PasswordHash!).ToListAsync());
        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, hash =>
        {
            Assert.DoesNotContain(Password, hash, StringComparison.Ordinal);
            Assert.StartsWith("AQAAAA", hash, StringComparison.Ordinal); // Identity v3: PBKDF2 with a salt
        });
        Assert.NotEqual(hashes[0], hashes[1]); // same password, different salts
    }

    [Fact]
    public async Task TokenCreation_IsRateLimited_PerClientAddress()
    {
        // Starting signs the admin in and NewUserAsync signs the user in: the first two token requests of the minute.
        await using var app = await TestApp.StartAsync(Engine.Sqlite, ["--SignInPermitsPerMinute", "3"]);
        var user = await app.NewUserAsync("customer");
        var client = app.Anonymous();

        // The third is a wrong guess, and the fourth is refused even with the right password.
        await (await client.PostAsJsonAsync("auth/tokens", new { email = user.Email, password = "guess-one" })).EnsureProblem(HttpStatusCode.Unauthorized);
        var limited = await client.PostAsJsonAsync("auth/tokens", new { email = user.Email, password = Password });
        Assert.Contains("Too many", (await limited.EnsureProblem(HttpStatusCode.TooManyRequests)).Detail(), StringComparison.Ordinal);

        // Only token creation is limited; signed-in calls go on.
        await (await user.Client.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK);
    }

    private static async Task<(long Id, HttpClient Client)> NewTokenAsync(TestApp app, string email)
    {
        var response = await app.Anonymous().PostAsJsonAsync("auth/tokens", new { email, password = Password });
        await response.EnsureStatus(HttpStatusCode.Created);
        var created = await response.Json();
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("token"));
        return (created.Id(), client);
    }
}
