using SalesPipeline.Abstractions.Model;
using SalesPipeline.Delta;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>
/// Writes one Gold table's snapshots. It keeps the rows of the table's current version (loaded from the
/// table once, then kept up to date) and replaces only the partitions whose rows differ from the new
/// Gold state, in one commit carrying the txn (appId, epoch): a retried snapshot of an epoch already
/// recorded is a no-op, and a crash before the commit leaves only unreferenced files (VACUUM removes them).
/// Not thread-safe: <see cref="GoldSnapshotWriter"/> serializes calls.
/// </summary>
internal sealed class SnapshotTableWriter<T>(GoldTableSpec<T> spec, string path, DeltaTableOptions deltaOptions) : ISnapshotTableWriter
    where T : notnull
{
    private Dictionary<object, Dictionary<string, T>>? cache;
    private long cacheVersion = -1;

    public GoldTableSpec Spec => spec;

    public string Path => path;

    public int CommitsSinceOptimize { get; set; } = -1;

    public async Task<SnapshotTableResult> WriteAsync(CommittedGold gold, DateTimeOffset snapshotTime, IReadOnlyDictionary<string, string> commitInfo, CancellationToken cancellationToken)
    {
        var table = await OpenAsync(cancellationToken);
        var before = await table.GetSnapshotAsync(cancellationToken);
        if (before.GetTransactionVersion(GoldTableSpec.AppId) is { } done && done >= gold.Epoch)
        {
            return new SnapshotTableResult(spec.Name, before.Version, false, 0, 0, 0, 0);
        }

        if (cache is null || cacheVersion != before.Version)
        {
            cache = Group((await before.ReadAllAsync(cancellationToken: cancellationToken)).Select(spec.FromRow));
            cacheVersion = before.Version;
        }

        var current = Group(spec.Select(gold));
        var changed = current.Keys.Concat(cache.Keys).Distinct()
            .Where(p => !SameRows(current.GetValueOrDefault(p), cache.GetValueOrDefault(p)))
            .ToArray();
        if (changed.Length == 0)
        {
            return new SnapshotTableResult(spec.Name, before.Version, false, 0, 0, 0, 0);
        }

        var time = snapshotTime.UtcDateTime;
        var rows = changed.SelectMany(p => current.GetValueOrDefault(p)?.Values ?? Enumerable.Empty<T>()).Select(r => spec.ToRow(r, time)).ToList();
        var options = new DeltaWriteOptions { Transaction = new DeltaTransactionId(GoldTableSpec.AppId, gold.Epoch), CommitInfo = commitInfo };
        var replaceWhere = spec.PartitionColumn is { } column && before.Files.Count > 0 ? DeltaPartitionFilter.WhereIn(column, changed) : null;
        var result = await table.OverwriteAsync(rows, replaceWhere, options, cancellationToken);

        var known = before.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var after = await table.GetSnapshotAsync(result.Version, cancellationToken);
        var bytes = after.Files.Where(f => !known.Contains(f.Path)).Sum(f => f.Size);
        if (result.Committed)
        {
            cache = current;
            cacheVersion = result.Version;
            CommitsSinceOptimize++;
        }

        return new SnapshotTableResult(spec.Name, result.Version, result.Committed, changed.Length, rows.Count, result.FilesAdded, bytes);
    }

    public async Task<bool> OptimizeAndVacuumAsync(TimeSpan retention, bool allowShortRetention, CancellationToken cancellationToken)
    {
        var table = await OpenAsync(cancellationToken);
        var optimized = await table.OptimizeAsync(cancellationToken);
        if (optimized.Committed && cacheVersion == optimized.Version - 1)
        {
            // OPTIMIZE rewrites files without changing rows: the cache still holds the table's contents.
            cacheVersion = optimized.Version;
        }

        await table.VacuumAsync(retention, dryRun: false, allowShortRetention, cancellationToken);
        CommitsSinceOptimize = 0;
        return optimized.Committed;
    }

    public Task<DeltaTable> OpenAsync(CancellationToken cancellationToken) =>
        DeltaTable.CreateOrOpenAsync(path, spec.Schema, spec.PartitionColumn is { } c ? [c] : [], null, deltaOptions, cancellationToken);

    private Dictionary<object, Dictionary<string, T>> Group(IEnumerable<T> rows)
    {
        var groups = new Dictionary<object, Dictionary<string, T>>();
        foreach (var row in rows)
        {
            var partition = spec.Partition(row);
            if (!groups.TryGetValue(partition, out var group))
            {
                groups[partition] = group = new Dictionary<string, T>(StringComparer.Ordinal);
            }

            group[spec.Key(row)] = row;
        }

        return groups;
    }

    private static bool SameRows(Dictionary<string, T>? a, Dictionary<string, T>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && EqualityComparer<T>.Default.Equals(kv.Value, other));
    }
}

/// <summary>The untyped face of <see cref="SnapshotTableWriter{T}"/>.</summary>
internal interface ISnapshotTableWriter
{
    GoldTableSpec Spec { get; }

    string Path { get; }

    int CommitsSinceOptimize { get; set; }

    Task<SnapshotTableResult> WriteAsync(CommittedGold gold, DateTimeOffset snapshotTime, IReadOnlyDictionary<string, string> commitInfo, CancellationToken cancellationToken);

    Task<bool> OptimizeAndVacuumAsync(TimeSpan retention, bool allowShortRetention, CancellationToken cancellationToken);

    Task<DeltaTable> OpenAsync(CancellationToken cancellationToken);
}
