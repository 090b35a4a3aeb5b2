using System.Text;
using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

/// <summary>Lists the log and replays checkpoint + commits into a <see cref="TableState"/>.</summary>
internal static class LogReplay
{
    internal sealed record Listing(
        SortedDictionary<long, DeltaStoreEntry> Commits,
        SortedDictionary<long, List<LogFiles.Parsed>> Checkpoints,
        bool HasUuidCheckpoints)
    {
        public long LatestVersion => Math.Max(Commits.Count > 0 ? Commits.Keys.Max() : -1, Checkpoints.Count > 0 ? Checkpoints.Keys.Max() : -1);

        /// <summary>Complete checkpoints (classic, or a multi-part set with all its parts), newest first.</summary>
        public IEnumerable<(long Version, IReadOnlyList<DeltaStoreEntry> Parts)> CompleteCheckpoints(long atOrBefore)
        {
            foreach (var (v, files) in Checkpoints.Reverse())
            {
                if (v > atOrBefore) continue;
                var classic = files.FirstOrDefault(f => f.Kind == LogFiles.Kind.ClassicCheckpoint);
                if (classic.Entry is not null) { yield return (v, [classic.Entry]); continue; }
                foreach (var group in files.Where(f => f.Kind == LogFiles.Kind.MultiPartCheckpoint).GroupBy(f => f.Parts))
                {
                    var parts = group.GroupBy(f => f.Part).Select(g => g.First()).OrderBy(f => f.Part).ToList();
                    if (parts.Count == group.Key) { yield return (v, parts.Select(p => p.Entry).ToList()); break; }
                }
            }
        }
    }

    public static async Task<Listing> ListAsync(IDeltaLogStore store, CancellationToken ct)
    {
        var commits = new SortedDictionary<long, DeltaStoreEntry>();
        var checkpoints = new SortedDictionary<long, List<LogFiles.Parsed>>();
        var uuid = false;
        foreach (var e in await store.ListAsync(LogFiles.LogDir, recursive: false, ct))
        {
            var p = LogFiles.Parse(e);
            switch (p.Kind)
            {
                case LogFiles.Kind.Commit: commits[p.Version] = e; break;
                case LogFiles.Kind.ClassicCheckpoint or LogFiles.Kind.MultiPartCheckpoint:
                    if (!checkpoints.TryGetValue(p.Version, out var l)) checkpoints[p.Version] = l = [];
                    l.Add(p);
                    break;
                case LogFiles.Kind.UuidCheckpoint: uuid = true; break;
            }
        }
        return new Listing(commits, checkpoints, uuid);
    }

    public static async Task<TableState> LoadAsync(IDeltaLogStore store, long? version, CancellationToken ct)
    {
        var listing = await ListAsync(store, ct);
        return await LoadAsync(store, listing, version, ct);
    }

    public static async Task<TableState> LoadAsync(IDeltaLogStore store, Listing listing, long? version, CancellationToken ct)
    {
        var latest = listing.LatestVersion;
        if (latest < 0) throw new DeltaTableNotFoundException($"No Delta table at '{store.Root}' (no {LogFiles.LogDir} entries).");
        var target = version ?? latest;
        if (target > latest || target < 0)
            throw new DeltaTableNotFoundException($"Version {target} of '{store.Root}' does not exist (latest is {latest}).");

        var hint = await ReadLastCheckpointVersionAsync(store, ct);
        var state = new TableState();
        long start = 0;
        var candidates = listing.CompleteCheckpoints(target).ToList();
        if (hint is { } h && h <= target)
            candidates = candidates.OrderByDescending(c => c.Version == h).ThenByDescending(c => c.Version).ToList();
        foreach (var (cpVersion, parts) in candidates)
        {
            state = new TableState { Version = cpVersion };
            foreach (var part in parts)
                foreach (var a in await Checkpoints.ReadAsync(store, part.Path, ct)) state.Apply(a);
            start = cpVersion + 1;
            break;
        }
        if (start == 0 && !listing.Commits.ContainsKey(0))
            throw new DeltaTableNotFoundException(
                $"Version {target} of '{store.Root}' cannot be reconstructed: commit 0 is gone and no checkpoint at or before it exists.");

        for (var v = start; v <= target; v++)
        {
            if (!listing.Commits.TryGetValue(v, out var entry))
                throw new DeltaProtocolException($"The log of '{store.Root}' is missing commit {v} (versions must be contiguous).");
            var actions = await ReadCommitAsync(store, v, ct);
            DateTimeOffset? ts = null;
            foreach (var a in actions)
            {
                state.Apply(a);
                if (a is CommitInfoAction ci && ci.Timestamp is { } t) ts = DateTimeOffset.FromUnixTimeMilliseconds(t);
            }
            state.Version = v;
            state.CommitTimestamp = ts ?? entry.LastModified;
        }
        if (state.CommitTimestamp is null && listing.Commits.TryGetValue(target, out var last)) state.CommitTimestamp = last.LastModified;
        if (state.Protocol is null) throw new DeltaProtocolException($"Table '{store.Root}' at version {target} has no protocol action.");
        if (state.Metadata is null) throw new DeltaProtocolException($"Table '{store.Root}' at version {target} has no metaData action.");
        return state;
    }

    public static async Task<IReadOnlyList<DeltaAction>> ReadCommitAsync(IDeltaLogStore store, long version, CancellationToken ct)
    {
        var bytes = await store.ReadAllBytesAsync(LogFiles.Commit(version), ct);
        return ActionJson.ParseCommit(Encoding.UTF8.GetString(bytes), version).ToList();
    }

    /// <summary>The version named by <c>_last_checkpoint</c>; null when absent or unreadable (it is only a hint).</summary>
    public static async Task<long?> ReadLastCheckpointVersionAsync(IDeltaLogStore store, CancellationToken ct)
    {
        try
        {
            var bytes = await store.ReadAllBytesAsync(LogFiles.LastCheckpoint, ct);
            return JsonNode.Parse(bytes) is JsonObject o ? ActionJson.Long(o, "version") : null;
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Commit timestamps (file modification times made strictly increasing, as Spark does) for time travel.
    /// </summary>
    public static List<(long Version, DateTimeOffset Timestamp)> CommitTimestamps(Listing listing)
    {
        var result = new List<(long, DateTimeOffset)>();
        DateTimeOffset? prev = null;
        foreach (var (v, e) in listing.Commits)
        {
            var ts = e.LastModified;
            if (prev is { } p && ts <= p) ts = p.AddMilliseconds(1);
            result.Add((v, ts));
            prev = ts;
        }
        return result;
    }
}
