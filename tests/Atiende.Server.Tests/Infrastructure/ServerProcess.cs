using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Atiende.Server.Tests.Infrastructure;

/// <summary>One real `atiende serve` process on a free loopback port, for tests that run several nodes or kill one.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public int Pid => _process.Id;

    /// <summary>The API's base address (…/api/v1/).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The last lines the process wrote (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<ServerProcess> StartAsync(string connectionString, params string[] extraArgs)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "atiende.dll"), "serve", "--db", connectionString, "--urls", $"http://127.0.0.1:{port}",
                     "--SignInPermitsPerMinute", "1000", "--Logging:LogLevel:Default", "Warning" }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var node = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/api/v1/"));
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"The server process exited while starting:\n{node.Output}");
            try
            {
                if ((await probe.GetAsync(new Uri($"http://127.0.0.1:{port}/openapi/v1.json"))).StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"The server process did not start in time:\n{node.Output}");
            await Task.Delay(100);
        }
    }

    public async Task<HttpClient> SignInAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        var response = await client.PostAsJsonAsync("auth/tokens", new { email = TestApp.AdminEmail, password = TestApp.AdminPassword });
        await response.EnsureStatus(HttpStatusCode.Created);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.Json()).Str("token"));
        return client;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
