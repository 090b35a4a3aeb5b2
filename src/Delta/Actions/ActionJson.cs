using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

/// <summary>Reads and writes actions as the single-line JSON documents of a commit file.</summary>
internal static class ActionJson
{
    // Relaxed escaping keeps non-ASCII partition values readable; the output is still valid JSON.
    internal static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static IEnumerable<DeltaAction> ParseCommit(string content, long version)
    {
        var lineNo = 0;
        if (content.Length > 0 && content[0] == '\uFEFF') content = content[1..];
        foreach (var raw in content.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            JsonObject obj;
            try { obj = JsonNode.Parse(line)?.AsObject() ?? throw new DeltaProtocolException($"Commit {version} line {lineNo} is not a JSON object."); }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                throw new DeltaProtocolException($"Commit {version} line {lineNo} is not valid JSON: {ex.Message}", ex);
            }
            foreach (var (kind, value) in obj)
            {
                if (value is not JsonObject v) continue;
                yield return Parse(kind, v);
            }
        }
    }

    public static DeltaAction Parse(string kind, JsonObject v) => kind switch
    {
        "protocol" => new ProtocolAction(
            Int(v, "minReaderVersion") ?? 1, Int(v, "minWriterVersion") ?? 2,
            StrList(v["readerFeatures"]), StrList(v["writerFeatures"])),
        "metaData" => new MetadataAction(
            Str(v, "id") ?? "",
            Str(v, "name"),
            Str(v, "description"),
            Str(v["format"] as JsonObject, "provider") ?? "parquet",
            StrMap((v["format"] as JsonObject)?["options"]).ToDictionary(kv => kv.Key, kv => kv.Value ?? ""),
            Str(v, "schemaString") ?? throw new DeltaProtocolException("metaData without schemaString."),
            StrList(v["partitionColumns"]) ?? [],
            StrMap(v["configuration"]),
            Long(v, "createdTime")),
        "add" => new AddAction(
            Str(v, "path") ?? throw new DeltaProtocolException("add without path."),
            StrMap(v["partitionValues"]),
            Long(v, "size") ?? 0,
            Long(v, "modificationTime") ?? 0,
            Bool(v, "dataChange") ?? true,
            Str(v, "stats"),
            v["tags"] is JsonObject ? StrMap(v["tags"]) : null,
            v["deletionVector"] as JsonObject),
        "remove" => new RemoveAction(
            Str(v, "path") ?? throw new DeltaProtocolException("remove without path."),
            Long(v, "deletionTimestamp"),
            Bool(v, "dataChange") ?? true,
            Bool(v, "extendedFileMetadata"),
            v["partitionValues"] is JsonObject ? StrMap(v["partitionValues"]) : null,
            Long(v, "size"),
            v["deletionVector"] as JsonObject),
        "txn" => new TxnAction(Str(v, "appId") ?? "", Long(v, "version") ?? -1, Long(v, "lastUpdated")),
        "commitInfo" => new CommitInfoAction(v),
        _ => new OtherAction(kind, v),
    };

    public static string ToLine(DeltaAction action)
    {
        var (kind, body) = action switch
        {
            ProtocolAction p => ("protocol", ProtocolNode(p)),
            MetadataAction m => ("metaData", MetadataNode(m)),
            AddAction a => ("add", AddNode(a)),
            RemoveAction r => ("remove", RemoveNode(r)),
            TxnAction t => ("txn", TxnNode(t)),
            CommitInfoAction c => ("commitInfo", (JsonObject)c.Value.DeepClone()),
            OtherAction o => (o.Kind, (JsonObject)o.Value.DeepClone()),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        return new JsonObject { [kind] = body }.ToJsonString(WriteOptions);
    }

    private static JsonObject ProtocolNode(ProtocolAction p)
    {
        var o = new JsonObject { ["minReaderVersion"] = p.MinReaderVersion, ["minWriterVersion"] = p.MinWriterVersion };
        if (p.ReaderFeatures is not null) o["readerFeatures"] = new JsonArray(p.ReaderFeatures.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        if (p.WriterFeatures is not null) o["writerFeatures"] = new JsonArray(p.WriterFeatures.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        return o;
    }

    private static JsonObject MetadataNode(MetadataAction m)
    {
        var o = new JsonObject { ["id"] = m.Id };
        if (m.Name is not null) o["name"] = m.Name;
        if (m.Description is not null) o["description"] = m.Description;
        o["format"] = new JsonObject { ["provider"] = m.FormatProvider, ["options"] = MapNode(m.FormatOptions.ToDictionary(kv => kv.Key, kv => (string?)kv.Value)) };
        o["schemaString"] = m.SchemaString;
        o["partitionColumns"] = new JsonArray(m.PartitionColumns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        o["configuration"] = MapNode(m.Configuration);
        if (m.CreatedTime is { } t) o["createdTime"] = t;
        return o;
    }

    private static JsonObject AddNode(AddAction a)
    {
        var o = new JsonObject
        {
            ["path"] = a.Path, ["partitionValues"] = MapNode(a.PartitionValues), ["size"] = a.Size,
            ["modificationTime"] = a.ModificationTime, ["dataChange"] = a.DataChange,
        };
        if (a.Stats is not null) o["stats"] = a.Stats;
        if (a.Tags is not null) o["tags"] = MapNode(a.Tags);
        if (a.DeletionVector is not null) o["deletionVector"] = a.DeletionVector.DeepClone();
        return o;
    }

    private static JsonObject RemoveNode(RemoveAction r)
    {
        var o = new JsonObject { ["path"] = r.Path };
        if (r.DeletionTimestamp is { } ts) o["deletionTimestamp"] = ts;
        o["dataChange"] = r.DataChange;
        if (r.ExtendedFileMetadata is { } e) o["extendedFileMetadata"] = e;
        if (r.PartitionValues is not null) o["partitionValues"] = MapNode(r.PartitionValues);
        if (r.Size is { } s) o["size"] = s;
        if (r.DeletionVector is not null) o["deletionVector"] = r.DeletionVector.DeepClone();
        return o;
    }

    private static JsonObject TxnNode(TxnAction t)
    {
        var o = new JsonObject { ["appId"] = t.AppId, ["version"] = t.Version };
        if (t.LastUpdated is { } l) o["lastUpdated"] = l;
        return o;
    }

    internal static JsonObject MapNode(IReadOnlyDictionary<string, string?> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = v is null ? null : JsonValue.Create(v);
        return o;
    }

    internal static string? Str(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static long? Long(JsonObject? o, string name) => o?[name] is JsonValue v ? v.GetValueKind() switch
    {
        JsonValueKind.Number => long.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String when long.TryParse(v.GetValue<string>(), out var l) => l,
        _ => null,
    } : null;

    internal static int? Int(JsonObject? o, string name) => Long(o, name) is { } l ? checked((int)l) : null;

    internal static bool? Bool(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    internal static IReadOnlyList<string>? StrList(JsonNode? n) =>
        n is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : x?.ToJsonString() ?? "").ToArray() : null;

    internal static IReadOnlyDictionary<string, string?> StrMap(JsonNode? n)
    {
        var d = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (n is JsonObject o)
        {
            foreach (var (k, v) in o)
                d[k] = v is null ? null : v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v.ToJsonString();
        }
        return d;
    }
}
