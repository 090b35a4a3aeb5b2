using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The rows of the pipeline's shard grains (orders, customers, Gold). Staging a row costs nothing; the
/// ingestion coordinator commits every staged row together with the source positions in one
/// transaction once all in-flight records are through (<see cref="StartCommitAsync"/>). After a crash the
/// store holds the last consistent cut and the sources replay from the positions stored with it, so
/// no record is lost or counted twice, while the database sees one transaction per epoch instead of
/// one write per change.
/// </summary>
internal sealed class EpochRowStore
{
    private readonly IPipelineStore store;
    private readonly Serializer serializer;
    private readonly SemaphoreSlim commitLock = new(1, 1);

    /// <summary>One staging area per owning grain (by its key), kept across its activations.</summary>
    private readonly ConcurrentDictionary<string, RowStaging> owners = new(StringComparer.Ordinal);

    /// <summary>Keys that exist in the store (as hashes); a grain whose key is absent is new and needs no read.</summary>
    private readonly Lazy<Task<KeySet>> committedKeys;

    /// <summary>
    /// The arenas' 1 MiB segments, reused from epoch to epoch: rented from the shared pool they were mostly
    /// new arrays on the large object heap, each epoch, which the garbage collector reclaims only in full collections.
    /// </summary>
    private readonly ArrayPool<byte> segments = ArrayPool<byte>.Create(PayloadArena.SegmentSize, 1024);

    /// <summary>
    /// Rows written once, in their stored form, and read by any grain (Bronze chunks): a staging area like an
    /// owner's, but used by many, so under <see cref="sharedGate"/>.
    /// </summary>
    private readonly RowStaging shared;
    private readonly Lock sharedGate = new();

    public EpochRowStore(IPipelineStore store, Serializer serializer)
    {
        this.store = store;
        this.serializer = serializer;
        committedKeys = new(LoadKeysAsync);
        shared = new RowStaging(this);
    }

    /// <summary>Segment size of the arenas of row caches and stagings: many of them are open at once, each with a part-used segment.</summary>
    private const int RowSegmentSize = 256 * 1024;

    /// <summary>An arena for rows kept in their stored form (a cache generation, an epoch's staging), from the shared segment pool.</summary>
    internal PayloadArena NewRowArena() => new(segments, RowSegmentSize);

    /// <summary>Number of rows changed since the last commit.</summary>
    public int StagedCount => owners.Values.Sum(o => o.PendingCount) + shared.PendingCount;

    /// <summary>
    /// Stages a row that never changes once written, already in its stored form (<see cref="StatePayload.Encode{T}(T)"/>):
    /// only its bytes stay in memory until the commit, not its objects (for Bronze chunks, every raw line).
    /// </summary>
    public void StageSharedEncoded(string key, byte[] payload)
    {
        lock (sharedGate)
        {
            shared.StageEncoded(key, payload);
        }
    }

    /// <summary>A row staged with <see cref="StageSharedEncoded"/>, decoded, until it is committed; then the stored row.</summary>
    public ValueTask<T?> ReadSharedAsync<T>(string key)
        where T : class
    {
        bool staged;
        ReadOnlyMemory<byte> payload;
        lock (sharedGate)
        {
            staged = shared.TryGetEncoded(key, out payload);
        }

        // Decoded outside the lock (the coordinator stages the next chunks meanwhile): shared rows are arrays of their own, not arena slices.
        return staged ? ValueTask.FromResult<T?>(StatePayload.Decode<T>(serializer, payload.Span)) : ReadCommittedAsync<T>(key);
    }

    /// <summary>
    /// The staging area of one owner (a shard or partition grain, by a name that stays the same across its
    /// activations). Only its owner uses it, on its own turns, so staging takes no lock; the commit takes
    /// its rows while every owner is idle.
    /// </summary>
    public RowStaging StagingFor(string owner) => owners.GetOrAdd(owner, static (name, store) => new RowStaging(store), this);

    internal async ValueTask<T?> ReadCommittedAsync<T>(string key)
        where T : class =>
        await ReadCommittedPayloadAsync(key) is { } payload ? Decode<T>(payload) : null;

    /// <summary>The committed row of <paramref name="key"/> in its stored form, or null.</summary>
    internal async ValueTask<byte[]?> ReadCommittedPayloadAsync(string key)
    {
        var known = await committedKeys.Value;
        return known.Contains(key) ? await store.ReadStateAsync(key, CancellationToken.None) : null;
    }

    /// <summary>The committed rows under <paramref name="prefix"/> whose key (without the prefix) <paramref name="keep"/> accepts, in key order, in their stored form.</summary>
    internal IAsyncEnumerable<(string Key, byte[] Payload)> ReadCommittedRowsAsync(string prefix, Func<string, bool> keep) => store.ReadStatesAsync(prefix, keep, CancellationToken.None);

    /// <summary>A row from its stored form (any format this version reads).</summary>
    internal T Decode<T>(ReadOnlySpan<byte> payload) => StatePayload.Decode<T>(serializer, payload);

    internal Task<IReadOnlyCollection<string>> CommittedKeysAsync(string prefix) => store.ReadStateKeysAsync(prefix, CancellationToken.None);

    /// <summary>
    /// Takes every staged row, serializes it and starts writing it, with <paramref name="checkpoints"/>
    /// and <paramref name="quarantine"/>, as epoch <paramref name="epoch"/>. The caller guarantees that no
    /// grain is changing state until this returns (all in-flight records acknowledged), which is what
    /// makes the serialized states a consistent cut. The write itself runs on while ingestion goes on;
    /// the returned task ends when the epoch is durable and yields the number of states written. Until
    /// then the rows stay readable through their owners' staging, and the next commit waits for it.
    /// <paramref name="idle"/>: ingestion has nothing more to read (<see cref="EpochCommit.Idle"/>).
    /// </summary>
    public async Task<Task<int>> StartCommitAsync(
        long epoch,
        IReadOnlyDictionary<string, string> checkpoints,
        IReadOnlyList<QuarantinedRecord> quarantine,
        bool idle,
        CancellationToken cancellationToken)
    {
        await commitLock.WaitAsync(cancellationToken);
        StateWrite[] writes;
        var taken = new List<RowStaging>();
        var arenas = new ConcurrentBag<PayloadArena>();
        try
        {
            var batches = new List<Dictionary<string, RowStaging.Staged>>();
            lock (sharedGate)
            {
                if (shared.TakePending() is { } batch)
                {
                    taken.Add(shared);
                    batches.Add(batch);
                }
            }

            foreach (var owner in owners.Values)
            {
                if (owner.TakePending() is { } batch)
                {
                    taken.Add(owner);
                    batches.Add(batch);
                }
            }

            var rows = new List<KeyValuePair<string, RowStaging.Staged>>(batches.Sum(b => b.Count));
            foreach (var batch in batches)
            {
                rows.AddRange(batch);
            }

            // Serializing is most of a commit's CPU and the rows are independent: use every core. The bytes go
            // into pooled arenas, one per worker, rather than an array per row: they live until the write is
            // done, long enough for the garbage collector to copy every one of them into older generations.
            writes = new StateWrite[rows.Count];
            Parallel.For(
                0,
                rows.Count,
                () =>
                {
                    var arena = new PayloadArena(segments);
                    arenas.Add(arena);
                    return arena;
                },
                (i, _, arena) =>
                {
                    writes[i] = new StateWrite(rows[i].Key, rows[i].Value.Serialize(arena));
                    return arena;
                },
                static _ => { });
        }
        catch
        {
            Release(arenas);
            commitLock.Release();
            throw;
        }

        // On the thread pool: Microsoft.Data.Sqlite's async methods complete synchronously, so awaiting the
        // write here would hold ingestion up for the whole write (measured: a third of a csv run's time).
        var commit = new EpochCommit(epoch, writes, checkpoints, quarantine, idle);
        return Task.Run(() => WriteAsync(commit, taken, arenas), CancellationToken.None);
    }

    private static void Release(IEnumerable<PayloadArena> arenas)
    {
        foreach (var arena in arenas)
        {
            arena.Dispose();
        }
    }

    private async Task<int> WriteAsync(EpochCommit commit, List<RowStaging> taken, ConcurrentBag<PayloadArena> arenas)
    {
        try
        {
            // Not cancellable: an epoch whose rows were taken out of staging is written or the pipeline stops.
            await store.CommitAsync(commit, CancellationToken.None);
            (await committedKeys.Value).AddRange(commit.States.Select(s => s.StateKey));

            foreach (var owner in taken)
            {
                owner.Written();
            }

            return commit.States.Count;
        }
        finally
        {
            // On failure the taken rows stay in their owners' committing sets: still readable, and the next
            // commit takes them again (newer stagings win).
            Release(arenas);
            commitLock.Release();
        }
    }

    private async Task<KeySet> LoadKeysAsync()
    {
        var keys = new KeySet();
        keys.AddRange(await store.ReadStateKeysAsync("", CancellationToken.None));
        return keys;
    }

    /// <summary>
    /// The keys of the store as 64-bit hashes (XxHash3 of their UTF-16 bytes), read by many grains and added to by
    /// the epoch write. Hashes rather than the keys: a set of every order and customer key was millions of
    /// strings kept for the process's life, for the garbage collector to trace. A false positive (another key
    /// with the same hash: about one lookup in 10^13 with a million keys) costs one read that finds no row.
    /// </summary>
    private sealed class KeySet
    {
        private readonly Lock gate = new();
        private readonly HashSet<ulong> hashes = [];

        public bool Contains(string key)
        {
            var hash = Hash(key);
            lock (gate)
            {
                return hashes.Contains(hash);
            }
        }

        public void AddRange(IEnumerable<string> added)
        {
            lock (gate)
            {
                foreach (var key in added)
                {
                    hashes.Add(Hash(key));
                }
            }
        }

        private static ulong Hash(string key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));
    }
}
