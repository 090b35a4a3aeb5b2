using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace SalesPipeline.Sources.Parquet;

/// <summary>One flat column of one row group, read whole (Parquet.Net reads column chunks whole anyway).</summary>
internal abstract class ColumnValues
{
    private const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF";

    /// <summary>The value of a row, boxed; null when the row has none.</summary>
    public abstract object? Get(int row);

    /// <summary>Reads a column of a supported CLR type, or returns null for any other type.</summary>
    public static async ValueTask<ColumnValues?> ReadAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory(), cancellationToken: ct);
            return new Of<string>(values);
        }

        if (t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>))
        {
            var values = new byte[]?[rows];
            await group.ReadAsync(field, values.AsMemory(), cancellationToken: ct);
            return new Of<byte[]>(values);
        }

        if (t == typeof(int)) return await Read<int>(group, field, rows, ct);
        if (t == typeof(long)) return await Read<long>(group, field, rows, ct);
        if (t == typeof(short)) return await Read<short>(group, field, rows, ct);
        if (t == typeof(sbyte)) return await Read<sbyte>(group, field, rows, ct);
        if (t == typeof(byte)) return await Read<byte>(group, field, rows, ct);
        if (t == typeof(ushort)) return await Read<ushort>(group, field, rows, ct);
        if (t == typeof(uint)) return await Read<uint>(group, field, rows, ct);
        if (t == typeof(ulong)) return await Read<ulong>(group, field, rows, ct);
        if (t == typeof(bool)) return await Read<bool>(group, field, rows, ct);
        if (t == typeof(float)) return await Read<float>(group, field, rows, ct);
        if (t == typeof(double)) return await Read<double>(group, field, rows, ct);
        if (t == typeof(decimal)) return await Read<decimal>(group, field, rows, ct);
        if (t == typeof(DateTime)) return await Read<DateTime>(group, field, rows, ct);
        if (t == typeof(DateOnly)) return await Read<DateOnly>(group, field, rows, ct);
        if (t == typeof(TimeSpan)) return await Read<TimeSpan>(group, field, rows, ct);
        if (t == typeof(TimeOnly)) return await Read<TimeOnly>(group, field, rows, ct);
        if (t == typeof(Guid)) return await Read<Guid>(group, field, rows, ct);
        return null;
    }

    /// <summary>Whether the reader can read a column of this CLR type.</summary>
    public static bool Supports(Type t) =>
        t == typeof(string) || t == typeof(ReadOnlyMemory<char>) || t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) ||
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) ||
        t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong) || t == typeof(bool) || t == typeof(float) ||
        t == typeof(double) || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(DateOnly) ||
        t == typeof(TimeSpan) || t == typeof(TimeOnly) || t == typeof(Guid);

    /// <summary>A value as text: invariant numbers, ISO-8601 times, base64 bytes.</summary>
    public static string Text(object value) => value switch
    {
        string s => s,
        byte[] b => Convert.ToBase64String(b),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString(dt.Kind == DateTimeKind.Utc ? UtcFormat : LocalFormat, CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Writes a value into the row's compact JSON (numbers as numbers, the rest as strings).</summary>
    public static void WriteJson(Utf8JsonWriter json, JsonEncodedText name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case string s: json.WriteString(name, s); break;
            case bool b: json.WriteBoolean(name, b); break;
            case int i: json.WriteNumber(name, i); break;
            case long l: json.WriteNumber(name, l); break;
            case short or sbyte or byte or ushort or uint: json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumber(name, u); break;
            case decimal m: json.WriteNumber(name, m); break;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            case float f when float.IsFinite(f): json.WriteNumber(name, f); break;
            case DateTime dt:
                Span<char> text = stackalloc char[32];
                dt.TryFormat(text, out var written, dt.Kind == DateTimeKind.Utc ? UtcFormat : LocalFormat, CultureInfo.InvariantCulture);
                json.WriteString(name, text[..written]);
                break;
            default: json.WriteString(name, Text(value)); break;
        }
    }

    private static async ValueTask<ColumnValues> Read<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
            return new OfValue<T>(values);
        }

        // Parquet.Net 6.1 misplaces values when a required column is read into nullable memory after another
        // column of the group (stale definition levels: 2.55, 0.1, 0 came back as 2.55, null, 0.1).
        var required = new T[rows];
        await group.ReadAsync<T>(field, required.AsMemory(), cancellationToken: ct);
        for (var i = 0; i < rows; i++)
        {
            values[i] = required[i];
        }

        return new OfValue<T>(values);
    }

    private sealed class Of<T>(T?[] values) : ColumnValues
        where T : class
    {
        public override object? Get(int row) => values[row];
    }

    private sealed class OfValue<T>(T?[] values) : ColumnValues
        where T : struct
    {
        public override object? Get(int row) => values[row];
    }
}
