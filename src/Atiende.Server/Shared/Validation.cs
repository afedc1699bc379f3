using System.Net.Mail;

namespace Atiende.Server.Shared;

/// <summary>Collects field errors at the edge; answered as 422 problem details listing every field.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required.");
            return null;
        }

        return MaxLength(field, value.Trim(), maxLength);
    }

    public string? MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters (got {value.Length}).");
        }

        WithoutNul(field, value);
        return value;
    }

    /// <summary>PostgreSQL cannot store U+0000 in text; refusing it here makes both engines answer 422 instead of one a 500.</summary>
    public bool WithoutNul(string field, string? value)
    {
        if (value is null || !value.Contains('\0', StringComparison.Ordinal))
        {
            return true;
        }

        Add(field, $"{field} must not contain NUL (U+0000) characters.");
        return false;
    }

    public string? Email(string field, string? value)
    {
        var email = Required(field, value, 254);
        if (email is null)
        {
            return null;
        }

        if (!IsEmail(email))
        {
            Add(field, $"{field} '{email}' is not a valid email address.");
            return null;
        }

        return email.ToLowerInvariant();
    }

    /// <summary>Parses a snake_case enum value, naming the allowed values when it is unknown.</summary>
    public TEnum? Enum<TEnum>(string field, string? value)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        if (Json.TryParseEnum<TEnum>(value, out var parsed))
        {
            return parsed;
        }

        Add(field, $"{field} '{value}' is not one of: {string.Join(", ", Json.EnumNames<TEnum>())}.");
        return null;
    }

    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && string.Equals(address.Address, value, StringComparison.OrdinalIgnoreCase)
        && value.Contains('@', StringComparison.Ordinal) && !value.Contains(' ', StringComparison.Ordinal);
}
