using SalesPipeline.Abstractions.Model;

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
    public long Warnings { get; set; }
    public long BlankLines { get; set; }

    /// <summary>Records delivered to an order's Bronze log.</summary>
    public long BronzeRouted { get; set; }

    /// <summary>Records that name no order: kept in quarantine only.</summary>
    public long Unroutable { get; set; }
}

/// <summary>How far one file has been read: byte offset and line count after the last line read.</summary>
internal sealed class FileCheckpoint
{
    public long Offset { get; set; }
    public long Lines { get; set; }

    /// <summary>Set when the file could not be read to its end; the file is then left alone.</summary>
    public string? Problem { get; set; }
}

/// <summary>A configured source and its live (not yet committed) checkpoint.</summary>
internal sealed class SourceRuntime(string name, string path, string pattern, SourceCheckpoint checkpoint)
{
    public string Name { get; } = name;
    public string Path { get; } = path;
    public string Pattern { get; } = pattern;
    public SourceCheckpoint Checkpoint { get; } = checkpoint;

    /// <summary>Files of the last listing with their lengths.</summary>
    public Dictionary<string, long> Listing { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Records published and not yet acknowledged.</summary>
    public long InFlight { get; set; }

    public SourceStatus ToStatus() => new()
    {
        Name = Name,
        Path = Path,
        FilesSeen = Listing.Count,
        FilesCompleted = Listing.Count(f => IsComplete(f.Key, f.Value)),
        RecordsRead = Checkpoint.RecordsRead,
        Applied = Checkpoint.Applied,
        Quarantined = Checkpoint.Quarantined,
        Duplicates = Checkpoint.Duplicates,
        Stale = Checkpoint.Stale,
        Warnings = Checkpoint.Warnings,
        BlankLines = Checkpoint.BlankLines,
        InFlight = InFlight,
        Problems = [.. Checkpoint.Files
            .Where(f => f.Value.Problem is not null)
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new FileProblem(f.Key, f.Value.Lines, f.Value.Problem!))],
    };

    /// <summary>A file is complete when it was read to its current length or given up with a problem.</summary>
    public bool IsComplete(string file, long length) =>
        Checkpoint.Files.TryGetValue(file, out var state) && (state.Problem is not null || state.Offset >= length);
}
