using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Abstractions.Grains;

/// <summary>
/// The one writer of Gold snapshots in a cluster (key 0): writes the committed Gold state to the Delta
/// tables every snapshot interval and on demand, and reports the tables' state.
/// </summary>
public interface IGoldSnapshotGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the writer (and its timer) if it is not active; silos call it periodically so it outlives its host.</summary>
    Task EnsureRunningAsync();

    /// <summary>Writes a snapshot of the last committed epoch now (a no-op for tables that already hold it).</summary>
    Task<GoldSnapshotResult> SnapshotNowAsync();

    /// <summary>Per table: latest version, files, bytes, last snapshot time and lag behind ingestion.</summary>
    Task<LakehouseStatus> GetLakehouseStatusAsync();
}
