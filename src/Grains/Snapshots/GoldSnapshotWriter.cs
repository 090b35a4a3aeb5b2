using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Delta;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>
/// Takes Gold snapshots: reads the last committed epoch (<see cref="CommittedGoldReader"/>), writes each
/// table's changed partitions (<see cref="SnapshotTableWriter{T}"/>) with the ingestion position in
/// commitInfo, and runs OPTIMIZE + VACUUM every <see cref="LakehouseOptions.OptimizeEveryCommits"/> commits.
/// One snapshot at a time per silo; across silos the txn version makes a repeated epoch a no-op.
/// </summary>
internal sealed partial class GoldSnapshotWriter
{
    private readonly CommittedGoldReader reader;
    private readonly LakehouseOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<GoldSnapshotWriter> logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly IReadOnlyList<ISnapshotTableWriter> tables;
    private long lastEpoch = -1;

    /// <summary>The last epoch every table was checked against (written, or found unchanged).</summary>
    private long verifiedEpoch;

    public GoldSnapshotWriter(CommittedGoldReader reader, LakehouseRoot root, IOptions<LakehouseOptions> options, TimeProvider time, ILogger<GoldSnapshotWriter> logger)
    {
        this.reader = reader;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        Root = root.Path;
        var deltaOptions = new DeltaTableOptions { TimeProvider = time };
        tables = [.. GoldTableSpec.All(this.options.CustomerBuckets).Select(spec => Create(spec, deltaOptions))];
    }

    public string Root { get; }

    /// <summary>Writes the last committed epoch unless it was already written by this writer.</summary>
    public async Task<GoldSnapshotResult> SnapshotAsync(string reason, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var epoch = await reader.ReadEpochAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (epoch == lastEpoch)
            {
                return new GoldSnapshotResult(epoch, now, [], 0);
            }

            var gold = await reader.ReadAsync(cancellationToken);
            var commitInfo = CommitInfo(gold, now, reason);
            var results = new List<SnapshotTableResult>();
            foreach (var table in tables)
            {
                results.Add(await table.WriteAsync(gold, now, commitInfo, cancellationToken));
            }

            lastEpoch = gold.Epoch;
            verifiedEpoch = gold.Epoch;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (results.Any(r => r.Committed))
            {
                LogSnapshot(logger, gold.Epoch, reason, results.Sum(r => r.RowsWritten), results.Sum(r => r.BytesWritten), elapsed);
            }

            await MaintainAsync(cancellationToken);
            return new GoldSnapshotResult(gold.Epoch, now, [.. results], elapsed);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<LakehouseStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var committed = await reader.ReadEpochAsync(cancellationToken);

        // Epochs that changed nothing in a table add no version to it: the table is current up to the last verified epoch.
        var verified = verifiedEpoch;
        var rows = new List<LakehouseTableStatus>();
        foreach (var table in tables)
        {
            if (!Directory.Exists(System.IO.Path.Combine(table.Path, "_delta_log")))
            {
                rows.Add(new LakehouseTableStatus(table.Spec.Name, table.Path, null, 0, 0, null, null, committed));
                continue;
            }

            var snapshot = await (await table.OpenAsync(cancellationToken)).GetSnapshotAsync(cancellationToken);
            var epoch = snapshot.GetTransactionVersion(GoldTableSpec.AppId);
            rows.Add(new LakehouseTableStatus(
                table.Spec.Name, table.Path, snapshot.Version, snapshot.Files.Count, snapshot.Files.Sum(f => f.Size),
                epoch, snapshot.CommitTimestamp, Math.Max(0, committed - Math.Max(epoch ?? 0, verified))));
        }

        return new LakehouseStatus(Root, options.Enabled, committed, [.. rows]);
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        if (options.OptimizeEveryCommits == 0)
        {
            return;
        }

        foreach (var table in tables)
        {
            if (table.CommitsSinceOptimize < 0)
            {
                table.CommitsSinceOptimize = await CountCommitsSinceOptimizeAsync(table, cancellationToken);
            }

            if (table.CommitsSinceOptimize >= options.OptimizeEveryCommits)
            {
                var started = Stopwatch.GetTimestamp();
                var optimized = await table.OptimizeAndVacuumAsync(options.VacuumRetention, options.AllowShortVacuumRetention, cancellationToken);
                LogMaintained(logger, table.Spec.Name, optimized, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    /// <summary>After a restart: snapshot commits since the last OPTIMIZE, from the table history.</summary>
    private static async Task<int> CountCommitsSinceOptimizeAsync(ISnapshotTableWriter table, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(System.IO.Path.Combine(table.Path, "_delta_log")))
        {
            return 0;
        }

        var history = await (await table.OpenAsync(cancellationToken)).GetHistoryAsync(cancellationToken);
        return history.TakeWhile(h => h.Operation != "OPTIMIZE").Count(h => h.Operation is "WRITE");
    }

    private static Dictionary<string, string> CommitInfo(CommittedGold gold, DateTimeOffset now, string reason)
    {
        // The exact input this version reflects: the epoch and, per source, the committed checkpoint
        // (file offsets and lines, record counters) as stored with that epoch.
        var info = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["salesPipeline.epoch"] = gold.Epoch.ToString(CultureInfo.InvariantCulture),
            ["salesPipeline.snapshotTime"] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["salesPipeline.trigger"] = reason,
        };
        foreach (var (name, document) in gold.Checkpoints)
        {
            info[$"salesPipeline.checkpoint.{name}"] = document;
        }

        return info;
    }

    private ISnapshotTableWriter Create(GoldTableSpec spec, DeltaTableOptions deltaOptions)
    {
        var path = System.IO.Path.Combine(Root, spec.RelativePath);
        return spec switch
        {
            GoldTableSpec<RegionSales> s => new SnapshotTableWriter<RegionSales>(s, path, deltaOptions),
            GoldTableSpec<ProductSales> s => new SnapshotTableWriter<ProductSales>(s, path, deltaOptions),
            GoldTableSpec<CustomerMetrics> s => new SnapshotTableWriter<CustomerMetrics>(s, path, deltaOptions),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Name, "unknown Gold table"),
        };
    }

    [LoggerMessage(300, LogLevel.Information, "Gold snapshot of epoch {Epoch} ({Trigger}): {Rows} rows, {Bytes} bytes written in {ElapsedMs:F0} ms")]
    private static partial void LogSnapshot(ILogger logger, long epoch, string trigger, int rows, long bytes, double elapsedMs);

    [LoggerMessage(301, LogLevel.Information, "Maintenance of {Table}: optimized {Optimized}, vacuumed, in {ElapsedMs:F0} ms")]
    private static partial void LogMaintained(ILogger logger, string table, bool optimized, double elapsedMs);
}

/// <summary>The resolved Delta root folder.</summary>
internal sealed record LakehouseRoot(string Path);
