using System.Collections.Concurrent;
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
    private ConcurrentDictionary<string, Staged> staged = NewStaging();

    /// <summary>States being written by a commit: still the newest version until the transaction is done.</summary>
    private volatile IReadOnlyDictionary<string, Staged>? committing;

    /// <summary>Keys that exist in the store; a grain whose key is absent is new and needs no read.</summary>
    private readonly Lazy<Task<ConcurrentDictionary<string, bool>>> committedKeys;

    public EpochRowStore(IPipelineStore store, Serializer serializer)
    {
        this.store = store;
        this.serializer = serializer;
        committedKeys = new(LoadKeysAsync);
    }

    /// <summary>Number of rows changed since the last commit.</summary>
    public int StagedCount => staged.Count;

    /// <summary>
    /// Reads one row written with <see cref="StageRow{T}"/>: the staged object itself while it is not yet
    /// committed (so a shard that dropped it from its cache gets the very same instance back), else the
    /// committed row, else null.
    /// </summary>
    public async ValueTask<T?> ReadRowAsync<T>(string key)
        where T : class
    {
        if (staged.TryGetValue(key, out var pending) || (committing?.TryGetValue(key, out pending) ?? false))
        {
            return pending.State as T;
        }

        var known = await committedKeys.Value;
        if (!known.ContainsKey(key))
        {
            return null;
        }

        var payload = await store.ReadStateAsync(key, CancellationToken.None);
        return payload is null ? null : StatePayload.Decode<T>(serializer, payload);
    }

    /// <summary>Keys of the rows under <paramref name="prefix"/>: committed, being committed or staged.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string prefix)
    {
        var known = await committedKeys.Value;
        return [.. known.Keys.Concat(committing?.Keys ?? []).Concat(staged.Keys)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Stages one row for the next commit. The row is serialized at commit time, when nothing changes it,
    /// so its owner may keep mutating the instance until then.
    /// </summary>
    public void StageRow<T>(string key, T row)
        where T : class =>
        staged[key] = new Staged(row, () => StatePayload.Encode(serializer, row));

    /// <summary>
    /// Takes every staged state, serializes it and starts writing it, with <paramref name="checkpoints"/>
    /// and <paramref name="quarantine"/>, as epoch <paramref name="epoch"/>. The caller guarantees that no
    /// grain is changing state until this returns (all in-flight records acknowledged), which is what
    /// makes the serialized states a consistent cut. The write itself runs on while ingestion goes on;
    /// the returned task ends when the epoch is durable and yields the number of states written. Until
    /// then the states stay readable here, and the next commit waits for it.
    /// </summary>
    public async Task<Task<int>> StartCommitAsync(
        long epoch,
        IReadOnlyDictionary<string, string> checkpoints,
        IReadOnlyList<QuarantinedRecord> quarantine,
        CancellationToken cancellationToken)
    {
        await commitLock.WaitAsync(cancellationToken);
        List<StateWrite> writes;
        try
        {
            var batch = Interlocked.Exchange(ref staged, NewStaging());
            committing = batch;

            // Serializing is most of a commit's CPU and the states are independent: use every core.
            writes = batch.AsParallel().Select(kv => new StateWrite(kv.Key, kv.Value.Serialize())).ToList();
        }
        catch
        {
            Restore();
            commitLock.Release();
            throw;
        }

        return WriteAsync(new EpochCommit(epoch, writes, checkpoints, quarantine));
    }

    private async Task<int> WriteAsync(EpochCommit commit)
    {
        try
        {
            // Not cancellable: an epoch whose states were taken out of staging is written or the pipeline stops.
            await store.CommitAsync(commit, CancellationToken.None);
            var known = await committedKeys.Value;
            foreach (var write in commit.States)
            {
                if (write.Payload is null)
                {
                    known.TryRemove(write.StateKey, out _);
                }
                else
                {
                    known[write.StateKey] = true;
                }
            }

            committing = null;
            return commit.States.Count;
        }
        catch
        {
            Restore();
            throw;
        }
        finally
        {
            commitLock.Release();
        }
    }

    /// <summary>Puts the states of a failed commit back (newer stagings win) so a later commit still writes them.</summary>
    private void Restore()
    {
        if (committing is { } batch)
        {
            foreach (var (key, value) in batch)
            {
                staged.TryAdd(key, value);
            }
        }

        committing = null;
    }

    private async Task<ConcurrentDictionary<string, bool>> LoadKeysAsync()
    {
        var keys = await store.ReadStateKeysAsync(CancellationToken.None);
        return new ConcurrentDictionary<string, bool>(keys.Select(k => KeyValuePair.Create(k, true)), StringComparer.Ordinal);
    }

    /// <summary>
    /// Every partition and shard stages into this map at once; more locks and room for a typical epoch
    /// keep them from queueing on the default two locks and on resizes (seen in profiles).
    /// </summary>
    private static ConcurrentDictionary<string, Staged> NewStaging() => new(concurrencyLevel: 64, capacity: 65_536, StringComparer.Ordinal);

    private sealed record Staged(object State, Func<byte[]> Serialize);
}
