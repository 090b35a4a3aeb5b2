namespace SalesPipeline.Delta;

/// <summary>Deletes commit and checkpoint files made unnecessary by a newer checkpoint and older than the log retention.</summary>
internal static class LogCleanup
{
    public static async Task<int> RunAsync(IDeltaLogStore store, DateTimeOffset cutoff, CancellationToken ct)
    {
        var listing = await LogReplay.ListAsync(store, ct);
        // Commit times only grow, so the expired commits are a prefix of the log.
        long expiredEnd = -1;
        foreach (var (v, e) in listing.Commits)
        {
            if (e.LastModified >= cutoff) break;
            expiredEnd = v;
        }
        if (expiredEnd < 0) return 0;
        // Keep the newest checkpoint that every kept version can be rebuilt from.
        var keepFrom = listing.CompleteCheckpoints(expiredEnd + 1).Select(c => c.Version).DefaultIfEmpty(-1).First();
        if (keepFrom <= 0) return 0;
        var deleted = 0;
        foreach (var (v, e) in listing.Commits)
        {
            if (v >= keepFrom) break;
            await store.DeleteAsync(e.Path, ct);
            deleted++;
        }
        foreach (var (v, files) in listing.Checkpoints)
        {
            if (v >= keepFrom) break;
            foreach (var f in files) { await store.DeleteAsync(f.Entry.Path, ct); deleted++; }
        }
        return deleted;
    }
}
