using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atiende.Server.Shared;

/// <summary>The API's JSON conventions: camelCase names, enums as lowercase snake strings.</summary>
public static class Json
{
    public static readonly JsonNamingPolicy EnumNaming = JsonNamingPolicy.SnakeCaseLower;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(EnumNaming, allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNaming.ConvertName(value.ToString());

    public static IEnumerable<string> EnumNames<TEnum>()
        where TEnum : struct, Enum => System.Enum.GetValues<TEnum>().Select(EnumName);

    public static bool TryParseEnum<TEnum>(string value, out TEnum parsed)
        where TEnum : struct, Enum
    {
        foreach (var candidate in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(EnumName(candidate), value, StringComparison.Ordinal))
            {
                parsed = candidate;
                return true;
            }
        }

        parsed = default;
        return false;
    }
}
