using System.Text.Json.Nodes;
using Parquet.Serialization;

namespace SalesPipeline.Delta;

/// <summary>Classic (V1 spec) checkpoint files: one Parquet row per action.</summary>
internal static class Checkpoints
{
    private static readonly string[] ActionColumns = ["add", "remove", "metaData", "protocol", "txn"];

    public static async Task<IReadOnlyList<DeltaAction>> ReadAsync(IDeltaLogStore store, string path, CancellationToken ct)
    {
        var bytes = await store.ReadAllBytesAsync(path, ct);
        using var ms = new MemoryStream(bytes, writable: false);
        var data = await ParquetRecordReader.ReadAsync(ms, n => ActionColumns.Contains(n, StringComparer.Ordinal), ct);
        var result = new List<DeltaAction>();
        for (var r = 0; r < data.RowCount; r++)
        {
            foreach (var (name, (_, values)) in data.Columns)
            {
                if (values[r] is not Dictionary<string, object?> obj) continue;
                if (name == "add" && obj.GetValueOrDefault("path") is null) continue;
                result.Add(ActionJson.Parse(name, (JsonObject)ToJson(obj)!));
            }
        }
        return result;
    }

    private static JsonNode? ToJson(object? v) => v switch
    {
        null => null,
        Dictionary<string, object?> d => new JsonObject(d.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, ToJson(kv.Value)))),
        List<KeyValuePair<object, object?>> m => new JsonObject(m.Select(kv => new KeyValuePair<string, JsonNode?>(Convert.ToString(kv.Key, System.Globalization.CultureInfo.InvariantCulture)!, ToJson(kv.Value)))),
        List<object?> l => new JsonArray(l.Select(ToJson).ToArray()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        _ => JsonValue.Create(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>Writes a classic checkpoint of <paramref name="state"/> and then <c>_last_checkpoint</c>.</summary>
    public static async Task WriteAsync(IDeltaLogStore store, TableState state, DateTimeOffset now, TimeSpan tombstoneRetention, CancellationToken ct)
    {
        var rows = new List<Row>();
        rows.Add(new Row
        {
            protocol = new Protocol
            {
                minReaderVersion = state.Protocol!.MinReaderVersion, minWriterVersion = state.Protocol.MinWriterVersion,
                readerFeatures = state.Protocol.ReaderFeatures?.ToList(), writerFeatures = state.Protocol.WriterFeatures?.ToList(),
            },
        });
        var m = state.Metadata!;
        rows.Add(new Row
        {
            metaData = new Meta
            {
                id = m.Id, name = m.Name, description = m.Description,
                format = new Format { provider = m.FormatProvider, options = m.FormatOptions.ToDictionary(kv => kv.Key, kv => kv.Value) },
                schemaString = m.SchemaString, partitionColumns = m.PartitionColumns.ToList(),
                configuration = m.Configuration.ToDictionary(kv => kv.Key, kv => kv.Value ?? ""), createdTime = m.CreatedTime,
            },
        });
        foreach (var t in state.AppTransactions.Values)
            rows.Add(new Row { txn = new Txn { appId = t.AppId, version = t.Version, lastUpdated = t.LastUpdated } });
        foreach (var a in state.Files.Values)
        {
            rows.Add(new Row
            {
                add = new Add
                {
                    path = a.Path, partitionValues = a.PartitionValues.ToDictionary(kv => kv.Key, kv => kv.Value), size = a.Size,
                    modificationTime = a.ModificationTime, dataChange = false, stats = a.Stats,
                    tags = a.Tags?.ToDictionary(kv => kv.Key, kv => kv.Value),
                },
            });
        }
        var cutoff = (now - tombstoneRetention).ToUnixTimeMilliseconds();
        foreach (var r in state.Tombstones.Values.Where(r => (r.DeletionTimestamp ?? 0) > cutoff))
        {
            rows.Add(new Row
            {
                remove = new Remove
                {
                    path = r.Path, deletionTimestamp = r.DeletionTimestamp, dataChange = false, extendedFileMetadata = r.ExtendedFileMetadata,
                    partitionValues = r.PartitionValues?.ToDictionary(kv => kv.Key, kv => kv.Value), size = r.Size,
                },
            });
        }
        using var ms = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, ms, new Parquet.ParquetOptions(), cancellationToken: ct);
        // A concurrent writer may have written the same checkpoint (same content): either copy is fine.
        await store.PutIfAbsentAsync(LogFiles.ClassicCheckpoint(state.Version), ms.ToArray(), ct);
        var last = new JsonObject { ["version"] = state.Version, ["size"] = rows.Count, ["sizeInBytes"] = ms.Length, ["numOfAddFiles"] = state.Files.Count };
        var current = await LogReplay.ReadLastCheckpointVersionAsync(store, ct);
        if (current is null || current < state.Version)
            await store.PutAsync(LogFiles.LastCheckpoint, System.Text.Encoding.UTF8.GetBytes(last.ToJsonString()), ct);
    }

#pragma warning disable IDE1006 // property names are the checkpoint's column names
    internal sealed class Row { public Txn? txn { get; set; } public Add? add { get; set; } public Remove? remove { get; set; } public Meta? metaData { get; set; } public Protocol? protocol { get; set; } }
    internal sealed class Txn { public string? appId { get; set; } public long? version { get; set; } public long? lastUpdated { get; set; } }
    internal sealed class Add
    {
        public string? path { get; set; }
        public Dictionary<string, string?>? partitionValues { get; set; }
        public long? size { get; set; }
        public long? modificationTime { get; set; }
        public bool? dataChange { get; set; }
        public string? stats { get; set; }
        public Dictionary<string, string?>? tags { get; set; }
    }
    internal sealed class Remove
    {
        public string? path { get; set; }
        public long? deletionTimestamp { get; set; }
        public bool? dataChange { get; set; }
        public bool? extendedFileMetadata { get; set; }
        public Dictionary<string, string?>? partitionValues { get; set; }
        public long? size { get; set; }
    }
    internal sealed class Format { public string? provider { get; set; } public Dictionary<string, string>? options { get; set; } }
    internal sealed class Meta
    {
        public string? id { get; set; }
        public string? name { get; set; }
        public string? description { get; set; }
        public Format? format { get; set; }
        public string? schemaString { get; set; }
        public List<string>? partitionColumns { get; set; }
        public Dictionary<string, string>? configuration { get; set; }
        public long? createdTime { get; set; }
    }
    internal sealed class Protocol
    {
        public int? minReaderVersion { get; set; }
        public int? minWriterVersion { get; set; }
        public List<string>? readerFeatures { get; set; }
        public List<string>? writerFeatures { get; set; }
    }
#pragma warning restore IDE1006
}
