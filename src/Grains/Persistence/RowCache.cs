namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The rows a shard grain keeps in memory, loaded on demand from <see cref="EpochRowStore"/>. Two
/// generations approximate least-recently-used: when the young one is full it becomes the old one and
/// the previous old one is dropped; a hit in the old generation moves the row back to the young one.
/// Dropping a row is always safe: a staged row reads back as the same instance, a committed one from
/// the store.
/// </summary>
internal sealed class RowCache<T>(RowStaging storage, Func<string, string> keyOf, int capacity)
    where T : class
{
    private readonly int generationSize = Math.Max(1, capacity / 2);
    private Dictionary<string, T> young = new(StringComparer.Ordinal);
    private Dictionary<string, T> old = new(StringComparer.Ordinal);

    public int Count => young.Count + old.Count;

    /// <summary>The row of <paramref name="id"/>, or null when it was never stored.</summary>
    public async ValueTask<T?> FindAsync(string id)
    {
        if (young.TryGetValue(id, out var row))
        {
            return row;
        }

        if (old.Remove(id, out row))
        {
            Keep(id, row);
            return row;
        }

        row = await storage.ReadAsync<T>(keyOf(id));
        if (row is not null)
        {
            Keep(id, row);
        }

        return row;
    }

    /// <summary>The row of <paramref name="id"/>, created with <paramref name="create"/> when it was never stored.</summary>
    public async ValueTask<T> GetOrCreateAsync(string id, Func<T> create)
    {
        if (await FindAsync(id) is { } existing)
        {
            return existing;
        }

        var row = create();
        Keep(id, row);
        return row;
    }

    /// <summary>
    /// Stages the row for the next commit. Serialized at commit time: serializing at every change was
    /// measured slower (rows change several times per epoch), although it would shorten the commit's pause.
    /// </summary>
    public void Stage(string id, T row) => storage.Stage(keyOf(id), row);

    private void Keep(string id, T row)
    {
        if (young.Count >= generationSize)
        {
            old = young;
            young = new Dictionary<string, T>(StringComparer.Ordinal);
        }

        young[id] = row;
    }
}
