using System.Globalization;
using System.Text;

namespace SalesPipeline.Delta;

/// <summary>Partition values as strings (PROTOCOL.md "Partition Value Serialization") and hive-style paths.</summary>
internal static class PartitionCodec
{
    public const string HiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

    public static string? Serialize(object? value, DeltaDataType type) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt when type == DeltaDataType.Date => DateOnly.FromDateTime(dt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        // The protocol recommends ISO-8601 adjusted to UTC, so no reader has to guess the writer's time zone.
        DateTime dt when type == DeltaDataType.TimestampNtz => dt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTime dt => ValueConvert.ToUtc(dt).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        float x => x.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Encoding.Latin1.GetString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static object? Parse(string? s, DeltaDataType type, TimeZoneInfo? zone = null)
    {
        if (string.IsNullOrEmpty(s)) return null;
        if (type is DeltaDecimalType) return decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        var inv = CultureInfo.InvariantCulture;
        return type.TypeName switch
        {
            "string" => s,
            "long" => long.Parse(s, inv),
            "integer" => int.Parse(s, inv),
            "short" => short.Parse(s, inv),
            "byte" => sbyte.Parse(s, inv),
            "double" => double.Parse(s, NumberStyles.Float, inv),
            "float" => float.Parse(s, NumberStyles.Float, inv),
            "boolean" => bool.Parse(s),
            "date" => DateOnly.Parse(s, inv),
            "timestamp" => ParseTimestamp(s, utc: true, zone),
            "timestamp_ntz" => ParseTimestamp(s, utc: false, null),
            "binary" => Encoding.Latin1.GetBytes(s),
            _ => throw new DeltaUnsupportedFeatureException($"partition column of type {type.TypeName}", $"Partition columns of type {type.TypeName} are not supported."),
        };
    }

    /// <summary>
    /// "yyyy-MM-dd HH:mm:ss[.ffffff]" without an offset is in the writer's time zone, which the log does not record
    /// (Spark uses its session zone): <paramref name="zone"/>, UTC by default. ISO-8601 with Z or an offset is exact.
    /// </summary>
    private static DateTime ParseTimestamp(string s, bool utc, TimeZoneInfo? zone)
    {
        if (utc && zone is not null && zone != TimeZoneInfo.Utc && !s.Contains('T', StringComparison.Ordinal) && !s.EndsWith('Z'))
        {
            var local = DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces);
            return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
        }
        var styles = DateTimeStyles.AllowWhiteSpaces | (utc ? DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal : DateTimeStyles.None);
        var dt = DateTime.Parse(s, CultureInfo.InvariantCulture, styles);
        return utc ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : DateTime.SpecifyKind(dt, DateTimeKind.Unspecified);
    }

    /// <summary>Hive escaping of a directory name part, as Spark's escapePathName.</summary>
    public static string EscapePathName(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7F || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '{' or '[' or ']' or '^')
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Relative directory <c>a=1/b=x</c> for the given serialized partition values (in partition column order).</summary>
    public static string Directory(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> values)
    {
        var parts = new string[partitionColumns.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var v = values[partitionColumns[i]];
            parts[i] = EscapePathName(partitionColumns[i]) + "=" + (v is null ? HiveDefaultPartition : EscapePathName(v));
        }
        return string.Join('/', parts);
    }

    /// <summary>Encodes a relative file path as the URI string an <c>add.path</c> holds.</summary>
    public static string ToUriPath(string relativePath)
    {
        var sb = new StringBuilder(relativePath.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(relativePath))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '=' or '/' or '!' or '$' or '&' or '(' or ')' or '*' or '+' or ',' or ';' or '@' or ':'))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Decodes an <c>add.path</c> to a path relative to the table root (or an absolute local path).</summary>
    public static string FromUriPath(string path, string tableRoot)
    {
        if (path.StartsWith("file:", StringComparison.Ordinal))
        {
            var local = new Uri(path).LocalPath;
            return Path.GetRelativePath(tableRoot, local).Replace(Path.DirectorySeparatorChar, '/');
        }
        if (path.Contains("://", StringComparison.Ordinal))
            throw new DeltaUnsupportedFeatureException("absolute non-local paths", $"Data file path '{path}' is on another file system.");
        return Uri.UnescapeDataString(path);
    }
}
