namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The rows a shard grain keeps in memory, loaded on demand from <see cref="EpochRowStore"/>, in their
/// stored form: a row is decoded when its owner needs it and encoded again when the owner stages it.
/// Kept as objects, every row of an epoch outlived several garbage collections (until the commit, and
/// then in the cache) and each one copied and traced its dozen objects; kept as arrays, each row was still
/// copied from generation to generation. Kept in arena segments (<see cref="PayloadArena"/>), a row costs the
/// collector nothing but its key, its objects die young, and the commit finds it already serialized. Two
/// generations approximate least-recently-used: when the young one is full it becomes the old one and
/// the previous old one is dropped, segments and all; a hit in the old generation copies the row back to the
/// young one. Dropping a row is always safe: a staged row reads back from the staging, a committed one from the store.
/// </summary>
internal sealed class RowCache<T>(RowStaging storage, Func<string, string> keyOf, int capacity)
    where T : class
{
    private readonly int generationSize = Math.Max(1, capacity / 2);

    /// <summary>
    /// A generation is also full at this many bytes (rows are a few hundred bytes): a row staged again leaves its
    /// previous bytes behind.
    /// </summary>
    private long GenerationBytes => generationSize * 512L;

    private Generation young = new(storage.NewArena());
    private Generation old = new(storage.NewArena());

    public int Count => young.Rows.Count + old.Rows.Count;

    /// <summary>The row of <paramref name="id"/> (a fresh instance: stage it to keep changes), or null when it was never stored.</summary>
    public async ValueTask<T?> FindAsync(string id)
    {
        if (young.Rows.TryGetValue(id, out var payload))
        {
            return storage.Decode<T>(payload.Span);
        }

        if (old.Rows.Remove(id, out payload))
        {
            return storage.Decode<T>(Keep(id, payload.Span).Span);
        }

        return await storage.ReadEncodedAsync(keyOf(id)) is { } stored ? storage.Decode<T>(Keep(id, stored.Span).Span) : null;
    }

    /// <summary>The row of <paramref name="id"/>, created with <paramref name="create"/> when it was never stored.</summary>
    public async ValueTask<T> GetOrCreateAsync(string id, Func<T> create) => await FindAsync(id) ?? create();

    /// <summary>Encodes the row, keeps it and stages it for the next commit.</summary>
    public void Stage(string id, T row)
    {
        var retired = MakeRoom(id);
        var kept = StatePayload.Encode(row, young.Bytes);
        young.Rows[id] = kept;
        retired?.Bytes.Dispose();
        storage.StageCopy(keyOf(id), kept.Span);
    }

    /// <summary>Copies <paramref name="payload"/> (which may lie in the old generation) into the young one.</summary>
    private ReadOnlyMemory<byte> Keep(string id, ReadOnlySpan<byte> payload)
    {
        var retired = MakeRoom(id);
        var kept = young.Bytes.Copy(payload);
        young.Rows[id] = kept;

        // Only now: the bytes just copied may have been the retired generation's.
        retired?.Bytes.Dispose();
        return kept;
    }

    /// <summary>Starts a new young generation when the current one is full; returns the generation to drop once nothing reads it.</summary>
    private Generation? MakeRoom(string id)
    {
        if ((young.Rows.Count < generationSize || young.Rows.ContainsKey(id)) && young.Bytes.Bytes < GenerationBytes)
        {
            return null;
        }

        var retired = old;
        old = young;
        young = new Generation(storage.NewArena());
        return retired;
    }

    private sealed class Generation(PayloadArena bytes)
    {
        public Dictionary<string, ReadOnlyMemory<byte>> Rows { get; } = new(StringComparer.Ordinal);
        public PayloadArena Bytes { get; } = bytes;
    }
}
