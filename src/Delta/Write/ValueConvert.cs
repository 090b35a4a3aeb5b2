using System.Globalization;

namespace SalesPipeline.Delta;

/// <summary>Converts CLR values to and from the representation of each Delta type.</summary>
internal static class ValueConvert
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime ToUtc(DateTime dt) => dt.Kind switch
    {
        DateTimeKind.Utc => dt,
        DateTimeKind.Local => dt.ToUniversalTime(),
        _ => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
    };

    /// <summary>Truncates to microseconds (the protocol's precision).</summary>
    public static DateTime TruncateToMicros(DateTime dt) => new(dt.Ticks - dt.Ticks % 10, dt.Kind);

    public static long ToUnixMillis(DateTime utc) => (long)(utc - Epoch).TotalMilliseconds;

    /// <summary>
    /// Coerces a value supplied by a caller to the CLR type the writer uses for <paramref name="type"/>;
    /// throws <see cref="DeltaSchemaMismatchException"/> naming the column when it cannot.
    /// </summary>
    public static object? Coerce(object? value, DeltaDataType type, string column)
    {
        if (value is null) return null;
        try
        {
            return type switch
            {
                DeltaDecimalType d => CoerceDecimal(value, d, column),
                _ when type == DeltaDataType.String => value as string ?? throw Mismatch(value, type, column),
                _ when type == DeltaDataType.Long => value switch { long l => l, int i => (long)i, short s => (long)s, sbyte b => (long)b, byte b => (long)b, uint u => (long)u, _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Integer => value switch { int i => i, short s => (int)s, sbyte b => (int)b, byte b => (int)b, ushort u => (int)u, _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Short => value switch { short s => s, sbyte b => (short)b, byte b => (short)b, _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Byte => value switch { sbyte b => b, _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Double => value switch { double x => x, float f => (double)f, int i => i, long l => l, _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Float => value switch { float f => f, _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Boolean => value as bool? ?? throw Mismatch(value, type, column),
                _ when type == DeltaDataType.Binary => value as byte[] ?? throw Mismatch(value, type, column),
                _ when type == DeltaDataType.Date => value switch { DateOnly d => d, DateTime dt => DateOnly.FromDateTime(dt), _ => throw Mismatch(value, type, column) },
                _ when type == DeltaDataType.Timestamp => value switch
                {
                    DateTime dt => TruncateToMicros(ToUtc(dt)),
                    DateTimeOffset dto => TruncateToMicros(dto.UtcDateTime),
                    _ => throw Mismatch(value, type, column),
                },
                _ when type == DeltaDataType.TimestampNtz => value is DateTime ntz ? TruncateToMicros(DateTime.SpecifyKind(ntz, DateTimeKind.Unspecified)) : throw Mismatch(value, type, column),
                _ => throw new DeltaUnsupportedFeatureException($"writing {type.TypeName}", $"Writing columns of type {type.TypeName} is not supported (column '{column}')."),
            };
        }
        catch (OverflowException)
        {
            throw Mismatch(value, type, column);
        }
    }

    private static decimal CoerceDecimal(object value, DeltaDecimalType d, string column)
    {
        var x = value switch { decimal m => m, int i => i, long l => l, _ => throw Mismatch(value, d, column) };
        var rounded = Math.Round(x, d.Scale, MidpointRounding.ToEven);
        if (rounded != x)
            throw new DeltaSchemaMismatchException($"Column '{column}' is {d.TypeName} but value {x.ToString(CultureInfo.InvariantCulture)} has more than {d.Scale} decimal places.");
        var integerDigits = Math.Truncate(Math.Abs(x)) == 0 ? 0 : Math.Floor(Math.Log10((double)Math.Truncate(Math.Abs(x)))) + 1;
        if (integerDigits > d.Precision - d.Scale)
            throw new DeltaSchemaMismatchException($"Column '{column}' is {d.TypeName} but value {x.ToString(CultureInfo.InvariantCulture)} does not fit.");
        return rounded;
    }

    private static DeltaSchemaMismatchException Mismatch(object value, DeltaDataType type, string column) =>
        new($"Column '{column}' is {type.TypeName} but the value {Convert.ToString(value, CultureInfo.InvariantCulture)} is a {value.GetType().Name}.");

    /// <summary>A per-column converter: values already of the right CLR type pass through untouched (the common case).</summary>
    public static Func<object?, object?> ConverterFor(DeltaDataType type)
    {
        if (type is DeltaDecimalType d) return v => v is decimal m && m.Scale == d.Scale ? v : FromParquet(v, type);
        if (type == DeltaDataType.Timestamp) return v => v is DateTime { Kind: DateTimeKind.Utc } ? v : FromParquet(v, type);
        var clr = type.TypeName switch
        {
            "long" => typeof(long), "integer" => typeof(int), "short" => typeof(short), "byte" => typeof(sbyte), "double" => typeof(double),
            "float" => typeof(float), "boolean" => typeof(bool), "string" => typeof(string), "date" => typeof(DateOnly), "binary" => typeof(byte[]),
            _ => null,
        };
        if (clr is null) return v => FromParquet(v, type);
        return v => v is null || v.GetType() == clr ? v : FromParquet(v, type);
    }

    /// <summary>
    /// Converts a value read from Parquet (Parquet.Net's CLR type) to the CLR type of the table's Delta type,
    /// so that files written with narrower physical types read back consistently.
    /// </summary>
    public static object? FromParquet(object? v, DeltaDataType type)
    {
        if (v is null) return null;
        switch (type)
        {
            case DeltaStructType st when v is Dictionary<string, object?> d:
            {
                var result = new Dictionary<string, object?>(st.Fields.Count, StringComparer.Ordinal);
                foreach (var f in st.Fields)
                {
                    var name = ColumnMapping.PhysicalName(f);
                    var key = d.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                    result[f.Name] = key is null ? null : FromParquet(d[key], f.Type);
                }
                return result;
            }
            case DeltaArrayType at when v is List<object?> list:
                return list.Select(x => FromParquet(x, at.ElementType)).ToList();
            case DeltaMapType mt when v is List<KeyValuePair<object, object?>> pairs:
                return pairs.Select(p => new KeyValuePair<object, object?>(FromParquet(p.Key, mt.KeyType)!, FromParquet(p.Value, mt.ValueType))).ToList();
            case DeltaDecimalType dt:
                return v switch
                {
                    decimal m => Decimals.WithScale(m, dt.Scale),
                    System.Data.SqlTypes.SqlDecimal => v,
                    _ => Decimals.WithScale(Convert.ToDecimal(v, CultureInfo.InvariantCulture), dt.Scale),
                };
        }
        return type.TypeName switch
        {
            "long" => v is long ? v : Convert.ToInt64(v, CultureInfo.InvariantCulture),
            "integer" => v is int ? v : Convert.ToInt32(v, CultureInfo.InvariantCulture),
            "short" => v is short ? v : Convert.ToInt16(v, CultureInfo.InvariantCulture),
            "byte" => v is sbyte ? v : Convert.ToSByte(v, CultureInfo.InvariantCulture),
            "double" => v is double ? v : Convert.ToDouble(v, CultureInfo.InvariantCulture),
            "float" => v is float ? v : Convert.ToSingle(v, CultureInfo.InvariantCulture),
            "date" => v is DateTime dt ? DateOnly.FromDateTime(dt) : v,
            "timestamp" => v is DateTime ts ? DateTime.SpecifyKind(ts, DateTimeKind.Utc) : v,
            "timestamp_ntz" => v is DateTime tn ? DateTime.SpecifyKind(tn, DateTimeKind.Unspecified) : v,
            "string" => v is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : v,
            _ => v,
        };
    }
}
