using System.Net;
using Atiende.Server.Tests.Infrastructure;

namespace Atiende.Server.Tests.Shared;

public sealed class OpenApiTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task OpenApiDocument_IsServed_AndDescribesTheApi(Engine engine)
    {
        var app = await TestApp.Get(engine);

        var response = await app.Anonymous().GetAsync("/openapi/v1.json");

        await response.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await response.Json();
        Assert.StartsWith("3.", document.Str("openapi"), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/tickets", paths);
        Assert.Contains("/api/v1/tickets/{id}", paths);
        Assert.Contains("/api/v1/auth/tokens", paths);
        Assert.Contains("/api/v1/users", paths);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task ApiReference_IsABrowsablePage_WithItsScriptsAndTheDocument(Engine engine)
    {
        var app = await TestApp.Get(engine);
        var client = app.Anonymous();

        var response = await client.GetAsync("/api/docs/v1");

        await response.EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Atiende API</title>", html, StringComparison.Ordinal);

        // The page's relative script links resolve next to it, and the document is taken from the site root.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        foreach (var script in new[] { "scalar.js", "scalar.aspnetcore.js" })
        {
            Assert.Contains($"src=\"{script}\"", html, StringComparison.Ordinal);
            await (await client.GetAsync($"/api/docs/{script}")).EnsureStatus(HttpStatusCode.OK);
        }
    }
}
