namespace SalesPipeline.Delta;

/// <summary>A file in a table's storage.</summary>
/// <param name="Path">Path relative to the table root, with '/' separators.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">Last modification time (UTC).</param>
public sealed record DeltaStoreEntry(string Path, long Size, DateTimeOffset LastModified);

/// <summary>
/// The storage a table lives in, addressed by paths relative to the table root. The protocol code only
/// needs these operations; the one that matters for correctness is <see cref="PutIfAbsentAsync"/>, which
/// must be atomic (an object store implements it with a conditional write such as If-None-Match: *).
/// </summary>
public interface IDeltaLogStore
{
    /// <summary>A display name of the table root (for messages).</summary>
    string Root { get; }

    /// <summary>Lists files under <paramref name="directory"/> (relative, "" for the root); empty if it does not exist.</summary>
    Task<IReadOnlyList<DeltaStoreEntry>> ListAsync(string directory, bool recursive, CancellationToken cancellationToken);

    /// <summary>Reads a whole file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a file only if no file with that path exists; atomically: readers see all of it or nothing.</summary>
    /// <returns>False if the file already exists (nothing was written).</returns>
    Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Writes a file, replacing any existing one (used for data files with unique names and for <c>_last_checkpoint</c>).</summary>
    Task PutAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Deletes a file; no error if it is absent.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
