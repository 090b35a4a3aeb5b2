using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

/// <summary>One action of a commit or checkpoint (see PROTOCOL.md, "Actions").</summary>
internal abstract record DeltaAction;

internal sealed record ProtocolAction(int MinReaderVersion, int MinWriterVersion,
    IReadOnlyList<string>? ReaderFeatures = null, IReadOnlyList<string>? WriterFeatures = null) : DeltaAction;

internal sealed record MetadataAction(
    string Id,
    string? Name,
    string? Description,
    string FormatProvider,
    IReadOnlyDictionary<string, string> FormatOptions,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string?> Configuration,
    long? CreatedTime) : DeltaAction;

internal sealed record AddAction(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    bool DataChange,
    string? Stats = null,
    IReadOnlyDictionary<string, string?>? Tags = null,
    JsonObject? DeletionVector = null) : DeltaAction;

internal sealed record RemoveAction(
    string Path,
    long? DeletionTimestamp,
    bool DataChange,
    bool? ExtendedFileMetadata = null,
    IReadOnlyDictionary<string, string?>? PartitionValues = null,
    long? Size = null,
    JsonObject? DeletionVector = null) : DeltaAction;

internal sealed record TxnAction(string AppId, long Version, long? LastUpdated) : DeltaAction;

/// <summary>commitInfo is free-form JSON; we keep it as a node and read a few fields.</summary>
internal sealed record CommitInfoAction(JsonObject Value) : DeltaAction
{
    public long? Timestamp => Value["timestamp"] is JsonValue v && v.TryGetValue<long>(out var t) ? t : null;
    public string? Operation => Value["operation"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>Actions we do not interpret but must not lose track of (cdc, domainMetadata, checkpointMetadata, sidecar...).</summary>
internal sealed record OtherAction(string Kind, JsonObject Value) : DeltaAction;
