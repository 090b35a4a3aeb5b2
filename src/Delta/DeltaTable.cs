using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SalesPipeline.Delta;

/// <summary>
/// A Delta Lake table: create, append, overwrite (whole or replaceWhere), delete by partition, read snapshots
/// (latest, version, timestamp), history and maintenance. Rows are <c>object?[]</c> in table-schema order.
/// </summary>
public sealed class DeltaTable
{
    private readonly IDeltaLogStore _store;
    private readonly DeltaTableOptions _options;

    private DeltaTable(IDeltaLogStore store, DeltaTableOptions options)
    {
        DeltaTableOptionsValidator.Validate(options);
        _store = store;
        _options = options;
    }

    /// <summary>Table root.</summary>
    public string Location => _store.Root;

    internal IDeltaLogStore Store => _store;
    internal DeltaTableOptions Options => _options;

    /// <summary>Creates a table at a local path (version 0: protocol 1/2 and metaData).</summary>
    /// <exception cref="DeltaConcurrencyException">A table already exists there.</exception>
    public static Task<DeltaTable> CreateAsync(string path, DeltaSchema schema, IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? configuration = null, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return CreateAsync(new LocalLogStore(path), schema, partitionColumns, configuration, options, cancellationToken);
    }

    /// <summary>Creates a table in the given storage.</summary>
    public static async Task<DeltaTable> CreateAsync(IDeltaLogStore store, DeltaSchema schema, IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? configuration = null, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(schema);
        var table = new DeltaTable(store, options ?? new DeltaTableOptions());
        var parts = (partitionColumns ?? []).Select(c => schema.Find(c)?.Name ?? throw new ArgumentException($"Partition column '{c}' is not in the schema.", nameof(partitionColumns))).ToList();
        foreach (var f in schema.Fields)
            _ = DataFileWriter.ToParquetField(f); // refuse column types the writer cannot write, before anything is created
        if (parts.Count == schema.Fields.Count) throw new ArgumentException("At least one column must not be a partition column.", nameof(partitionColumns));
        var now = table._options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var metadata = new MetadataAction(Guid.NewGuid().ToString(), null, null, "parquet", new Dictionary<string, string>(), schema.ToJson(), parts,
            (configuration ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => (string?)kv.Value), now);
        var commit = new PendingCommit
        {
            Operation = "CREATE TABLE",
            OperationParameters = new() { ["isManaged"] = "false", ["description"] = "", ["partitionBy"] = JsonSerializer.Serialize(parts), ["properties"] = "{}" },
            Actions = [new ProtocolAction(1, 2), metadata],
        };
        await Transaction.CommitAsync(store, table._options, null, commit, cancellationToken);
        return table;
    }

    /// <summary>Opens an existing table at a local path.</summary>
    /// <exception cref="DeltaTableNotFoundException">No table there.</exception>
    public static Task<DeltaTable> OpenAsync(string path, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenAsync(new LocalLogStore(path), options, cancellationToken);
    }

    /// <summary>Opens an existing table in the given storage.</summary>
    public static async Task<DeltaTable> OpenAsync(IDeltaLogStore store, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var listing = await LogReplay.ListAsync(store, cancellationToken);
        if (listing.LatestVersion < 0) throw new DeltaTableNotFoundException($"No Delta table at '{store.Root}'.");
        return new DeltaTable(store, options ?? new DeltaTableOptions());
    }

    /// <summary>Opens the table at <paramref name="path"/>, creating it when absent (a concurrent creator is tolerated).</summary>
    public static async Task<DeltaTable> CreateOrOpenAsync(string path, DeltaSchema schema, IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? configuration = null, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        try { return await OpenAsync(path, options, cancellationToken); }
        catch (DeltaTableNotFoundException) { }
        try { return await CreateAsync(path, schema, partitionColumns, configuration, options, cancellationToken); }
        catch (DeltaConcurrencyException) { return await OpenAsync(path, options, cancellationToken); }
    }

    /// <summary>The latest snapshot.</summary>
    public async Task<DeltaSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        new(_store, await LogReplay.LoadAsync(_store, null, cancellationToken), _options.PartitionTimestampTimeZone);

    /// <summary>The snapshot at <paramref name="version"/> (time travel).</summary>
    public async Task<DeltaSnapshot> GetSnapshotAsync(long version, CancellationToken cancellationToken = default) =>
        new(_store, await LogReplay.LoadAsync(_store, version, cancellationToken), _options.PartitionTimestampTimeZone);

    /// <summary>The snapshot of the latest commit at or before <paramref name="timestamp"/> (commit file times).</summary>
    public async Task<DeltaSnapshot> GetSnapshotAsync(DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        var listing = await LogReplay.ListAsync(_store, cancellationToken);
        var times = LogReplay.CommitTimestamps(listing);
        var candidates = times.Where(t => t.Timestamp <= timestamp).ToList();
        if (candidates.Count == 0)
        {
            var first = times.Count > 0 ? times[0].Timestamp.ToString("O", CultureInfo.InvariantCulture) : "none";
            throw new DeltaTableNotFoundException($"No version of '{_store.Root}' at or before {timestamp:O} (earliest commit: {first}).");
        }
        return new DeltaSnapshot(_store, await LogReplay.LoadAsync(_store, listing, candidates[^1].Version, cancellationToken), _options.PartitionTimestampTimeZone);
    }

    /// <summary>Appends rows (a blind append: retried automatically when other writers commit first).</summary>
    public Task<DeltaCommitResult> AppendAsync(IReadOnlyList<object?[]> rows, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(rows, overwrite: false, null, options ?? new DeltaWriteOptions(), cancellationToken);

    /// <summary>
    /// Replaces the whole table, or with <paramref name="replaceWhere"/> only the partitions it matches (every row must match it).
    /// Fails with <see cref="DeltaConcurrencyException"/> if another writer changed those partitions meanwhile.
    /// </summary>
    public Task<DeltaCommitResult> OverwriteAsync(IReadOnlyList<object?[]> rows, DeltaPartitionFilter? replaceWhere = null, DeltaWriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(rows, overwrite: true, replaceWhere, options ?? new DeltaWriteOptions(), cancellationToken);

    /// <summary>Deletes the partitions matching <paramref name="where"/> (remove actions only; files stay until VACUUM).</summary>
    public async Task<DeltaCommitResult> DeleteAsync(DeltaPartitionFilter where, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(where);
        options ??= new DeltaWriteOptions();
        var state = await LoadForWriteAsync(cancellationToken);
        if (AlreadyCommitted(state, options) is { } noop) return noop;
        var schema = DeltaSchema.FromJson(state.Metadata!.SchemaString);
        where.Validate(state.Metadata.PartitionColumns);
        if (ProtocolSupport.IsAppendOnly(state)) throw new DeltaException($"Table '{_store.Root}' is append-only (delta.appendOnly=true): DELETE is not allowed.");
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var removes = state.Files.Values.Where(a => where.Matches(a.PartitionValues, schema)).Select(a => Remove(a, now, dataChange: true)).ToList<DeltaAction>();
        var commit = new PendingCommit
        {
            Operation = "DELETE",
            OperationParameters = new() { ["predicate"] = JsonSerializer.Serialize(new[] { where.ToString() }) },
            Actions = removes,
            Txn = Txn(options),
            ReadScope = pv => where.Matches(pv, schema),
            ExtraCommitInfo = options.CommitInfo,
            Metrics = new() { ["numRemovedFiles"] = removes.Count.ToString(CultureInfo.InvariantCulture) },
        };
        return await Transaction.CommitAsync(_store, _options, state, commit, cancellationToken);
    }

    /// <summary>The commits still in the log, newest first.</summary>
    public async Task<IReadOnlyList<DeltaHistoryEntry>> GetHistoryAsync(CancellationToken cancellationToken = default)
    {
        var listing = await LogReplay.ListAsync(_store, cancellationToken);
        var result = new List<DeltaHistoryEntry>();
        foreach (var (v, e) in listing.Commits.Reverse())
        {
            var info = (await LogReplay.ReadCommitAsync(_store, v, cancellationToken)).OfType<CommitInfoAction>().FirstOrDefault();
            var ts = info?.Timestamp is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : e.LastModified;
            result.Add(new DeltaHistoryEntry(v, ts, info?.Operation, info?.Value.ToJsonString(ActionJson.WriteOptions) ?? "{}"));
        }
        return result;
    }

    /// <summary>Writes a classic checkpoint of the latest version now (normally done every <see cref="DeltaTableOptions.CheckpointInterval"/> commits).</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var state = await LogReplay.LoadAsync(_store, null, cancellationToken);
        ProtocolSupport.CheckRead(state);
        await Checkpoints.WriteAsync(_store, state, _options.TimeProvider.GetUtcNow(), _options.DeletedFileRetention, cancellationToken);
    }

    /// <summary>OPTIMIZE: bin-packs small files per partition into files of about the target size (dataChange=false).</summary>
    public Task<DeltaCommitResult> OptimizeAsync(CancellationToken cancellationToken = default) => Optimize.RunAsync(this, cancellationToken);

    /// <summary>
    /// VACUUM: deletes data files no version within <paramref name="retention"/> (default 7 days) references.
    /// A retention under 7 days needs <paramref name="allowShortRetention"/>, since it can break readers of older versions and running writers.
    /// </summary>
    public Task<DeltaVacuumResult> VacuumAsync(TimeSpan? retention = null, bool dryRun = false, bool allowShortRetention = false, CancellationToken cancellationToken = default) =>
        Vacuum.RunAsync(this, retention ?? TimeSpan.FromDays(7), dryRun, allowShortRetention, cancellationToken);

    internal async Task<TableState> LoadForWriteAsync(CancellationToken ct)
    {
        var state = await LogReplay.LoadAsync(_store, null, ct);
        ProtocolSupport.CheckWrite(state);
        return state;
    }

    private static TxnAction? Txn(DeltaWriteOptions o) => o.Transaction is { } t ? new TxnAction(t.AppId, t.Version, null) : null;

    private static DeltaCommitResult? AlreadyCommitted(TableState state, DeltaWriteOptions o) =>
        o.Transaction is { } t && state.AppTransactions.TryGetValue(t.AppId, out var seen) && seen.Version >= t.Version
            ? new DeltaCommitResult(state.Version, false, 0, 0, 0) : null;

    internal static RemoveAction Remove(AddAction a, long now, bool dataChange) =>
        new(a.Path, now, dataChange, true, a.PartitionValues, a.Size);

    private async Task<DeltaCommitResult> WriteAsync(IReadOnlyList<object?[]> rows, bool overwrite, DeltaPartitionFilter? replaceWhere,
        DeltaWriteOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var state = await LoadForWriteAsync(ct);
        if (AlreadyCommitted(state, options) is { } noop) return noop;
        if (overwrite && ProtocolSupport.IsAppendOnly(state))
            throw new DeltaException($"Table '{_store.Root}' is append-only (delta.appendOnly=true): overwrite is not allowed.");
        var tableSchema = DeltaSchema.FromJson(state.Metadata!.SchemaString);
        var partitionColumns = state.Metadata.PartitionColumns;
        var (schema, mapped, newMetadata) = SchemaEvolution.Resolve(tableSchema, state.Metadata, options, rows);
        replaceWhere?.Validate(partitionColumns);
        if (replaceWhere is not null && mapped.FirstOrDefault(r => !replaceWhere.MatchesRow(r, schema)) is { } outside)
            throw new DeltaException($"A row does not match replaceWhere ({replaceWhere}); overwrite only writes rows inside the replaced partitions.");

        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var actions = new List<DeltaAction>();
        if (newMetadata is not null) actions.Add(newMetadata);
        if (overwrite)
        {
            actions.AddRange(state.Files.Values.Where(a => replaceWhere is null || replaceWhere.Matches(a.PartitionValues, schema))
                .Select(a => Remove(a, now, dataChange: true)));
        }
        var adds = await DataFileWriter.WriteAsync(_store, schema, partitionColumns, mapped, _options.MaxRowsPerFile, now, dataChange: true, ct);
        actions.AddRange(adds);
        var parameters = new Dictionary<string, string> { ["mode"] = overwrite ? "Overwrite" : "Append", ["partitionBy"] = JsonSerializer.Serialize(partitionColumns) };
        if (replaceWhere is not null) parameters["predicate"] = JsonSerializer.Serialize(new[] { replaceWhere.ToString() });
        var commit = new PendingCommit
        {
            Operation = "WRITE",
            OperationParameters = parameters,
            Actions = actions,
            Txn = Txn(options),
            IsBlindAppend = !overwrite && newMetadata is null,
            ReadScope = replaceWhere is null ? null : pv => replaceWhere.Matches(pv, schema),
            ExtraCommitInfo = options.CommitInfo,
            Metrics = new()
            {
                ["numFiles"] = adds.Count.ToString(CultureInfo.InvariantCulture),
                ["numOutputRows"] = mapped.Count.ToString(CultureInfo.InvariantCulture),
                ["numOutputBytes"] = adds.Sum(a => a.Size).ToString(CultureInfo.InvariantCulture),
            },
        };
        return await Transaction.CommitAsync(_store, _options, state, commit, ct);
    }
}
