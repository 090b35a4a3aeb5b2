using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace SalesPipeline.Delta;

/// <summary>
/// Reads a Parquet file into per-column arrays of CLR values, assembling nested structs, lists and maps
/// from repetition/definition levels (Dremel record assembly). Structs become
/// <c>Dictionary&lt;string, object?&gt;</c>, lists <c>List&lt;object?&gt;</c>, maps
/// <c>List&lt;KeyValuePair&lt;object, object?&gt;&gt;</c>; leaves keep Parquet.Net's types
/// (strings and binaries are materialised as string and byte[]).
/// </summary>
internal static class ParquetRecordReader
{
    internal static readonly ParquetOptions Options = new() { UseDateOnlyTypeForDates = true, TreatByteArrayAsString = false, UseBigDecimal = true };

    internal sealed record FileData(long RowCount, Dictionary<string, (Field Field, object?[] Values)> Columns);

    /// <summary>Reads the top-level columns accepted by <paramref name="want"/> (all when null); names are matched case-insensitively.</summary>
    public static async Task<FileData> ReadAsync(Stream stream, Func<string, bool>? want, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, Options, leaveStreamOpen: true, cancellationToken: ct);
        var fields = reader.Schema.Fields.Where(f => want is null || want(f.Name)).ToArray();
        var total = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            total += rg.RowCount;
        }
        var columns = new Dictionary<string, (Field, object?[])>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in fields) columns[f.Name] = (f, new object?[total]);
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var rows = checked((int)rg.RowCount);
            foreach (var f in fields)
            {
                var leaves = new List<DataField>();
                CollectLeaves(f, leaves);
                var data = new Leaf[leaves.Count];
                for (var i = 0; i < leaves.Count; i++) data[i] = await ReadLeafAsync(rg, leaves[i], ct);
                var target = columns[f.Name].Item2;
                if (f is DataField && data[0].Rep.Length == 0)
                {
                    var flat = data[0];
                    for (var r = 0; r < rows; r++) target[offset + r] = flat.Pos[r] >= 0 ? flat.Values[flat.Pos[r]] : null;
                    continue;
                }
                var starts = new int[data.Length];
                var ends = new int[data.Length];
                var cursors = new int[data.Length];
                for (var r = 0; r < rows; r++)
                {
                    for (var i = 0; i < data.Length; i++)
                    {
                        var leaf = data[i];
                        var s = cursors[i];
                        var e = s + 1;
                        while (e < leaf.Count && leaf.Rep.Length > 0 && leaf.Rep[e] > 0) e++;
                        starts[i] = s;
                        ends[i] = e;
                        cursors[i] = e;
                    }
                    var slices = new Slice(data, starts, ends, 0);
                    target[offset + r] = Build(f, slices);
                }
            }
            offset += rows;
        }
        return new FileData(total, columns);
    }

    private static void CollectLeaves(Field f, List<DataField> leaves)
    {
        switch (f)
        {
            case DataField d: leaves.Add(d); break;
            case StructField s: foreach (var c in s.Fields) CollectLeaves(c, leaves); break;
            case ListField l: CollectLeaves(l.Item, leaves); break;
            case MapField m: CollectLeaves(m.Key, leaves); CollectLeaves(m.Value, leaves); break;
            default: throw new DeltaUnsupportedFeatureException("parquet schema", $"Unsupported Parquet field kind {f.GetType().Name} ({f.Path}).");
        }
    }

    private static int LeafCount(Field f) => f switch
    {
        DataField => 1,
        StructField s => s.Fields.Sum(LeafCount),
        ListField l => LeafCount(l.Item),
        MapField m => LeafCount(m.Key) + LeafCount(m.Value),
        _ => 0,
    };

    /// <summary>Entry ranges [start, end) per leaf, for the leaves [First, First + n) of a node.</summary>
    private readonly record struct Slice(Leaf[] Leaves, int[] Starts, int[] Ends, int First);

    private static object? Build(Field node, Slice s)
    {
        var leaf = s.Leaves[s.First];
        var e0 = s.Starts[s.First];
        var def = leaf.Def.Length == 0 ? leaf.MaxDef : leaf.Def[e0];
        switch (node)
        {
            case DataField:
                return leaf.Pos[e0] >= 0 ? leaf.Values[leaf.Pos[e0]] : null;
            case StructField st:
            {
                if (def < st.MaxDefinitionLevel) return null;
                var d = new Dictionary<string, object?>(st.Fields.Count, StringComparer.Ordinal);
                var first = s.First;
                foreach (var c in st.Fields)
                {
                    d[c.Name] = Build(c, s with { First = first });
                    first += LeafCount(c);
                }
                return d;
            }
            case ListField or MapField:
            {
                if (def < node.MaxDefinitionLevel - 1) return null;
                var children = node is ListField lf ? new[] { lf.Item } : [((MapField)node).Key, ((MapField)node).Value];
                var n = LeafCount(node);
                var elementsPerLeaf = new List<(int, int)>[n];
                for (var i = 0; i < n; i++)
                {
                    var l = s.Leaves[s.First + i];
                    var list = new List<(int, int)>();
                    var start = s.Starts[s.First + i];
                    var end = s.Ends[s.First + i];
                    var ld = l.Def.Length == 0 ? l.MaxDef : l.Def[start];
                    if (ld >= node.MaxDefinitionLevel)
                    {
                        var es = start;
                        for (var e = start + 1; e < end; e++)
                        {
                            if (l.Rep[e] <= node.MaxRepetitionLevel) { list.Add((es, e)); es = e; }
                        }
                        list.Add((es, end));
                    }
                    elementsPerLeaf[i] = list;
                }
                var count = elementsPerLeaf[0].Count;
                var starts = (int[])s.Starts.Clone();
                var ends = (int[])s.Ends.Clone();
                var items = new List<object?>(count);
                var pairs = node is MapField ? new List<KeyValuePair<object, object?>>(count) : null;
                for (var k = 0; k < count; k++)
                {
                    for (var i = 0; i < n; i++) (starts[s.First + i], ends[s.First + i]) = elementsPerLeaf[i][k];
                    var inner = new Slice(s.Leaves, starts, ends, s.First);
                    if (pairs is null)
                    {
                        items.Add(Build(children[0], inner));
                    }
                    else
                    {
                        var key = Build(children[0], inner) ?? throw new DeltaProtocolException("Parquet map with a null key.");
                        var value = Build(children[1], inner with { First = s.First + LeafCount(children[0]) });
                        pairs.Add(new KeyValuePair<object, object?>(key, value));
                    }
                }
                return pairs is null ? items : pairs;
            }
            default:
                throw new DeltaUnsupportedFeatureException("parquet schema", $"Unsupported Parquet field {node.Path}.");
        }
    }

    private sealed class Leaf
    {
        public required object?[] Values;
        public required int[] Def;
        public required int[] Rep;
        public required int[] Pos;
        public required int MaxDef;
        public required int Count;
    }

    private static async Task<Leaf> ReadLeafAsync(ParquetRowGroupReader rg, DataField df, CancellationToken ct)
    {
        var t = df.ClrType;
        if (t == typeof(int)) return await ReadAsync<int>(rg, df, ct);
        if (t == typeof(long)) return await ReadAsync<long>(rg, df, ct);
        if (t == typeof(short)) return await ReadAsync<short>(rg, df, ct);
        if (t == typeof(sbyte)) return await ReadAsync<sbyte>(rg, df, ct);
        if (t == typeof(byte)) return await ReadAsync<byte>(rg, df, ct);
        if (t == typeof(ushort)) return await ReadAsync<ushort>(rg, df, ct);
        if (t == typeof(uint)) return await ReadAsync<uint>(rg, df, ct);
        if (t == typeof(ulong)) return await ReadAsync<ulong>(rg, df, ct);
        if (t == typeof(bool)) return await ReadAsync<bool>(rg, df, ct);
        if (t == typeof(float)) return await ReadAsync<float>(rg, df, ct);
        if (t == typeof(double)) return await ReadAsync<double>(rg, df, ct);
        if (t == typeof(decimal)) return await ReadAsync<decimal>(rg, df, ct);
        if (t == typeof(BigDecimal)) return await ReadAsync<BigDecimal>(rg, df, ct, static v => Decimals.FromBig(v.UnscaledValue, v.Scale));
        if (t == typeof(DateTime)) return await ReadAsync<DateTime>(rg, df, ct);
        if (t == typeof(DateOnly)) return await ReadAsync<DateOnly>(rg, df, ct);
        if (t == typeof(TimeSpan)) return await ReadAsync<TimeSpan>(rg, df, ct);
        if (t == typeof(TimeOnly)) return await ReadAsync<TimeOnly>(rg, df, ct);
        if (t == typeof(Guid)) return await ReadAsync<Guid>(rg, df, ct);
        if (t == typeof(ReadOnlyMemory<char>)) return await ReadAsync<ReadOnlyMemory<char>>(rg, df, ct, static v => v.ToString());
        if (t == typeof(ReadOnlyMemory<byte>)) return await ReadAsync<ReadOnlyMemory<byte>>(rg, df, ct, static v => v.ToArray());
        throw new DeltaUnsupportedFeatureException("parquet type", $"Parquet column '{df.Path}' has CLR type {t.Name}, which this reader does not handle.");
    }

    private static async Task<Leaf> ReadAsync<T>(ParquetRowGroupReader rg, DataField df, CancellationToken ct, Func<T, object>? map = null)
        where T : struct
    {
        using var raw = (RawColumnData<T>)await rg.ReadRawColumnDataBaseAsync(df, ct);
        var def = df.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : [];
        var rep = df.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : [];
        var count = def.Length > 0 ? def.Length : rep.Length > 0 ? rep.Length : checked((int)rg.RowCount);
        var pos = new int[count];
        var defined = 0;
        for (var i = 0; i < count; i++) pos[i] = def.Length == 0 || def[i] == df.MaxDefinitionLevel ? defined++ : -1;
        var span = raw.Values;
        var values = new object?[defined];
        for (var i = 0; i < defined; i++) values[i] = map is null ? span[i] : map(span[i]);
        return new Leaf { Values = values, Def = def, Rep = rep, Pos = pos, MaxDef = df.MaxDefinitionLevel, Count = count };
    }
}
