namespace SalesPipeline.Sources;

/// <summary>
/// Reads one CSV or Parquet file of a line source in chunks, from a given data row on (resume after a
/// restart). Not thread-safe: one reader per file, one call at a time.
/// </summary>
public interface ILineFileReader : IAsyncDisposable
{
    /// <summary>The file being read.</summary>
    string FilePath { get; }

    /// <summary>The file's column names (for a CSV file without header: <c>1</c>, <c>2</c>, …).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Columns of the file that no mapping uses (schema drift); their values come back as rescued data.</summary>
    IReadOnlyList<string> UnmappedColumns { get; }

    /// <summary>
    /// Mapped columns the file lacks, as configured. A missing column of a required field rejects every row of
    /// the file with <see cref="FileRejection"/>; a missing optional one reads as empty.
    /// </summary>
    IReadOnlyList<string> MissingColumns { get; }

    /// <summary>The rejection every row of this file gets (required columns missing), or null.</summary>
    string? FileRejection { get; }

    /// <summary>Data rows consumed so far (the start row plus the rows read since).</summary>
    long Position { get; }

    /// <summary>
    /// Reads up to <paramref name="maxRows"/> non-blank rows after <see cref="Position"/>.
    /// </summary>
    /// <exception cref="LineFileException">The file cannot be read further (corrupt or unreadable).</exception>
    ValueTask<LineChunk> ReadChunkAsync(int maxRows, CancellationToken cancellationToken = default);
}
