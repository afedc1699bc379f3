using System.Net;
using System.Text.Json;

namespace Atiende.Server.Tests.Infrastructure;

/// <summary>Every error the API gives is RFC 7807 problem details with a clear detail and never a stack trace.</summary>
public static class ProblemAssertions
{
    public static async Task<JsonElement> EnsureProblem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.EnsureStatus(expected);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"The problem has no detail: {text}");
        return problem;
    }

    /// <summary>The messages a 422 lists for one field (the field must be listed).</summary>
    public static List<string> FieldErrors(this JsonElement problem, string field)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), $"The problem lists no field errors: {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"The problem does not name '{field}': {problem}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToList();
    }

    public static string Detail(this JsonElement problem) => problem.Str("detail");
}
