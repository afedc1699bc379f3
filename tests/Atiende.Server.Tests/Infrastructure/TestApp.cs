using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Scheduler;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atiende.Server.Tests.Infrastructure;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real application on an in-memory test server, on a fresh database of one engine. One instance per engine is
/// shared by every test (each test makes its own users and tickets), so the suite pays for migrations once.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string AdminEmail = "admin@atiende.test";
    public const string AdminPassword = "admin-password-1";

    private static readonly ConcurrentDictionary<Engine, Lazy<Task<TestApp>>> Shared = new();
    private static readonly ConcurrentDictionary<Engine, Lazy<Task<TestApp>>> SharedClocked = new();
    private readonly WebApplication _app;

    private TestApp(WebApplication app, Engine engine, string connectionString)
    {
        _app = app;
        Engine = engine;
        ConnectionString = connectionString;
    }

    public Engine Engine { get; }

    /// <summary>Set on apps whose time the test moves by hand (<see cref="GetClocked"/>).</summary>
    public TestClock? Clock { get; private set; }
    public string ConnectionString { get; }
    public IServiceProvider Services => _app.Services;
    public HttpClient Admin { get; private set; } = null!;

    public static TheoryData<Engine> Engines => [Engine.Sqlite, Engine.Postgres];

    public static Task<TestApp> Get(Engine engine) =>
        Shared.GetOrAdd(engine, e => new Lazy<Task<TestApp>>(() => StartAsync(e, extraArgs: []))).Value;

    /// <summary>
    /// The shared app whose clock the tests move, for time-based work. Only one test class uses it, so the tests that
    /// move its clock never run at the same time.
    /// </summary>
    public static Task<TestApp> GetClocked(Engine engine) =>
        SharedClocked.GetOrAdd(engine, e => new Lazy<Task<TestApp>>(() => StartAsync(e, extraArgs: [], new TestClock(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero))))).Value;

    /// <summary>A private instance, for tests that need their own settings (e.g. a low rate limit).</summary>
    /// <remarks>The background scheduler is off in tests: they run its passes with <see cref="RunSchedulerAsync"/>.</remarks>
    public static async Task<TestApp> StartAsync(Engine engine, string[] extraArgs, TestClock? clock = null)
    {
        var connectionString = await NewDatabaseAsync(engine);
        var dataDir = Path.Combine(Path.GetTempPath(), "atiende-tests", Guid.NewGuid().ToString("N"), "data");
        string[] args =
        [
            "--db", connectionString, "--DataDir", dataDir, "--AdminEmail", AdminEmail, "--AdminPassword", AdminPassword,
            "--SignInPermitsPerMinute", "1000000", "--Logging:LogLevel:Default", "Warning", "--Scheduler:Enabled", "false",
            "--Mail:OutboxEnabled", "false", "--Mail:PollingEnabled", "false", "--Mail:AcceptInvalidCertificates", "true", .. extraArgs,
        ];
        var app = AtiendeHost.Build(args, b =>
        {
            b.WebHost.UseTestServer();
            if (clock is not null)
            {
                b.Services.AddSingleton<TimeProvider>(clock);
            }
        });
        await AtiendeHost.PrepareAsync(app, printFirstAdmin: false);
        await app.StartAsync();
        var testApp = new TestApp(app, engine, connectionString) { Clock = clock };
        testApp.Admin = await testApp.SignInAsync(AdminEmail, AdminPassword);
        return testApp;
    }

    public Task<SchedulerPass> RunSchedulerAsync() => Services.GetRequiredService<TicketScheduler>().RunOnceAsync(CancellationToken.None);

    /// <summary>One outbox pass (the background dispatcher is off in tests too).</summary>
    public Task<OutboxPass> RunOutboxAsync() => Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(CancellationToken.None);

    /// <summary>One pass over a mail account's mailbox (the background poller is off in tests too).</summary>
    public Task<MailPollPass> PollMailAsync(long accountId) => Services.GetRequiredService<MailPoller>().PollOnceAsync(accountId, CancellationToken.None);

    public HttpClient Anonymous()
    {
        var client = _app.GetTestClient();
        client.BaseAddress = new Uri("http://localhost/api/v1/");
        return client;
    }

    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = Anonymous();
        var response = await client.PostAsJsonAsync("auth/tokens", new { email, password, name = "test" });
        await response.EnsureStatus(System.Net.HttpStatusCode.Created);
        var token = (await response.Json()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A unique email, so tests sharing the database never collide.</summary>
    public static string UniqueEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.test";

    /// <summary>A word of letters no other test writes, for full-text search on either engine's tokenizer.</summary>
    public static string UniqueWord() => string.Concat(Guid.NewGuid().ToString("N").Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    public async Task<TestUser> NewUserAsync(string role, long? organizationId = null, string? name = null)
    {
        var email = UniqueEmail(role);
        const string password = "password-123";
        var response = await Admin.PostAsJsonAsync("users", new { email, name = name ?? $"Test {role}", role, password, organizationId });
        await response.EnsureStatus(System.Net.HttpStatusCode.Created);
        var id = (await response.Json()).GetProperty("id").GetInt64();
        return new TestUser(id, email, await SignInAsync(email, password));
    }

    public async Task<long> NewGroupAsync(params long[] members)
    {
        var response = await Admin.PostAsJsonAsync("groups", new { name = $"Group {Guid.NewGuid():N}" });
        await response.EnsureStatus(System.Net.HttpStatusCode.Created);
        var id = (await response.Json()).GetProperty("id").GetInt64();
        foreach (var member in members)
        {
            (await Admin.PostAsJsonAsync($"groups/{id}/members", new { userId = member })).EnsureSuccessStatusCode();
        }

        return id;
    }

    public async Task<long> NewOrganizationAsync(bool sharesTickets)
    {
        var response = await Admin.PostAsJsonAsync("organizations", new { name = $"Org {Guid.NewGuid():N}", sharesTickets });
        await response.EnsureStatus(System.Net.HttpStatusCode.Created);
        return (await response.Json()).GetProperty("id").GetInt64();
    }

    public async Task<T> WithDbAsync<T>(Func<AtiendeDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AtiendeDb>());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A connection string to a fresh, empty database of the engine (not migrated).</summary>
    public static async Task<string> NewDatabaseAsync(Engine engine) =>
        engine == Engine.Sqlite ? NewSqliteDatabase() : await NewPostgresDatabaseAsync();

    private static string NewSqliteDatabase()
    {
        var directory = Path.Combine(Path.GetTempPath(), "atiende-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "atiende.db")}";
    }

    private static async Task<string> NewPostgresDatabaseAsync()
    {
        var admin = Environment.GetEnvironmentVariable("ATIENDE_TEST_PG");
        if (string.IsNullOrEmpty(admin))
        {
            throw new InvalidOperationException(
                "ATIENDE_TEST_PG is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL for them.");
        }

        var name = $"atiende_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}

public sealed record TestUser(long Id, string Email, HttpClient Client);

public static class HttpExtensions
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status, showing the body when it differs (problem details say why).</summary>
    public static async Task<HttpResponseMessage> EnsureStatus(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }

        return response;
    }

    public static Task<HttpResponseMessage> PatchAsJsonAsync(this HttpClient client, string url, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static long Id(this JsonElement element) => element.GetProperty("id").GetInt64();
}
