namespace SalesPipeline.Delta;

/// <summary>Reads the rows of one data file in table-schema order, filling partition columns from the log.</summary>
internal static class DataFileReader
{
    public static async Task<List<object?[]>> ReadAsync(IDeltaLogStore store, DeltaSchema schema, IReadOnlyList<string> partitionColumns, AddAction add, TimeZoneInfo? partitionZone, CancellationToken ct)
    {
        var relative = PartitionCodec.FromUriPath(add.Path, store.Root);
        byte[] bytes;
        try { bytes = await store.ReadAllBytesAsync(relative, ct); }
        catch (FileNotFoundException ex) { throw new DeltaProtocolException($"Data file '{relative}' listed by the log is missing (was it vacuumed?).", ex); }
        catch (DirectoryNotFoundException ex) { throw new DeltaProtocolException($"Data file '{relative}' listed by the log is missing (was it vacuumed?).", ex); }
        using var ms = new MemoryStream(bytes, writable: false);
        var isPartition = new bool[schema.Fields.Count];
        foreach (var c in partitionColumns) isPartition[schema.IndexOf(c)] = true;
        // With column mapping (name or id mode) files and partition values use the physical names Spark assigned.
        var physical = schema.Fields.Select(ColumnMapping.PhysicalName).ToArray();
        var wanted = new HashSet<string>(physical.Where((_, i) => !isPartition[i]), StringComparer.OrdinalIgnoreCase);
        var data = await ParquetRecordReader.ReadAsync(ms, wanted.Contains, ct);
        var rowCount = checked((int)data.RowCount);
        var columns = new object?[]?[schema.Fields.Count];
        var constants = new object?[schema.Fields.Count];
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var f = schema.Fields[i];
            if (isPartition[i])
            {
                var key = add.PartitionValues.Keys.FirstOrDefault(k => string.Equals(k, physical[i], StringComparison.OrdinalIgnoreCase));
                constants[i] = key is null ? null : PartitionCodec.Parse(add.PartitionValues[key], f.Type, partitionZone);
            }
            else if (data.Columns.TryGetValue(physical[i], out var col))
            {
                columns[i] = col.Values;
            }
        }
        var convert = schema.Fields.Select(f => ValueConvert.ConverterFor(f.Type)).ToArray();
        var rows = new List<object?[]>(rowCount);
        for (var r = 0; r < rowCount; r++)
        {
            var row = new object?[schema.Fields.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = columns[i] is { } col ? convert[i](col[r]) : constants[i];
            rows.Add(row);
        }
        return rows;
    }
}
