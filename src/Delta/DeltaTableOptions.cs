namespace SalesPipeline.Delta;

/// <summary>Options of a <see cref="DeltaTable"/>.</summary>
public sealed class DeltaTableOptions
{
    /// <summary>Write a classic checkpoint after every this many commits (version % N == 0). Default 10.</summary>
    public int CheckpointInterval { get; set; } = 10;

    /// <summary>How many times a commit is attempted when other writers win the race. Default 100.</summary>
    public int MaxCommitAttempts { get; set; } = 100;

    /// <summary>Largest number of rows per data file written by appends and overwrites. Default 1,000,000.</summary>
    public int MaxRowsPerFile { get; set; } = 1_000_000;

    /// <summary>OPTIMIZE bin-packs files smaller than this into files of about this size. Default 128 MiB.</summary>
    public long OptimizeTargetFileSize { get; set; } = 128L * 1024 * 1024;

    /// <summary>Delete commit files older than <see cref="LogRetention"/> that a checkpoint makes unnecessary. Default true.</summary>
    public bool EnableExpiredLogCleanup { get; set; } = true;

    /// <summary>How long commit files are kept (time travel horizon); table property delta.logRetentionDuration. Default 30 days.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long remove tombstones stay in checkpoints. Default 7 days.</summary>
    public TimeSpan DeletedFileRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Recorded as commitInfo.engineInfo.</summary>
    public string EngineInfo { get; set; } = "SalesPipeline.Delta/1.0";

    /// <summary>
    /// Time zone of timestamp partition values written without an offset ("2021-09-08 11:11:11"): the protocol says they
    /// are in the writer's zone, which the log does not record. Default UTC. This library writes ISO-8601 UTC values.
    /// </summary>
    public TimeZoneInfo PartitionTimestampTimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Clock for commit timestamps, vacuum and log cleanup.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Validates <see cref="DeltaTableOptions"/>; the message names the option.</summary>
internal static class DeltaTableOptionsValidator
{
    public static void Validate(DeltaTableOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.CheckpointInterval < 1) throw new ArgumentOutOfRangeException(nameof(o.CheckpointInterval), o.CheckpointInterval, $"{nameof(DeltaTableOptions)}.{nameof(o.CheckpointInterval)} must be at least 1.");
        if (o.MaxCommitAttempts < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxCommitAttempts), o.MaxCommitAttempts, $"{nameof(DeltaTableOptions)}.{nameof(o.MaxCommitAttempts)} must be at least 1.");
        if (o.MaxRowsPerFile < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxRowsPerFile), o.MaxRowsPerFile, $"{nameof(DeltaTableOptions)}.{nameof(o.MaxRowsPerFile)} must be at least 1.");
        if (o.OptimizeTargetFileSize < 1) throw new ArgumentOutOfRangeException(nameof(o.OptimizeTargetFileSize), o.OptimizeTargetFileSize, $"{nameof(DeltaTableOptions)}.{nameof(o.OptimizeTargetFileSize)} must be positive.");
        if (o.LogRetention < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(o.LogRetention), o.LogRetention, $"{nameof(DeltaTableOptions)}.{nameof(o.LogRetention)} must not be negative.");
        if (o.DeletedFileRetention < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(o.DeletedFileRetention), o.DeletedFileRetention, $"{nameof(DeltaTableOptions)}.{nameof(o.DeletedFileRetention)} must not be negative.");
        ArgumentException.ThrowIfNullOrEmpty(o.EngineInfo, $"{nameof(DeltaTableOptions)}.{nameof(o.EngineInfo)}");
        ArgumentNullException.ThrowIfNull(o.TimeProvider, $"{nameof(DeltaTableOptions)}.{nameof(o.TimeProvider)}");
    }
}

/// <summary>Identifies an idempotent write: a version already recorded for the app id makes the write a no-op.</summary>
/// <param name="AppId">Writer identity (e.g. the pipeline's snapshot stream name).</param>
/// <param name="Version">Monotonic version of this write for that app.</param>
public sealed record DeltaTransactionId(string AppId, long Version);

/// <summary>Per-write options.</summary>
public sealed class DeltaWriteOptions
{
    /// <summary>Makes the commit idempotent (protocol txn action).</summary>
    public DeltaTransactionId? Transaction { get; init; }

    /// <summary>Extra fields stored in commitInfo (e.g. a pipeline run id); reserved keys cannot be overridden.</summary>
    public IReadOnlyDictionary<string, string>? CommitInfo { get; init; }

    /// <summary>
    /// The schema the rows follow when it differs from the table's. With <see cref="MergeSchema"/>, new nullable
    /// columns are added to the table; without it, any difference is an error.
    /// </summary>
    public DeltaSchema? Schema { get; init; }

    /// <summary>Allow schema evolution (adding nullable columns) on this write.</summary>
    public bool MergeSchema { get; init; }
}

/// <summary>Outcome of a write.</summary>
/// <param name="Version">The version committed, or the current version when nothing was committed.</param>
/// <param name="Committed">False when the write was a no-op (its txn version was already recorded).</param>
/// <param name="Attempts">Commit attempts made (more than one when other writers won races).</param>
/// <param name="FilesAdded">Data files added.</param>
/// <param name="FilesRemoved">Data files removed.</param>
public sealed record DeltaCommitResult(long Version, bool Committed, int Attempts, int FilesAdded, int FilesRemoved);

/// <summary>One entry of the table history.</summary>
/// <param name="Version">Version.</param>
/// <param name="Timestamp">commitInfo.timestamp (or the commit file time).</param>
/// <param name="Operation">commitInfo.operation.</param>
/// <param name="CommitInfoJson">The whole commitInfo object as JSON ("{}" when absent).</param>
public sealed record DeltaHistoryEntry(long Version, DateTimeOffset Timestamp, string? Operation, string CommitInfoJson);

/// <summary>Outcome of VACUUM.</summary>
/// <param name="Files">Files deleted (or that would be, on a dry run), relative to the table root.</param>
/// <param name="DryRun">Whether nothing was deleted.</param>
public sealed record DeltaVacuumResult(IReadOnlyList<string> Files, bool DryRun);
