namespace SalesPipeline.Grains.Snapshots;

/// <summary>Gold snapshots to Delta tables and their maintenance, bound from <c>SalesPipeline:Delta</c> (docs/lakehouse.md).</summary>
public sealed class LakehouseOptions
{
    public const string Section = "SalesPipeline:Delta";

    /// <summary>Write Gold snapshots at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Root folder of the Delta tables; default <c>{DataDirectory}/delta</c>.</summary>
    public string? Root { get; set; }

    /// <summary>How often the committed Gold state is written as new table versions. Default 1 minute.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Write a last snapshot when the silo stops gracefully. Default true.</summary>
    public bool SnapshotOnShutdown { get; set; } = true;

    /// <summary>Hash buckets of customer_metrics (its partition column); a change rewrites only the buckets it touches. Default 64.</summary>
    public int CustomerBuckets { get; set; } = 64;

    /// <summary>Run OPTIMIZE on a snapshot table after this many snapshot commits to it; 0 disables. Default 20.</summary>
    public int OptimizeEveryCommits { get; set; } = 20;

    /// <summary>Run VACUUM after each OPTIMIZE, deleting files no version within this retention references. Default 7 days.</summary>
    public TimeSpan VacuumRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Allow a <see cref="VacuumRetention"/> under 7 days (breaks time travel and readers of older versions). Default false.</summary>
    public bool AllowShortVacuumRetention { get; set; }
}
