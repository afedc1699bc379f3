using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atiende.Server.Tests.Infrastructure;

/// <summary>The ticket calls tests make again and again, asserting the expected status on the way.</summary>
public static class TicketClient
{
    public static async Task<JsonElement> CreateTicketAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("tickets", body);
        await response.EnsureStatus(HttpStatusCode.Created);
        return await response.Json();
    }

    public static async Task<JsonElement> GetTicketAsync(this HttpClient client, long id)
    {
        var response = await client.GetAsync($"tickets/{id}");
        await response.EnsureStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<string> ETagAsync(this HttpClient client, long id)
    {
        var response = await client.GetAsync($"tickets/{id}");
        await response.EnsureStatus(HttpStatusCode.OK);
        return response.Headers.ETag!.Tag;
    }

    public static async Task<JsonElement> PatchTicketAsync(this HttpClient client, long id, object body)
    {
        var response = await client.PatchAsJsonAsync($"tickets/{id}", body, await client.ETagAsync(id));
        await response.EnsureStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<JsonElement> ReplyAsync(this HttpClient client, long id, string body, bool isInternal = false, string? status = null)
    {
        var response = await client.PostAsJsonAsync($"tickets/{id}/articles", new { body, @internal = isInternal, status });
        await response.EnsureStatus(HttpStatusCode.Created);
        return await response.Json();
    }

    public static async Task<List<JsonElement>> ItemsAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        await response.EnsureStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("items").EnumerateArray().ToList();
    }
}
