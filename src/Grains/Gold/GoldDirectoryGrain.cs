namespace SalesPipeline.Grains.Gold;

/// <summary>Which Gold rows exist, so queries can find them. A single grain: keys are registered once each.</summary>
internal interface IGoldDirectoryGrain : IGrainWithIntegerKey
{
    Task RegisterRegionDayAsync(string key);

    Task RegisterProductAsync(string productId);

    Task<string[]> GetRegionDaysAsync();

    Task<string[]> GetProductsAsync();
}

[GenerateSerializer, Alias("sp.GoldDirectoryState")]
internal sealed class GoldDirectoryState
{
    [Id(0)] public HashSet<string> RegionDays { get; set; } = [];
    [Id(1)] public HashSet<string> Products { get; set; } = [];
}

[GrainType("sp.gold.directory")]
internal sealed class GoldDirectoryGrain(
    [PersistentState("directory", Hosting.StorageNames.Pipeline)] IPersistentState<GoldDirectoryState> state) : Grain, IGoldDirectoryGrain
{
    public Task RegisterRegionDayAsync(string key) =>
        state.State.RegionDays.Add(key) ? state.WriteStateAsync() : Task.CompletedTask;

    public Task RegisterProductAsync(string productId) =>
        state.State.Products.Add(productId) ? state.WriteStateAsync() : Task.CompletedTask;

    public Task<string[]> GetRegionDaysAsync() => Task.FromResult(state.State.RegionDays.ToArray());

    public Task<string[]> GetProductsAsync() => Task.FromResult(state.State.Products.ToArray());
}
