namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The rows a shard grain keeps in memory, loaded on demand from <see cref="EpochRowStore"/>, in their
/// stored form: a row is decoded when its owner needs it and encoded again when the owner stages it.
/// Kept as objects, every row of an epoch outlived several garbage collections (until the commit, and
/// then in the cache) and each one copied and traced its dozen objects; kept as bytes, a row is one array
/// without references, its objects die young, and the commit finds it already serialized. Two
/// generations approximate least-recently-used: when the young one is full it becomes the old one and
/// the previous old one is dropped; a hit in the old generation moves the row back to the young one.
/// Dropping a row is always safe: a staged row reads back from the staging, a committed one from the store.
/// </summary>
internal sealed class RowCache<T>(RowStaging storage, Func<string, string> keyOf, int capacity)
    where T : class
{
    private readonly int generationSize = Math.Max(1, capacity / 2);
    private Dictionary<string, byte[]> young = new(StringComparer.Ordinal);
    private Dictionary<string, byte[]> old = new(StringComparer.Ordinal);

    public int Count => young.Count + old.Count;

    /// <summary>The row of <paramref name="id"/> (a fresh instance: stage it to keep changes), or null when it was never stored.</summary>
    public async ValueTask<T?> FindAsync(string id)
    {
        if (young.TryGetValue(id, out var payload))
        {
            return storage.Decode<T>(payload);
        }

        if (old.Remove(id, out payload))
        {
            Keep(id, payload);
            return storage.Decode<T>(payload);
        }

        payload = await storage.ReadEncodedAsync(keyOf(id));
        if (payload is null)
        {
            return null;
        }

        Keep(id, payload);
        return storage.Decode<T>(payload);
    }

    /// <summary>The row of <paramref name="id"/>, created with <paramref name="create"/> when it was never stored.</summary>
    public async ValueTask<T> GetOrCreateAsync(string id, Func<T> create) => await FindAsync(id) ?? create();

    /// <summary>Encodes the row, keeps it and stages it for the next commit.</summary>
    public void Stage(string id, T row)
    {
        var payload = StatePayload.Encode(row);
        Keep(id, payload);
        storage.StageEncoded(keyOf(id), payload);
    }

    private void Keep(string id, byte[] payload)
    {
        if (young.Count >= generationSize && !young.ContainsKey(id))
        {
            old = young;
            young = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        }

        young[id] = payload;
    }
}
