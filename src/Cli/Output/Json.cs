using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SalesPipeline.Cli.Output;

/// <summary>The CLI's JSON conventions (docs/cli.md): snake_case names, exact decimals, UTC ISO-8601 timestamps, dates yyyy-MM-dd.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions SnakeCase = Create(JsonNamingPolicy.SnakeCaseLower);

    /// <summary><c>sales status --json</c> uses camelCase (<c>caughtUp</c>), as its consumers expect.</summary>
    public static readonly JsonSerializerOptions CamelCase = Create(JsonNamingPolicy.CamelCase);

    public static string Serialize<T>(T value, JsonSerializerOptions? options = null) =>
        JsonSerializer.Serialize(value, options ?? SnakeCase);

    private static JsonSerializerOptions Create(JsonNamingPolicy naming)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
