namespace SalesPipeline.Abstractions.Model;

/// <summary>Counters of one source. Accounting balances: read = applied + duplicates + stale + quarantined.</summary>
[GenerateSerializer, Alias("sp.SourceStatus")]
public sealed record SourceStatus
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Path { get; init; }
    [Id(2)] public int FilesSeen { get; init; }
    [Id(3)] public int FilesCompleted { get; init; }
    [Id(4)] public long RecordsRead { get; init; }
    [Id(5)] public long Applied { get; init; }
    [Id(6)] public long Quarantined { get; init; }
    [Id(7)] public long Duplicates { get; init; }
    [Id(8)] public long Stale { get; init; }
    [Id(9)] public long Warnings { get; init; }
    [Id(10)] public long BlankLines { get; init; }
    [Id(11)] public FileProblem[] Problems { get; init; } = [];

    /// <summary>Records read but not yet through to Gold (in flight).</summary>
    [Id(12)] public long InFlight { get; init; }

    /// <summary>Input format: jsonl, csv or parquet.</summary>
    [Id(13)] public string Format { get; init; } = "jsonl";

    /// <summary>Records removed by an expectation with the <c>drop</c> action.</summary>
    [Id(14)] public long Dropped { get; init; }

    /// <summary>Counters of every expectation that applies to the source.</summary>
    [Id(15)] public RuleStatus[] Rules { get; init; } = [];

    /// <summary>Columns (csv, parquet) or fields (jsonl) no mapping or contract knows, seen so far: kept as rescued data.</summary>
    [Id(16)] public string[] NewColumns { get; init; } = [];

    /// <summary>Set when an expectation with the <c>fail</c> action stopped the source; cleared when the file is replaced or removed.</summary>
    [Id(17)] public string? Error { get; init; }

    /// <summary>
    /// Whether every record read is accounted for: read = applied + duplicates + stale + dropped + quarantined.
    /// Meaningful once nothing is in flight (<see cref="InFlight"/> = 0).
    /// </summary>
    public bool Balanced => RecordsRead == Applied + Duplicates + Stale + Dropped + Quarantined;
}

/// <summary>The counters of one expectation in one source.</summary>
[GenerateSerializer, Immutable, Alias("sp.RuleStatus")]
public sealed record RuleStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string Action,
    [property: Id(2)] long Evaluated,
    [property: Id(3)] long Passed,
    [property: Id(4)] long Failed);

/// <summary>A file the source could not read to the end, and why.</summary>
[GenerateSerializer, Immutable, Alias("sp.FileProblem")]
public sealed record FileProblem(
    [property: Id(0)] string File,
    [property: Id(1)] long LinesRead,
    [property: Id(2)] string Reason);

/// <summary>The whole pipeline's status, as shown by <c>sales status</c>.</summary>
[GenerateSerializer, Alias("sp.PipelineStatus")]
public sealed record PipelineStatus
{
    /// <summary>True when every file present in every landing folder has been fully applied through to Gold and committed.</summary>
    [Id(0)] public bool CaughtUp { get; init; }
    [Id(1)] public SourceStatus[] Sources { get; init; } = [];
    [Id(2)] public long RegionDayKeys { get; init; }
    [Id(3)] public long Products { get; init; }
    [Id(4)] public long Customers { get; init; }
    [Id(5)] public long CommittedEpoch { get; init; }
    [Id(6)] public DateTimeOffset? LastCommitTime { get; init; }
    [Id(7)] public long BronzeRecords { get; init; }

    /// <summary>Set when ingestion stopped on an error; nothing after the last commit is committed until a restart.</summary>
    [Id(8)] public string? Error { get; init; }

    /// <summary>When this silo run started ingesting (null before it has).</summary>
    [Id(9)] public DateTimeOffset? IngestionStartedAt { get; init; }
}
