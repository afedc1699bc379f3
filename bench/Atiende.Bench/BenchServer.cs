using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Atiende.Server;
using Microsoft.AspNetCore.Builder;

namespace Atiende.Bench;

/// <summary>
/// The real app on Kestrel at 127.0.0.1, called through one shared HttpClient, with an admin, an agent (member of
/// the first two of ten groups) and their API tokens.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private const string AdminEmail = "admin@bench.test";
    private const string AdminPassword = "bench-admin-password";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly WebApplication _app;

    public IServiceProvider Services => _app.Services;

    /// <summary>Keys and blobs of this run only; removed when the server is disposed.</summary>
    private static string DataDir { get; } = Path.Combine(Path.GetTempPath(), $"atiende-bench-{Guid.NewGuid():N}");

    private BenchServer(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }
    public string AdminToken { get; private set; } = "";
    public string AgentToken { get; private set; } = "";
    public long AgentId { get; private set; }

    /// <summary>Ten groups; the agent is a member of the first two.</summary>
    public IReadOnlyList<long> GroupIds { get; private set; } = [];

    public static async Task<BenchServer> StartAsync(BenchDatabase database)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var app = AtiendeHost.Build(
        [
            "--urls", url, "--db", database.ConnectionString, "--AdminEmail", AdminEmail, "--AdminPassword", AdminPassword,
            "--SignInPermitsPerMinute", "1000000", "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations", "Error",

            // Background work would compete with what is measured; the scheduler bench runs its passes itself.
            "--Scheduler:Enabled", "false", "--Mail:PollingEnabled", "false", "--Mail:OutboxEnabled", "false",
            "--DataDir", DataDir,
        ]);
        await AtiendeHost.PrepareAsync(app, printFirstAdmin: false);
        await app.StartAsync();

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        };
        var server = new BenchServer(app, new HttpClient(handler) { BaseAddress = new Uri($"{url}/api/v1/") });
        await server.SetUpPeopleAsync();
        return server;
    }

    /// <summary>Sends one request and reads the whole response; anything but the expected status stops the run.</summary>
    public async Task SendAsync(HttpMethod method, string path, string token, byte[]? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json) { Headers = { ContentType = JsonType } };
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{method} {path}: expected {(int)expected} but got {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }
    }

    /// <summary>For set-up calls: sends JSON and returns the parsed answer.</summary>
    public async Task<JsonElement> CallAsync(HttpMethod method, string path, string? token, object body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Json(body)) { Headers = { ContentType = JsonType } } };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path}: expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        }

        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async Task<long> CreateUserAsync(string email, string name, string role, string? password) =>
        (await CallAsync(HttpMethod.Post, "users", AdminToken, new { email, name, role, password }, HttpStatusCode.Created)).GetProperty("id").GetInt64();

    public static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    private async Task SetUpPeopleAsync()
    {
        AdminToken = await TokenAsync(AdminEmail, AdminPassword);
        const string agentEmail = "agent@bench.test", agentPassword = "bench-agent-password";
        AgentId = await CreateUserAsync(agentEmail, "Bench Agent", "agent", agentPassword);
        AgentToken = await TokenAsync(agentEmail, agentPassword);

        var groups = new List<long>();
        for (var g = 1; g <= 10; g++)
        {
            groups.Add((await CallAsync(HttpMethod.Post, "groups", AdminToken, new { name = $"Team {g}" }, HttpStatusCode.Created)).GetProperty("id").GetInt64());
        }

        foreach (var group in groups.Take(2))
        {
            await CallAsync(HttpMethod.Post, $"groups/{group}/members", AdminToken, new { userId = AgentId }, HttpStatusCode.NoContent);
        }

        GroupIds = groups;
    }

    private async Task<string> TokenAsync(string email, string password) =>
        (await CallAsync(HttpMethod.Post, "auth/tokens", null, new { email, password, name = "bench" }, HttpStatusCode.Created)).GetProperty("token").GetString()!;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
