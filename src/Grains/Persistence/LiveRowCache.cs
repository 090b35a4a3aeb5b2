using System.Runtime.InteropServices;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The rows a shard grain keeps in memory as live objects, loaded on demand from <see cref="RowStaging"/>:
/// the owner changes a row in place and stages the instance, which the commit serializes at its cut. For
/// rows that change again and again, a little each time: a customer row changes with each of the customer's
/// orders, and kept in stored form (<see cref="RowCache{T}"/>) every change decoded and encoded the whole row
/// again — a fifth of a csv run's time, where each customer has two or three orders. Kept live, a change
/// costs the change, and the row is encoded once per epoch, at the commit.
/// Two generations approximate least-recently-used, as in <see cref="RowCache{T}"/>. Dropping a row is safe:
/// a staged row reads back from the staging as the very same instance, a committed one from the store.
/// </summary>
internal sealed class LiveRowCache<T>(RowStaging storage, Func<string, string> keyOf, int capacity)
    where T : class
{
    private readonly int generationSize = Math.Max(1, capacity / 2);

    /// <summary>Rows by id, with their store key (made once per row in the cache rather than at every staging).</summary>
    private Dictionary<string, Entry> young = new(StringComparer.Ordinal);
    private Dictionary<string, Entry> old = new(StringComparer.Ordinal);

    public int Count => young.Count + old.Count;

    /// <summary>The live row of <paramref name="id"/> (stage it after changing it), or null when it was never stored.</summary>
    public ValueTask<T?> FindAsync(string id) =>
        young.TryGetValue(id, out var entry) ? ValueTask.FromResult<T?>(entry.Row) : FindColdAsync(id);

    /// <summary>The live row of <paramref name="id"/>, created with <paramref name="create"/> (and kept) when it was never stored.</summary>
    public async ValueTask<T> GetOrCreateAsync(string id, Func<T> create)
    {
        if (await FindAsync(id) is { } row)
        {
            return row;
        }

        row = create();
        Keep(id, new Entry(keyOf(id), row));
        return row;
    }

    /// <summary>Stages the row, as it is at the next commit's cut (changes until then are written too).</summary>
    public void Stage(string id, T row)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(young, id);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry) || !ReferenceEquals(entry.Row, row))
        {
            var added = new Entry(keyOf(id), row);
            Keep(id, added);
            storage.Stage(added.Key, row);
            return;
        }

        storage.Stage(entry.Key, row);
    }

    private async ValueTask<T?> FindColdAsync(string id)
    {
        if (old.Remove(id, out var entry))
        {
            Keep(id, entry);
            return entry.Row;
        }

        var key = keyOf(id);
        if (await storage.ReadAsync<T>(key) is not { } row)
        {
            return null;
        }

        Keep(id, new Entry(key, row));
        return row;
    }

    private void Keep(string id, Entry entry)
    {
        if (young.Count >= generationSize && !young.ContainsKey(id))
        {
            old = young;
            young = new Dictionary<string, Entry>(StringComparer.Ordinal);
        }

        young[id] = entry;
    }

    private readonly record struct Entry(string Key, T Row);
}
