namespace SalesPipeline.Delta;

/// <summary>VACUUM: deletes data files that no version within the retention period references.</summary>
internal static class Vacuum
{
    private static readonly TimeSpan SafeRetention = TimeSpan.FromDays(7);

    public static async Task<DeltaVacuumResult> RunAsync(DeltaTable table, TimeSpan retention, bool dryRun, bool allowShortRetention, CancellationToken ct)
    {
        if (retention < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(retention), retention, "Retention must not be negative.");
        if (retention < SafeRetention && !allowShortRetention)
            throw new DeltaException($"VACUUM retention {retention.TotalHours:0.##} h is under the safe minimum of {SafeRetention.TotalHours:0} h: it can delete files that " +
                                     "readers of older versions or running writers still need; allow it explicitly (allowShortRetention, CLI --force) to proceed.");
        // vacuumProtocolCheck: VACUUM is a write, so every writer feature must be understood.
        var state = await table.LoadForWriteAsync(ct);
        var now = table.Options.TimeProvider.GetUtcNow();
        var cutoff = now - retention;
        var root = table.Store.Root;
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in state.Files.Values) keep.Add(PartitionCodec.FromUriPath(a.Path, root));
        foreach (var r in state.Tombstones.Values.Where(r => r.DeletionTimestamp is null || DateTimeOffset.FromUnixTimeMilliseconds(r.DeletionTimestamp.Value) > cutoff))
            keep.Add(PartitionCodec.FromUriPath(r.Path, root));
        var delete = new List<string>();
        foreach (var e in await table.Store.ListAsync("", recursive: true, ct))
        {
            // Skip the log and hidden files/directories ('_' or '.' prefix), as Spark does.
            if (e.Path.Split('/').Any(p => p.StartsWith('_') || p.StartsWith('.'))) continue;
            if (keep.Contains(e.Path)) continue;
            // Files younger than the retention may belong to a commit in flight.
            if (e.LastModified > cutoff) continue;
            delete.Add(e.Path);
        }
        if (!dryRun)
            foreach (var p in delete) await table.Store.DeleteAsync(p, ct);
        return new DeltaVacuumResult(delete, dryRun);
    }
}
