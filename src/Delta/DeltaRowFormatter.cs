using System.Buffers;
using System.Data.SqlTypes;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SalesPipeline.Delta;

/// <summary>
/// Text forms of rows: JSON lines (column names as in the table, decimals as exact numbers, timestamps ISO-8601 UTC,
/// dates yyyy-MM-dd, binary as base64) and CSV (RFC 4180 quoting).
/// </summary>
public static class DeltaRowFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON object for the row.</summary>
    public static string ToJsonLine(DeltaSchema schema, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(row);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            for (var i = 0; i < schema.Fields.Count; i++)
            {
                w.WritePropertyName(schema.Fields[i].Name);
                WriteValue(w, row[i]);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The CSV header line.</summary>
    public static string CsvHeader(DeltaSchema schema) => string.Join(',', schema.Fields.Select(f => Csv(f.Name)));

    /// <summary>One CSV line for the row (nested values as JSON).</summary>
    public static string ToCsvLine(object?[] row) => string.Join(',', row.Select(v => v switch
    {
        null => "",
        string s => Csv(s),
        _ when IsScalar(v) => Csv(Scalar(v)),
        _ => Csv(Json(v)),
    }));

    private static bool IsScalar(object v) => v is not (IReadOnlyDictionary<string, object?> or List<object?> or List<KeyValuePair<object, object?>>);

    private static string Json(object? v)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) WriteValue(w, v);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string Scalar(object v) => v switch
    {
        DateTime dt when dt.Kind == DateTimeKind.Unspecified => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => Convert.ToBase64String(bytes),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        float x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case decimal m: w.WriteRawValue(m.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case SqlDecimal sd: w.WriteRawValue(sd.ToString(), skipInputValidation: true); break;
            case double x when !double.IsFinite(x): w.WriteStringValue(x.ToString(CultureInfo.InvariantCulture)); break;
            case float x when !float.IsFinite(x): w.WriteStringValue(x.ToString(CultureInfo.InvariantCulture)); break;
            case double x: w.WriteRawValue(x.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case float x: w.WriteRawValue(x.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case long or int or short or sbyte or byte: w.WriteNumberValue(Convert.ToInt64(v, CultureInfo.InvariantCulture)); break;
            case IReadOnlyDictionary<string, object?> d:
                w.WriteStartObject();
                foreach (var (k, x) in d) { w.WritePropertyName(k); WriteValue(w, x); }
                w.WriteEndObject();
                break;
            case List<KeyValuePair<object, object?>> map:
                w.WriteStartObject();
                foreach (var (k, x) in map) { w.WritePropertyName(k is string ks ? ks : Scalar(k)); WriteValue(w, x); }
                w.WriteEndObject();
                break;
            case List<object?> list:
                w.WriteStartArray();
                foreach (var x in list) WriteValue(w, x);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Scalar(v)); break;
        }
    }
}
