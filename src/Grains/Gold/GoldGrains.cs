using System.Runtime.InteropServices;
using MemoryPack;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Gold;

/// <summary>
/// A shard of Gold: the sales_by_region rows (keyed "{region}|{yyyy-MM-dd}") and product_performance rows
/// (keyed by product_id) whose key hashes to it, live. Each row is its own row in the store.
/// </summary>
internal interface IGoldShardGrain : IGrainWithIntegerKey
{
    /// <summary>Adds differences to the shard's rows (a product keeps its newest non-empty name).</summary>
    Task ApplyAsync(GoldDelta delta);

    /// <summary>Every region-day row of the shard with its figures.</summary>
    Task<RegionDayFigures[]> GetRegionDaysAsync();

    /// <summary>Every product row of the shard.</summary>
    Task<ProductSales[]> GetProductsAsync();

    /// <summary>How many region-day and product rows of the shard are live (some order contributes to them).</summary>
    Task<GoldRowCounts> CountAsync();
}

/// <summary>Live rows of a Gold shard: those some order contributes to (a row whose orders went back to zero is no row).</summary>
[GenerateSerializer, Immutable, Alias("sp.GoldRowCounts")]
internal readonly record struct GoldRowCounts([property: Id(0)] int RegionDays, [property: Id(1)] int Products);

/// <summary>Differences for the rows of one shard, each key once (lists sized by the batch, not dictionaries: a twentieth of a csv run's allocations).</summary>
[GenerateSerializer, Immutable, Alias("sp.GoldDelta")]
internal sealed record GoldDelta(
    [property: Id(0)] List<RegionDayFigures> RegionDays,
    [property: Id(1)] List<ProductChange> Products);

/// <summary>A change to one product row.</summary>
[GenerateSerializer, Immutable, Alias("sp.ProductChange")]
internal readonly record struct ProductChange([property: Id(0)] string ProductId, [property: Id(1)] ProductDelta Delta);

[GenerateSerializer, Immutable, Alias("sp.RegionDayFigures")]
internal readonly record struct RegionDayFigures([property: Id(0)] string Key, [property: Id(1)] GoldFigures Figures);

[MemoryPackable]
[GenerateSerializer, Alias("sp.RegionDayState")]
internal sealed partial class RegionDayState
{
    [Id(0)] public GoldFigures Figures { get; set; }
}

[MemoryPackable]
[GenerateSerializer, Alias("sp.ProductState")]
internal sealed partial class ProductState
{
    [Id(0)] public GoldFigures Figures { get; set; }
    [Id(1)] public string? Name { get; set; }
    [Id(2)] public DateTimeOffset NameAsOf { get; set; }
}

/// <summary>
/// Gold in shards: a partition's batch costs one call per shard instead of one per region-day and per
/// product (hundreds per batch, measured as a tenth of the pipeline's CPU), and a query asks eight grains.
/// The rows stay individual in the store (the same keys as before), so the snapshot and export readers
/// see one row per Gold key.
/// </summary>
[GrainType("sp.gold.shard")]
internal sealed class GoldShardGrain(EpochRowStore storage) : Grain, IGoldShardGrain
{
    /// <summary>Fixed: a key's shard must never move, whatever the configuration.</summary>
    public const int Shards = 8;

    /// <summary>Rows by id, with their store key (made once per row rather than at every staging).</summary>
    private readonly Dictionary<string, (RegionDayState Row, string Key)> regionDays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ProductState Row, string Key)> products = new(StringComparer.Ordinal);
    private RowStaging staging = null!;

    public static int ShardOf(string key) => (int)(KeyHash.Of(key) % Shards);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // One pass over the keys for both tables: the key set can hold every order and customer of the store.
        var shard = (int)this.GetPrimaryKeyLong();
        staging = storage.StagingFor("gold-shard/" + shard);
        foreach (var key in await staging.KeysAsync(StateKeys.GoldPrefix))
        {
            if (key.StartsWith(StateKeys.RegionDayPrefix, StringComparison.Ordinal))
            {
                var id = key[StateKeys.RegionDayPrefix.Length..];
                if (ShardOf(id) == shard && await staging.ReadAsync<RegionDayState>(key) is { } row)
                {
                    regionDays[id] = (row, key);
                }
            }
            else if (key.StartsWith(StateKeys.ProductPrefix, StringComparison.Ordinal))
            {
                var id = key[StateKeys.ProductPrefix.Length..];
                if (ShardOf(id) == shard && await staging.ReadAsync<ProductState>(key) is { } row)
                {
                    products[id] = (row, key);
                }
            }
        }
    }

    public Task ApplyAsync(GoldDelta delta)
    {
        foreach (var (key, figures) in delta.RegionDays)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(regionDays, key, out var exists);
            if (!exists)
            {
                entry = (new RegionDayState(), StateKeys.RegionDayPrefix + key);
            }

            entry.Row.Figures += figures;
            staging.Stage(entry.Key, entry.Row);
        }

        foreach (var (productId, change) in delta.Products)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(products, productId, out var exists);
            if (!exists)
            {
                entry = (new ProductState(), StateKeys.ProductPrefix + productId);
            }

            var row = entry.Row;
            row.Figures += change.Figures;
            if (change.Name is not null && (row.Name is null || change.NameAsOf >= row.NameAsOf))
            {
                row.Name = change.Name;
                row.NameAsOf = change.NameAsOf;
            }

            staging.Stage(entry.Key, row);
        }

        return Task.CompletedTask;
    }

    public Task<GoldRowCounts> CountAsync()
    {
        int regionDayRows = 0, productRows = 0;
        foreach (var (row, _) in regionDays.Values)
        {
            regionDayRows += row.Figures.IsLive ? 1 : 0;
        }

        foreach (var (row, _) in products.Values)
        {
            productRows += row.Figures.IsLive ? 1 : 0;
        }

        return Task.FromResult(new GoldRowCounts(regionDayRows, productRows));
    }

    public Task<RegionDayFigures[]> GetRegionDaysAsync() =>
        Task.FromResult(regionDays.Select(kv => new RegionDayFigures(kv.Key, kv.Value.Row.Figures)).ToArray());

    public Task<ProductSales[]> GetProductsAsync() =>
        Task.FromResult(products.Select(kv => new ProductSales(kv.Key, kv.Value.Row.Name, kv.Value.Row.Figures.Orders, kv.Value.Row.Figures.Units, kv.Value.Row.Figures.Sales)).ToArray());
}
