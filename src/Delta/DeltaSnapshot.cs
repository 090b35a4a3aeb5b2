namespace SalesPipeline.Delta;

/// <summary>A data file of a snapshot.</summary>
/// <param name="Path">Path relative to the table root, as the log records it (URI-encoded).</param>
/// <param name="PartitionValues">Serialized partition values (null = null partition).</param>
/// <param name="Size">Bytes.</param>
/// <param name="NumRecords">Rows, from the file statistics when present.</param>
public sealed record DeltaFileInfo(string Path, IReadOnlyDictionary<string, string?> PartitionValues, long Size, long? NumRecords);

/// <summary>A read-only view of a table at one version.</summary>
public sealed class DeltaSnapshot
{
    private readonly IDeltaLogStore _store;

    private readonly TimeZoneInfo _partitionZone;

    internal DeltaSnapshot(IDeltaLogStore store, TableState state, TimeZoneInfo partitionZone)
    {
        _partitionZone = partitionZone;
        ProtocolSupport.CheckRead(state);
        _store = store;
        State = state;
        Schema = DeltaSchema.FromJson(state.Metadata!.SchemaString);
        PartitionColumns = state.Metadata.PartitionColumns;
    }

    internal TableState State { get; }

    /// <summary>The version.</summary>
    public long Version => State.Version;

    /// <summary>The table schema (rows are returned in this column order).</summary>
    public DeltaSchema Schema { get; }

    /// <summary>Partition columns.</summary>
    public IReadOnlyList<string> PartitionColumns { get; }

    /// <summary>Table id (metaData.id).</summary>
    public string TableId => State.Metadata!.Id;

    /// <summary>Table properties (metaData.configuration).</summary>
    public IReadOnlyDictionary<string, string?> Configuration => State.Metadata!.Configuration;

    /// <summary>Time of the commit that produced this version.</summary>
    public DateTimeOffset? CommitTimestamp => State.CommitTimestamp;

    /// <summary>The live data files.</summary>
    public IReadOnlyList<DeltaFileInfo> Files => State.Files.Values.Select(a => new DeltaFileInfo(a.Path, a.PartitionValues, a.Size, Stats.NumRecords(a.Stats))).ToList();

    /// <summary>The last version committed by <paramref name="appId"/> through a txn action, or null.</summary>
    public long? GetTransactionVersion(string appId) => State.AppTransactions.TryGetValue(appId, out var t) ? t.Version : null;

    /// <summary>Reads every row (values typed per <see cref="Schema"/>), optionally only from partitions matching <paramref name="filter"/>.</summary>
    public async IAsyncEnumerable<object?[]> ReadRowsAsync(DeltaPartitionFilter? filter = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        filter?.Validate(PartitionColumns);
        foreach (var add in State.Files.Values.ToList())
        {
            if (filter is not null && !filter.Matches(add.PartitionValues, Schema)) continue;
            foreach (var row in await DataFileReader.ReadAsync(_store, Schema, PartitionColumns, add, _partitionZone, cancellationToken))
                yield return row;
        }
    }

    /// <summary>Reads every row into a list.</summary>
    public async Task<IReadOnlyList<object?[]>> ReadAllAsync(DeltaPartitionFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var list = new List<object?[]>();
        await foreach (var row in ReadRowsAsync(filter, cancellationToken)) list.Add(row);
        return list;
    }
}
