namespace SalesPipeline.Abstractions.Model;

/// <summary>What one snapshot wrote to one Gold table.</summary>
/// <param name="Table">View name of the table (gold_sales_by_region, …).</param>
/// <param name="Version">Table version after the snapshot (the current one when nothing was written).</param>
/// <param name="Committed">False when the table already held this epoch or nothing in it changed.</param>
/// <param name="PartitionsReplaced">Partitions rewritten (1 for an unpartitioned table rewritten whole).</param>
/// <param name="RowsWritten">Rows in the files written.</param>
/// <param name="FilesAdded">Data files added.</param>
/// <param name="BytesWritten">Bytes of the data files added.</param>
[GenerateSerializer, Immutable, Alias("sp.SnapshotTableResult")]
public sealed record SnapshotTableResult(
    [property: Id(0)] string Table,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Committed,
    [property: Id(3)] int PartitionsReplaced,
    [property: Id(4)] int RowsWritten,
    [property: Id(5)] int FilesAdded,
    [property: Id(6)] long BytesWritten);

/// <summary>One Gold snapshot: the committed epoch it reflects and what it wrote.</summary>
[GenerateSerializer, Immutable, Alias("sp.GoldSnapshotResult")]
public sealed record GoldSnapshotResult(
    [property: Id(0)] long Epoch,
    [property: Id(1)] DateTimeOffset SnapshotTime,
    [property: Id(2)] SnapshotTableResult[] Tables,
    [property: Id(3)] double ElapsedMs);

/// <summary>One Delta table of the lakehouse, as <c>sales status --tables</c> shows it.</summary>
/// <param name="Name">View name (gold_sales_by_region, …).</param>
/// <param name="Path">Table root.</param>
/// <param name="Version">Latest version, or null when the table does not exist yet.</param>
/// <param name="Files">Active data files.</param>
/// <param name="Bytes">Bytes of the active data files.</param>
/// <param name="SnapshotEpoch">Committed epoch of the newest snapshot in the table (its txn version).</param>
/// <param name="LastSnapshotTime">Commit time of the latest version.</param>
/// <param name="LagEpochs">Committed epochs not yet in the table.</param>
[GenerateSerializer, Immutable, Alias("sp.LakehouseTableStatus")]
public sealed record LakehouseTableStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] long? Version,
    [property: Id(3)] int Files,
    [property: Id(4)] long Bytes,
    [property: Id(5)] long? SnapshotEpoch,
    [property: Id(6)] DateTimeOffset? LastSnapshotTime,
    [property: Id(7)] long LagEpochs);

/// <summary>The snapshot tables and how far behind ingestion they are.</summary>
[GenerateSerializer, Immutable, Alias("sp.LakehouseStatus")]
public sealed record LakehouseStatus(
    [property: Id(0)] string Root,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] long CommittedEpoch,
    [property: Id(3)] LakehouseTableStatus[] Tables);
