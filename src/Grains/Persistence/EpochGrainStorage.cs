using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// Grain storage of the pipeline grains. A write stages the state in memory and costs nothing; the
/// ingestion coordinator commits every staged state together with the source positions in one
/// transaction once all in-flight records are through (<see cref="CommitAsync"/>). After a crash the
/// store holds the last consistent cut and the sources replay from the positions stored with it, so
/// no record is lost or counted twice, while the database sees one transaction per epoch instead of
/// one write per grain call.
/// </summary>
internal sealed class EpochGrainStorage : IGrainStorage
{
    private readonly IPipelineStore store;
    private readonly Serializer serializer;
    private readonly SemaphoreSlim commitLock = new(1, 1);
    private ConcurrentDictionary<string, Staged> staged = new(StringComparer.Ordinal);

    /// <summary>States being written by a commit: still the newest version until the transaction is done.</summary>
    private volatile IReadOnlyDictionary<string, Staged>? committing;

    /// <summary>Keys that exist in the store; a grain whose key is absent is new and needs no read.</summary>
    private readonly Lazy<Task<ConcurrentDictionary<string, bool>>> committedKeys;

    public EpochGrainStorage(IPipelineStore store, Serializer serializer)
    {
        this.store = store;
        this.serializer = serializer;
        committedKeys = new(LoadKeysAsync);
    }

    /// <summary>Number of grain states changed since the last commit.</summary>
    public int StagedCount => staged.Count;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);

        // A grain deactivated before the commit that holds its state gets the staged state back.
        if (staged.TryGetValue(key, out var pending) || (committing?.TryGetValue(key, out pending) ?? false))
        {
            if (pending.State is T state)
            {
                grainState.State = state;
                grainState.RecordExists = true;
            }

            grainState.ETag = "staged";
            return;
        }

        var known = await committedKeys.Value;
        if (!known.ContainsKey(key))
        {
            return;
        }

        var payload = await store.ReadStateAsync(key, CancellationToken.None);
        if (payload is not null)
        {
            grainState.State = serializer.Deserialize<T>(payload);
            grainState.RecordExists = true;
            grainState.ETag = "committed";
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var state = grainState.State;
        staged[Key(stateName, grainId)] = new Staged(state, () => serializer.SerializeToArray(state));
        grainState.RecordExists = true;
        grainState.ETag = "staged";
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        staged[Key(stateName, grainId)] = new Staged(null, static () => null);
        grainState.RecordExists = false;
        grainState.ETag = null;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Takes every staged state and writes it, with <paramref name="checkpoints"/> and
    /// <paramref name="quarantine"/>, as epoch <paramref name="epoch"/>. The caller guarantees that no
    /// grain is changing state meanwhile (all in-flight records acknowledged), which is what makes the
    /// serialized states a consistent cut.
    /// </summary>
    public async Task<int> CommitAsync(
        long epoch,
        IReadOnlyDictionary<string, string> checkpoints,
        IReadOnlyList<QuarantinedRecord> quarantine,
        CancellationToken cancellationToken)
    {
        await commitLock.WaitAsync(cancellationToken);
        var batch = Interlocked.Exchange(ref staged, new ConcurrentDictionary<string, Staged>(StringComparer.Ordinal));
        committing = batch;
        try
        {
            // Serializing is most of a commit's CPU and the states are independent: use every core.
            var writes = batch.AsParallel().Select(kv => new StateWrite(kv.Key, kv.Value.Serialize())).ToList();

            await store.CommitAsync(new EpochCommit(epoch, writes, checkpoints, quarantine), cancellationToken);
            var known = await committedKeys.Value;
            foreach (var write in writes)
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

            return writes.Count;
        }
        catch
        {
            // Put the states back (newer stagings win) so a retried commit still writes them.
            foreach (var (key, value) in batch)
            {
                staged.TryAdd(key, value);
            }

            throw;
        }
        finally
        {
            committing = null;
            commitLock.Release();
        }
    }

    private async Task<ConcurrentDictionary<string, bool>> LoadKeysAsync()
    {
        var keys = await store.ReadStateKeysAsync(CancellationToken.None);
        return new ConcurrentDictionary<string, bool>(keys.Select(k => KeyValuePair.Create(k, true)), StringComparer.Ordinal);
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private sealed record Staged(object? State, Func<byte[]?> Serialize);
}
