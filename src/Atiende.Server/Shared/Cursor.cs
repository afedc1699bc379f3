using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Atiende.Server.Shared;

/// <summary>An opaque keyset cursor: the sort value and id of the last row of a page.</summary>
public readonly record struct Cursor(long SortValue, long Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{SortValue}:{Id}")));

    public static bool TryDecode(string? text, out Cursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sort)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                cursor = new Cursor(sort, id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
