using System.Globalization;
using System.Text.Json;

namespace Atiende.Server.Shared;

/// <summary>
/// A JSON merge-patch body: an absent field is left alone, a null clears it. Read by hand because a typed record
/// cannot tell "absent" from "null"; unknown fields are refused so a typo never passes silently.
/// </summary>
public sealed class Patch
{
    private readonly Dictionary<string, JsonElement> _fields;
    private readonly Validation _validation;

    private Patch(Dictionary<string, JsonElement> fields, Validation validation)
    {
        _fields = fields;
        _validation = validation;
    }

    public static Patch Read(JsonElement body, Validation validation, params string[] known)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            validation.Add("body", "The body must be a JSON object.");
            return new Patch(fields, validation);
        }

        foreach (var property in body.EnumerateObject())
        {
            if (known.Contains(property.Name, StringComparer.Ordinal))
            {
                fields[property.Name] = property.Value;
            }
            else
            {
                validation.Add(property.Name, $"Unknown field '{property.Name}'. Known fields: {string.Join(", ", known)}.");
            }
        }

        return new Patch(fields, validation);
    }

    public bool Has(string field) => _fields.ContainsKey(field);

    public bool IsNull(string field) => _fields.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.Null;

    public string? String(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _validation.Add(field, $"{field} must be a string.");
            return null;
        }

        return value.GetString();
    }

    public long? Long(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            _validation.Add(field, $"{field} must be an integer id or null.");
            return null;
        }

        return number;
    }

    public bool? Bool(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _validation.Add(field, $"{field} must be true or false.");
            return null;
        }

        return value.GetBoolean();
    }

    public DateTimeOffset? Time(string field)
    {
        var text = String(field);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            _validation.Add(field, $"{field} must be an ISO 8601 time, e.g. 2026-01-31T09:00:00Z.");
            return null;
        }

        return at.ToUniversalTime();
    }

    public List<string>? Strings(string field)
    {
        if (!_fields.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            _validation.Add(field, $"{field} must be an array of strings.");
            return null;
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
