using System.Net;
using System.Net.Http.Json;
using Atiende.Domain.Users;
using Atiende.Server.Data;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atiende.Server.Tests.Cli;

/// <summary>The verbs of the one executable: `migrate` and `admin create`, with `--db` naming either engine.</summary>
public sealed class CliTests
{
    private const string FirstAdminEmail = "admin@atiende.local";

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Migrate_CreatesTheDatabase_WithTheFirstAdmin_AndCanRunAgain(Engine engine)
    {
        var db = await FreshDatabaseAsync(engine);

        Assert.Equal(0, await AtiendeHost.RunAsync(["migrate", "--db", db]));

        if (engine == Engine.Sqlite)
        {
            Assert.True(File.Exists(db), $"migrate did not create {db}.");
        }

        var (pending, admins) = await WithAppAsync(db, async app =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
            return ((await context.Database.GetPendingMigrationsAsync()).ToList(),
                await context.Users.Where(u => u.Role == UserRole.Admin).Select(u => u.Email).ToListAsync());
        });
        Assert.Empty(pending);
        Assert.Equal([FirstAdminEmail], admins);

        Assert.Equal(0, await AtiendeHost.RunAsync(["migrate", "--db", db]));
        Assert.Equal(1, await WithAppAsync(db, async app =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AtiendeDb>().Users.CountAsync();
        }));
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task AdminCreate_MakesAnAdmin_WhoCanGetAToken(Engine engine)
    {
        var db = await FreshDatabaseAsync(engine);
        var email = TestApp.UniqueEmail("root");

        Assert.Equal(0, await AtiendeHost.RunAsync(["admin", "create", "--email", email, "--name", "Second Root", "--password", "cli-password-1", "--db", db]));

        await WithAppAsync(db, async app =>
        {
            var client = app.GetTestClient();
            client.BaseAddress = new Uri("http://localhost/api/v1/");
            var token = await client.PostAsJsonAsync("auth/tokens", new { email, password = "cli-password-1" });
            await token.EnsureStatus(HttpStatusCode.Created);
            client.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Json()).Str("token"));
            var me = await (await (await client.GetAsync("auth/me")).EnsureStatus(HttpStatusCode.OK)).Json();
            Assert.Equal((email, "Second Root", "admin"), (me.Str("email"), me.Str("name"), me.Str("role")));
            return 0;
        });

        // The same email again is refused, and says why.
        Assert.Equal(1, await AtiendeHost.RunAsync(["admin", "create", "--email", email, "--name", "Again", "--password", "cli-password-2", "--db", db]));
    }

    [Theory]
    [InlineData("--email", "someone@example.test", "--name", "No Password")]
    [InlineData("--email", "someone@example.test", "--name", "Short", "--password", "short")]
    [InlineData("--email", "not-an-email", "--name", "Bad Email", "--password", "cli-password-1")]
    [InlineData("--email", "someone@example.test", "--password", "cli-password-1")]
    public async Task AdminCreate_WithMissingOrBadFlags_Returns2_AndTouchesNoDatabase(params string[] flags)
    {
        var db = await FreshDatabaseAsync(Engine.Sqlite);

        Assert.Equal(2, await AtiendeHost.RunAsync(["admin", "create", .. flags, "--db", db]));

        Assert.False(File.Exists(db));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("admin")]
    [InlineData("admin", "delete")]
    public async Task UnknownCommand_Returns2(params string[] command)
    {
        var db = await FreshDatabaseAsync(Engine.Sqlite);

        Assert.Equal(2, await AtiendeHost.RunAsync([.. command, "--db", db]));

        Assert.False(File.Exists(db));
    }

    /// <summary>What a user would pass: a plain SQLite file path in a folder that does not exist yet, or a PostgreSQL connection string.</summary>
    private static async Task<string> FreshDatabaseAsync(Engine engine) =>
        engine == Engine.Sqlite
            ? Path.Combine(Path.GetTempPath(), "atiende-tests", Guid.NewGuid().ToString("N"), "data", "atiende.db")
            : await TestApp.NewDatabaseAsync(Engine.Postgres);

    /// <summary>Opens the database as the server would, without migrating it.</summary>
    private static async Task<T> WithAppAsync<T>(string db, Func<WebApplication, Task<T>> work)
    {
        await using var app = AtiendeHost.Build(["--db", db, "--Logging:LogLevel:Default", "Warning"], b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return await work(app);
    }
}
