using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Atiende.Server.Shared;

public static class ETags
{
    public static string For(int version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>Null when no If-Match was sent; otherwise whether it names <paramref name="version"/> (or is *).</summary>
    public static bool? Matches(HttpRequest request, int version)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(For(version));
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
