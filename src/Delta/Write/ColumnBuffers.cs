using Parquet;
using Parquet.Schema;

namespace SalesPipeline.Delta;

/// <summary>Typed column buffers that also track min, max and null count while rows are copied in.</summary>
internal abstract class ColumnBuffer
{
    public long Nulls { get; protected set; }
    public object? Min { get; protected set; }
    public object? Max { get; protected set; }
    public abstract void Set(int row, object? value);
    public abstract Task WriteAsync(ParquetRowGroupWriter rg, DataField field, CancellationToken ct);
}

internal static class ColumnBuffers
{
    public static ColumnBuffer Create(DeltaField field, int count)
    {
        var t = field.Type;
        bool stats = t != DeltaDataType.Boolean && t != DeltaDataType.Binary;
        return t switch
        {
            DeltaDecimalType => new Struct<decimal>(count, field.Nullable, stats),
            _ when t == DeltaDataType.String => new Str(count),
            _ when t == DeltaDataType.Binary => new Bytes(count),
            _ when t == DeltaDataType.Long => new Struct<long>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Integer => new Struct<int>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Short => new Struct<short>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Byte => new Struct<sbyte>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Double => new Struct<double>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Float => new Struct<float>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Boolean => new Struct<bool>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Date => new Struct<DateOnly>(count, field.Nullable, stats),
            _ when t == DeltaDataType.Timestamp || t == DeltaDataType.TimestampNtz => new Struct<DateTime>(count, field.Nullable, stats),
            _ => throw new DeltaUnsupportedFeatureException($"writing {t.TypeName}", $"Writing columns of type {t.TypeName} is not supported (column '{field.Name}')."),
        };
    }

    private sealed class Struct<T>(int count, bool nullable, bool stats) : ColumnBuffer where T : struct, IComparable<T>
    {
        private readonly T?[]? _nullable = nullable ? new T?[count] : null;
        private readonly T[]? _required = nullable ? null : new T[count];
        private bool _any;
        private T _min, _max;

        public override void Set(int row, object? value)
        {
            if (value is null) { Nulls++; return; }
            var v = (T)value;
            if (_nullable is not null) _nullable[row] = v; else _required![row] = v;
            if (!stats) return;
            if (typeof(T) == typeof(double) && double.IsNaN((double)(object)v)) return;
            if (typeof(T) == typeof(float) && float.IsNaN((float)(object)v)) return;
            if (!_any) { _min = _max = v; _any = true; }
            else
            {
                if (v.CompareTo(_min) < 0) _min = v;
                if (v.CompareTo(_max) > 0) _max = v;
            }
            Min = _min;
            Max = _max;
        }

        public override Task WriteAsync(ParquetRowGroupWriter rg, DataField field, CancellationToken ct) =>
            _nullable is not null
                ? rg.WriteAsync<T>(field, _nullable.AsMemory(), null, null, ct)
                : rg.WriteAsync<T>(field, _required.AsMemory(), null, null, ct);
    }

    private sealed class Str(int count) : ColumnBuffer
    {
        private readonly string[] _values = new string[count];
        private string? _min, _max;

        public override void Set(int row, object? value)
        {
            if (value is null) { Nulls++; return; }
            var s = (string)value;
            _values[row] = s;
            if (_min is null || string.CompareOrdinal(s, _min) < 0) Min = _min = s;
            if (_max is null || string.CompareOrdinal(s, _max) > 0) Max = _max = s;
        }

        public override Task WriteAsync(ParquetRowGroupWriter rg, DataField field, CancellationToken ct) => rg.WriteAsync(field, _values, null);
    }

    private sealed class Bytes(int count) : ColumnBuffer
    {
        private readonly byte[][] _values = new byte[count][];

        public override void Set(int row, object? value)
        {
            if (value is null) { Nulls++; return; }
            _values[row] = (byte[])value;
        }

        public override Task WriteAsync(ParquetRowGroupWriter rg, DataField field, CancellationToken ct) => rg.WriteAsync(field, _values, null);
    }
}
