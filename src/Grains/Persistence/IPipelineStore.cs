using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// Durable store of the pipeline: grain states, source positions and quarantine, written only in
/// whole epoch commits so that it always holds a consistent cut of the input.
/// </summary>
internal interface IPipelineStore
{
    /// <summary>Creates the schema when missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The keys of the committed grain states under <paramref name="prefix"/> (every one for "").</summary>
    Task<IReadOnlyCollection<string>> ReadStateKeysAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// The committed grain states under <paramref name="prefix"/> whose key (without the prefix) <paramref name="keep"/>
    /// accepts, in key order: key without the prefix, payload.
    /// </summary>
    IAsyncEnumerable<(string Key, byte[] Payload)> ReadStatesAsync(string prefix, Func<string, bool> keep, CancellationToken cancellationToken);

    /// <summary>The committed payload of one grain state, or null.</summary>
    Task<byte[]?> ReadStateAsync(string stateKey, CancellationToken cancellationToken);

    /// <summary>The last committed epoch and the checkpoint documents written with it.</summary>
    Task<StoredCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Writes one epoch in a single transaction: all or nothing.</summary>
    Task CommitAsync(EpochCommit commit, CancellationToken cancellationToken);

    /// <summary>Quarantined records in arrival order, optionally of one source, after <paramref name="afterId"/>.</summary>
    Task<QuarantinedRecord[]> ListQuarantineAsync(string? source, long afterId, int limit, CancellationToken cancellationToken);
}

/// <summary>One row to write (its bytes live in the commit's <see cref="PayloadArena"/> until the write is done).</summary>
internal readonly record struct StateWrite(string StateKey, ReadOnlyMemory<byte> Payload);

/// <summary>Everything one epoch commit writes.</summary>
/// <param name="Epoch">The epoch's number.</param>
/// <param name="States">Every row staged in the epoch.</param>
/// <param name="Checkpoints">The sources' positions and counters, and the epoch's own document.</param>
/// <param name="Quarantine">The records quarantined in the epoch.</param>
/// <param name="Idle">
/// Committed because ingestion has nothing more to read (or is stopping): the store may do its upkeep now
/// rather than compete with ingestion for the CPU (the SQLite store copies its write-ahead log then).
/// </param>
internal sealed record EpochCommit(
    long Epoch,
    IReadOnlyList<StateWrite> States,
    IReadOnlyDictionary<string, string> Checkpoints,
    IReadOnlyList<QuarantinedRecord> Quarantine,
    bool Idle = false);

/// <summary>The last committed epoch (0 when nothing was ever committed) and its checkpoint documents.</summary>
internal sealed record StoredCheckpoint(long Epoch, IReadOnlyDictionary<string, string> Documents);
