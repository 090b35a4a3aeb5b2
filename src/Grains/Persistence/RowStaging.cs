using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The rows one owner grain changed since the last commit, and those of the commit being written. A row is
/// staged in its stored form (<see cref="StageCopy"/>, what the row caches do, into the staging's arena; or
/// <see cref="StageEncoded"/>, an array of its own) or as the instance itself (<see cref="Stage{T}"/>), which is
/// serialized at commit time, when nothing changes it, so its owner may keep mutating it until then.
/// </summary>
internal sealed class RowStaging(EpochRowStore store)
{
    private volatile Dictionary<string, Staged> pending = new(StringComparer.Ordinal);

    /// <summary>Rows taken by the commit being written (or by one that failed, to be taken again).</summary>
    private volatile Dictionary<string, Staged>? committing;

    /// <summary>Bytes of the rows staged by copy since the last commit.</summary>
    private PayloadArena pendingBytes = store.NewRowArena();

    /// <summary>Bytes of the rows being committed (more than one arena when a failed commit's rows are taken again).</summary>
    private List<PayloadArena> committingBytes = [];

    /// <summary>
    /// Bytes of written commits. The write completes on another thread while the owner may be decoding one of their
    /// rows, so they are released on the owner's next staging, on its own turn, not when the write completes.
    /// </summary>
    private readonly ConcurrentQueue<PayloadArena> written = new();

    /// <summary>Taken when rows move from pending to committing and from committing to written (not when staging).</summary>
    private readonly Lock handOver = new();

    internal int PendingCount => pending.Count;

    public void Stage<T>(string key, T row)
        where T : class
    {
        // Rows are staged again at every change; the entry of an already staged instance stays as it is.
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(pending, key, out var exists);
        if (!exists || !ReferenceEquals(entry.Row, row))
        {
            entry = Staged.Of(row);
        }
    }

    /// <summary>
    /// Stages a row in its stored form (<see cref="StatePayload.Encode{T}(T)"/>), copied into the staging's arena:
    /// the commit writes the bytes as they are, and only they stay in memory until then, not the row's objects.
    /// </summary>
    public void StageCopy(string key, ReadOnlySpan<byte> payload)
    {
        while (written.TryDequeue(out var arena))
        {
            arena.Dispose();
        }

        pending[key] = Staged.Encoded(pendingBytes.Copy(payload));
    }

    /// <summary>Stages a row in its stored form, an array the staging keeps as it is (and that nobody changes).</summary>
    public void StageEncoded(string key, byte[] payload) => pending[key] = Staged.Encoded(payload);

    /// <summary>An arena for rows in their stored form, from the store's segment pool.</summary>
    public PayloadArena NewArena() => store.NewRowArena();

    /// <summary>
    /// Reads one row: the staged instance itself while it is not yet committed (so an owner that dropped it
    /// from its cache gets the very same object back; a row staged in its stored form is decoded), else the
    /// committed row, else null.
    /// </summary>
    public ValueTask<T?> ReadAsync<T>(string key)
        where T : class =>
        TryGetStaged(key, out var staged)
            ? ValueTask.FromResult(staged.IsEncoded ? store.Decode<T>(staged.Payload.Span) : staged.Row as T)
            : store.ReadCommittedAsync<T>(key);

    /// <summary>
    /// One row staged in its stored form: staged, being committed, or committed; null when there is none. A staged
    /// row's bytes are valid until the owner stages again: use them at once.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadEncodedAsync(string key)
    {
        if (TryGetEncoded(key, out var payload))
        {
            return payload;
        }

        // Not with a conditional expression: a null array (or the null literal, through byte[]) converts to an
        // empty memory, which is not null.
        if (await store.ReadCommittedPayloadAsync(key) is not { } stored)
        {
            return null;
        }

        return stored;
    }

    /// <summary>
    /// The instances of <typeparamref name="T"/> staged here and not yet written: those being committed, then those
    /// staged since (a row in both comes twice, the newer last). For an owner that keeps its rows live and takes
    /// them back when it is activated again.
    /// </summary>
    public List<T> StagedInstances<T>()
        where T : class
    {
        // Under the hand-over lock: an owner may be activated by a query while a commit takes its rows, and a row
        // must be found in one of the two sets, whichever moment the commit takes them at.
        lock (handOver)
        {
            return [.. (committing?.Values ?? Enumerable.Empty<Staged>()).Concat(pending.Values).Select(s => s.Row).OfType<T>()];
        }
    }

    /// <summary>A row from its stored form.</summary>
    public T Decode<T>(ReadOnlySpan<byte> payload) => store.Decode<T>(payload);

    /// <summary>The stored form of a row staged in it and not yet written.</summary>
    internal bool TryGetEncoded(string key, out ReadOnlyMemory<byte> payload)
    {
        if (!TryGetStaged(key, out var staged))
        {
            payload = default;
            return false;
        }

        payload = staged.IsEncoded
            ? staged.Payload
            : throw new InvalidOperationException($"Row '{key}' was staged as an object, not in its stored form.");
        return true;
    }

    private bool TryGetStaged(string key, out Staged staged) =>
        pending.TryGetValue(key, out staged) || (committing?.TryGetValue(key, out staged) ?? false);

    /// <summary>Keys under <paramref name="prefix"/>: committed (by anyone), being committed or staged here.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string prefix) =>
        [.. (await store.CommittedKeysAsync(prefix))
            .Concat(((IEnumerable<string>?)committing?.Keys ?? []).Concat(pending.Keys).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal)];

    /// <summary>Called by the commit while the owner is idle: the rows to write, or null when there are none.</summary>
    internal Dictionary<string, Staged>? TakePending()
    {
        using var handingOver = handOver.EnterScope();
        var batch = pending;
        if (committing is { } failed)
        {
            foreach (var (key, value) in failed)
            {
                batch.TryAdd(key, value);
            }
        }

        if (batch.Count == 0)
        {
            return null;
        }

        // Committing first: a query that misses the new (empty) pending set must find the row here.
        committing = batch;
        committingBytes.Add(pendingBytes);
        pendingBytes = store.NewRowArena();

        // Sized like the last epoch's: grown from empty, the staging maps' resizes were a fortieth of a csv run's allocations.
        pending = new Dictionary<string, Staged>(batch.Count, StringComparer.Ordinal);
        return batch;
    }

    /// <summary>Called by the write once the taken rows are durable (never concurrently with <see cref="TakePending"/>).</summary>
    internal void Written()
    {
        lock (handOver)
        {
            committing = null;
        }

        foreach (var arena in committingBytes)
        {
            if (arena.Bytes == 0)
            {
                arena.Dispose();
            }
            else
            {
                written.Enqueue(arena);
            }
        }

        committingBytes = [];
    }

    /// <summary>A staged row: an instance to serialize at the commit, or its stored form.</summary>
    internal readonly struct Staged
    {
        private readonly Func<object, PayloadArena, ReadOnlyMemory<byte>>? encoder;

        private Staged(object? row, Func<object, PayloadArena, ReadOnlyMemory<byte>>? encoder, ReadOnlyMemory<byte> payload)
        {
            Row = row;
            this.encoder = encoder;
            Payload = payload;
        }

        public static Staged Of<T>(T row)
            where T : class => new(row, Encoder<T>.Instance, default);

        public static Staged Encoded(ReadOnlyMemory<byte> payload) => new(null, null, payload);

        /// <summary>The instance to serialize, or null when <see cref="Payload"/> is the row's stored form.</summary>
        public object? Row { get; }

        public ReadOnlyMemory<byte> Payload { get; }

        public bool IsEncoded => Row is null;

        public ReadOnlyMemory<byte> Serialize(PayloadArena arena) => Row is null ? Payload : encoder!(Row, arena);
    }

    /// <summary>One encoder per row type, shared by every staging of that type.</summary>
    internal static class Encoder<T>
        where T : class
    {
        public static readonly Func<object, PayloadArena, ReadOnlyMemory<byte>> Instance = (row, arena) => StatePayload.Encode((T)row, arena);
    }
}
