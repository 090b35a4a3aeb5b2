namespace SalesPipeline.Grains.Control;

/// <summary>
/// The silo runs over a data directory: when each started and whether it stopped gracefully. Control
/// state written outside ingestion, so it lives in Orleans' ADO.NET grain storage.
/// </summary>
internal interface IPipelineRunsGrain : IGrainWithIntegerKey
{
    /// <summary>Records a start and returns the previous run, if any.</summary>
    Task<PipelineRun?> StartedAsync(string silo, long epoch, DateTimeOffset at);

    /// <summary>Records the graceful stop of the current run.</summary>
    Task StoppedAsync(long epoch, DateTimeOffset at);

    Task<PipelineRun[]> GetRunsAsync();
}

[GenerateSerializer, Immutable, Alias("sp.PipelineRun")]
internal sealed record PipelineRun(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] long StartEpoch,
    [property: Id(3)] DateTimeOffset? StoppedAt,
    [property: Id(4)] long? StopEpoch);

[GenerateSerializer, Alias("sp.PipelineRunsState")]
internal sealed class PipelineRunsState
{
    /// <summary>The most recent runs, newest last (at most <see cref="PipelineRunsGrain.Kept"/>).</summary>
    [Id(0)] public List<PipelineRun> Runs { get; set; } = [];
}

[GrainType("sp.control.runs")]
internal sealed class PipelineRunsGrain(
    [PersistentState("runs", Hosting.StorageNames.Control)] IPersistentState<PipelineRunsState> state) : Grain, IPipelineRunsGrain
{
    public const int Kept = 50;

    public async Task<PipelineRun?> StartedAsync(string silo, long epoch, DateTimeOffset at)
    {
        var previous = state.State.Runs.LastOrDefault();
        state.State.Runs.Add(new PipelineRun(silo, at, epoch, null, null));
        if (state.State.Runs.Count > Kept)
        {
            state.State.Runs.RemoveAt(0);
        }

        await state.WriteStateAsync();
        return previous;
    }

    public async Task StoppedAsync(long epoch, DateTimeOffset at)
    {
        if (state.State.Runs.Count > 0)
        {
            state.State.Runs[^1] = state.State.Runs[^1] with { StoppedAt = at, StopEpoch = epoch };
            await state.WriteStateAsync();
        }
    }

    public Task<PipelineRun[]> GetRunsAsync() => Task.FromResult(state.State.Runs.ToArray());
}
