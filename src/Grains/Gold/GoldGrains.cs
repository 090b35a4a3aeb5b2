using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Gold;

/// <summary>One sales_by_region row, keyed "{region}|{yyyy-MM-dd}".</summary>
internal interface IRegionDayGrain : IGrainWithStringKey
{
    /// <summary>Adds a difference to the row's figures.</summary>
    Task ApplyAsync(GoldFigures delta);

    /// <summary>The row's live figures.</summary>
    Task<GoldFigures> GetAsync();
}

/// <summary>One product_performance row, keyed by product_id.</summary>
internal interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Adds a difference to the figures and keeps the newest non-empty name.</summary>
    Task ApplyAsync(ProductDelta delta);

    /// <summary>The product's live row.</summary>
    Task<ProductSales> GetAsync();
}

[GenerateSerializer, Alias("sp.RegionDayState")]
internal sealed class RegionDayState
{
    [Id(0)] public GoldFigures Figures { get; set; }
    [Id(1)] public bool Registered { get; set; }
}

[GenerateSerializer, Alias("sp.ProductState")]
internal sealed class ProductState
{
    [Id(0)] public GoldFigures Figures { get; set; }
    [Id(1)] public string? Name { get; set; }
    [Id(2)] public DateTimeOffset NameAsOf { get; set; }
    [Id(3)] public bool Registered { get; set; }
}

[GrainType("sp.gold.region-day")]
internal sealed class RegionDayGrain(
    [PersistentState("gold", Hosting.StorageNames.Pipeline)] IPersistentState<RegionDayState> state) : Grain, IRegionDayGrain
{
    public async Task ApplyAsync(GoldFigures delta)
    {
        state.State.Figures += delta;
        if (!state.State.Registered)
        {
            await GrainFactory.GetGrain<IGoldDirectoryGrain>(0).RegisterRegionDayAsync(this.GetPrimaryKeyString());
            state.State.Registered = true;
        }

        await state.WriteStateAsync();
    }

    public Task<GoldFigures> GetAsync() => Task.FromResult(state.State.Figures);
}

[GrainType("sp.gold.product")]
internal sealed class ProductGrain(
    [PersistentState("gold", Hosting.StorageNames.Pipeline)] IPersistentState<ProductState> state) : Grain, IProductGrain
{
    public async Task ApplyAsync(ProductDelta delta)
    {
        state.State.Figures += delta.Figures;
        if (delta.Name is not null && (state.State.Name is null || delta.NameAsOf >= state.State.NameAsOf))
        {
            state.State.Name = delta.Name;
            state.State.NameAsOf = delta.NameAsOf;
        }

        if (!state.State.Registered)
        {
            await GrainFactory.GetGrain<IGoldDirectoryGrain>(0).RegisterProductAsync(this.GetPrimaryKeyString());
            state.State.Registered = true;
        }

        await state.WriteStateAsync();
    }

    public Task<ProductSales> GetAsync()
    {
        var figures = state.State.Figures;
        return Task.FromResult(new ProductSales(this.GetPrimaryKeyString(), state.State.Name, figures.Orders, figures.Units, figures.Sales));
    }
}
