using System.Globalization;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace SalesPipeline.Delta;

/// <summary>Writes rows as snappy Parquet data files, one or more per partition, and returns their add actions.</summary>
internal static class DataFileWriter
{
    public static async Task<List<AddAction>> WriteAsync(
        IDeltaLogStore store, DeltaSchema schema, IReadOnlyList<string> partitionColumns, IReadOnlyList<object?[]> rows,
        int maxRowsPerFile, long nowMillis, bool dataChange, CancellationToken ct)
    {
        var partIdx = partitionColumns.Select(c => schema.IndexOf(c)).ToArray();
        var dataIdx = Enumerable.Range(0, schema.Fields.Count).Where(i => !partIdx.Contains(i)).ToArray();
        var groups = new Dictionary<string, (Dictionary<string, string?> Values, List<object?[]> Rows)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Length != schema.Fields.Count)
                throw new DeltaSchemaMismatchException($"A row has {row.Length} values but the table has {schema.Fields.Count} columns.");
            var values = new Dictionary<string, string?>(partIdx.Length, StringComparer.Ordinal);
            foreach (var i in partIdx)
            {
                var f = schema.Fields[i];
                values[f.Name] = PartitionCodec.Serialize(ValueConvert.Coerce(row[i], f.Type, f.Name), f.Type);
            }
            var key = partIdx.Length == 0 ? "" : PartitionCodec.Directory(partitionColumns, values);
            if (!groups.TryGetValue(key, out var g)) groups[key] = g = (values, []);
            g.Rows.Add(row);
        }
        var fields = dataIdx.Select(i => ToParquetField(schema.Fields[i])).ToArray();
        var parquetSchema = new ParquetSchema(fields);
        var result = new List<AddAction>();
        foreach (var (dir, (values, groupRows)) in groups)
        {
            for (var start = 0; start < groupRows.Count; start += maxRowsPerFile)
            {
                var count = Math.Min(maxRowsPerFile, groupRows.Count - start);
                var name = $"part-{result.Count:D5}-{Guid.NewGuid()}-c000.snappy.parquet";
                var relative = dir.Length == 0 ? name : dir + "/" + name;
                using var ms = new MemoryStream();
                var stats = await WriteFileAsync(ms, parquetSchema, fields, schema, dataIdx, groupRows, start, count, ct);
                await store.PutAsync(relative, ms.GetBuffer().AsMemory(0, (int)ms.Length), ct);
                result.Add(new AddAction(PartitionCodec.ToUriPath(relative), values, ms.Length, nowMillis, dataChange, stats));
            }
        }
        return result;
    }

    internal static DataField ToParquetField(DeltaField f)
    {
        var n = f.Nullable;
        return f.Type switch
        {
            DeltaDecimalType d => new DecimalDataField(f.Name, d.Precision, d.Scale, forceByteArrayEncoding: false, isNullable: n),
            _ when f.Type == DeltaDataType.Timestamp => new DateTimeDataField(f.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: n),
            _ when f.Type == DeltaDataType.TimestampNtz => new DateTimeDataField(f.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: n),
            _ when f.Type == DeltaDataType.String => new DataField<string>(f.Name, n),
            _ when f.Type == DeltaDataType.Binary => new DataField<byte[]>(f.Name, n),
            _ when f.Type == DeltaDataType.Long => n ? new DataField<long?>(f.Name) : new DataField<long>(f.Name),
            _ when f.Type == DeltaDataType.Integer => n ? new DataField<int?>(f.Name) : new DataField<int>(f.Name),
            _ when f.Type == DeltaDataType.Short => n ? new DataField<short?>(f.Name) : new DataField<short>(f.Name),
            _ when f.Type == DeltaDataType.Byte => n ? new DataField<sbyte?>(f.Name) : new DataField<sbyte>(f.Name),
            _ when f.Type == DeltaDataType.Double => n ? new DataField<double?>(f.Name) : new DataField<double>(f.Name),
            _ when f.Type == DeltaDataType.Float => n ? new DataField<float?>(f.Name) : new DataField<float>(f.Name),
            _ when f.Type == DeltaDataType.Boolean => n ? new DataField<bool?>(f.Name) : new DataField<bool>(f.Name),
            _ when f.Type == DeltaDataType.Date => n ? new DataField<DateOnly?>(f.Name) : new DataField<DateOnly>(f.Name),
            _ => throw new DeltaUnsupportedFeatureException($"writing {f.Type.TypeName}", $"Writing columns of type {f.Type.TypeName} is not supported (column '{f.Name}')."),
        };
    }

    private static async Task<string> WriteFileAsync(Stream output, ParquetSchema parquetSchema, DataField[] fields, DeltaSchema schema,
        int[] dataIdx, List<object?[]> rows, int start, int count, CancellationToken ct)
    {
        var minValues = new JsonObject();
        var maxValues = new JsonObject();
        var nullCount = new JsonObject();
        await using (var writer = await ParquetWriter.CreateAsync(parquetSchema, output, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct))
        {
            using var rg = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var field = schema.Fields[dataIdx[c]];
                var column = ColumnBuffers.Create(field, count);
                for (var r = 0; r < count; r++)
                {
                    var v = ValueConvert.Coerce(rows[start + r][dataIdx[c]], field.Type, field.Name);
                    if (v is null && !field.Nullable)
                        throw new DeltaSchemaMismatchException($"Column '{field.Name}' is not nullable but a row has null.");
                    column.Set(r, v);
                }
                await column.WriteAsync(rg, fields[c], ct);
                nullCount[field.Name] = column.Nulls;
                if (column.Min is not null) minValues[field.Name] = StatValue(column.Min, field.Type, isMax: false);
                if (column.Max is not null && StatValue(column.Max, field.Type, isMax: true) is { } max) maxValues[field.Name] = max;
            }
        }
        var stats = new JsonObject { ["numRecords"] = count, ["minValues"] = minValues, ["maxValues"] = maxValues, ["nullCount"] = nullCount };
        return stats.ToJsonString(ActionJson.WriteOptions);
    }

    /// <summary>Statistic values in the JSON shapes Spark writes (timestamps truncated to milliseconds, long strings cut).</summary>
    private static JsonNode? StatValue(object v, DeltaDataType type, bool isMax) => v switch
    {
        string s when s.Length > 32 => isMax ? null : JsonValue.Create(s[..32]),
        string s => JsonValue.Create(s),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime dt when type == DeltaDataType.TimestampNtz => JsonValue.Create(dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)),
        DateTime dt => JsonValue.Create(dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        decimal m => JsonValue.Create(m),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        short s => JsonValue.Create(s),
        sbyte b => JsonValue.Create(b),
        double x => double.IsFinite(x) ? JsonValue.Create(x) : null,
        float x => float.IsFinite(x) ? JsonValue.Create(x) : null,
        _ => null,
    };
}
