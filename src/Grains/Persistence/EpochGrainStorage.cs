using Orleans.Serialization;
using Orleans.Storage;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// Grain storage of the pipeline grains. A write stages the state in memory and costs nothing; the
/// ingestion coordinator commits every staged state together with the source positions in one
/// transaction once all in-flight records are through (<see cref="CommitAsync"/>). After a crash the
/// store holds the last consistent cut and the sources replay from the positions stored with it, so
/// no record is lost or counted twice, while the database sees one transaction per epoch instead of
/// one write per grain call.
/// </summary>
internal sealed class EpochGrainStorage(IPipelineStore store, Serializer serializer) : IGrainStorage
{
    private readonly Lock gate = new();
    private Dictionary<string, Staged> staged = new(StringComparer.Ordinal);

    /// <summary>Number of grain states changed since the last commit.</summary>
    public int StagedCount
    {
        get
        {
            lock (gate)
            {
                return staged.Count;
            }
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        lock (gate)
        {
            // A grain deactivated before the commit that holds its state: hand the staged state back.
            if (staged.TryGetValue(key, out var pending))
            {
                if (pending.State is T state)
                {
                    grainState.State = state;
                    grainState.RecordExists = true;
                }

                grainState.ETag = "staged";
                return;
            }
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
        lock (gate)
        {
            staged[Key(stateName, grainId)] = new Staged(state, () => serializer.SerializeToArray(state));
        }

        grainState.RecordExists = true;
        grainState.ETag = "staged";
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (gate)
        {
            staged[Key(stateName, grainId)] = new Staged(null, static () => null);
        }

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
        IReadOnlyList<SalesPipeline.Abstractions.Model.QuarantinedRecord> quarantine,
        CancellationToken cancellationToken)
    {
        Dictionary<string, Staged> batch;
        lock (gate)
        {
            batch = staged;
            staged = new Dictionary<string, Staged>(StringComparer.Ordinal);
        }

        try
        {
            var writes = new List<StateWrite>(batch.Count);
            foreach (var (key, value) in batch)
            {
                writes.Add(new StateWrite(key, value.Serialize()));
            }

            await store.CommitAsync(new EpochCommit(epoch, writes, checkpoints, quarantine), cancellationToken);
            return writes.Count;
        }
        catch
        {
            // Put the states back (newer stagings win) so a retried commit still writes them.
            lock (gate)
            {
                foreach (var (key, value) in batch)
                {
                    staged.TryAdd(key, value);
                }
            }

            throw;
        }
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private sealed record Staged(object? State, Func<byte[]?> Serialize);
}
