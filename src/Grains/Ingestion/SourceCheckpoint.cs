namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// A source's position and counters, committed in the same transaction as the grain states they
/// produced. Stored as JSON in sp_checkpoint under "source/{name}".
/// </summary>
internal sealed class SourceCheckpoint
{
    public Dictionary<string, FileCheckpoint> Files { get; set; } = new(StringComparer.Ordinal);
    public long RecordsRead { get; set; }
    public long Applied { get; set; }
    public long Quarantined { get; set; }
    public long Duplicates { get; set; }
    public long Stale { get; set; }
    public long Dropped { get; set; }
    public long Warnings { get; set; }
    public long BlankLines { get; set; }

    /// <summary>Records delivered to an order's Bronze log.</summary>
    public long BronzeRouted { get; set; }

    /// <summary>Records that name no order: kept in quarantine only.</summary>
    public long Unroutable { get; set; }

    /// <summary>Expectation counters by rule name.</summary>
    public Dictionary<string, RuleCounts> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Unknown columns or fields seen so far (schema drift), reported once each.</summary>
    public SortedSet<string> NewColumns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Set while an expectation with the <c>fail</c> action holds the source at a file.</summary>
    public SourceFailure? Failure { get; set; }
}

/// <summary>How far one file has been read: byte offset (jsonl; the file's length once read to its end for csv and parquet) and records read.</summary>
internal sealed class FileCheckpoint
{
    public long Offset { get; set; }
    public long Lines { get; set; }

    /// <summary>Set when the file could not be read to its end; the file is then left alone.</summary>
    public string? Problem { get; set; }
}

internal sealed class RuleCounts
{
    public long Evaluated { get; set; }
    public long Failed { get; set; }
}

/// <summary>Where a <c>fail</c> expectation stopped a source, and the file as it was then (to notice a replacement).</summary>
internal sealed class SourceFailure
{
    public string File { get; set; } = "";
    public long Row { get; set; }
    public string Rule { get; set; } = "";
    public string Message { get; set; } = "";
    public long Length { get; set; }
    public DateTime LastWriteUtc { get; set; }
}
