using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Gold;
using SalesPipeline.Grains.Hosting;
using SalesPipeline.Grains.Ingestion;
using SalesPipeline.Grains.Orders;

namespace SalesPipeline.Grains.Query;

/// <summary>Answers queries next to the data: fans out to Gold grains inside the silo and returns one result.</summary>
[GrainType("sp.query")]
[StatelessWorker]
internal sealed class GoldQueryGrain(IngestionCoordinator coordinator, IOptions<PipelineOptions> options) : Grain, IGoldQueryGrain
{
    public async Task<RegionSales[]> GetRegionSalesAsync(DateOnly? from, DateOnly? to, bool byDay)
    {
        var shards = await Task.WhenAll(GoldShards.Select(g => g.GetRegionDaysAsync()));
        var selected = shards
            .SelectMany(s => s)
            .Select(r => (Parsed: Contribution.ParseRegionDayKey(r.Key), r.Figures))
            .Where(k => (from is null || k.Parsed.Date >= from) && (to is null || k.Parsed.Date <= to))
            .ToArray();
        var rows = selected.Select(k => (k.Parsed.Region, k.Parsed.Date, k.Figures)).Where(r => r.Figures.IsLive);
        if (byDay)
        {
            return [.. rows
                .OrderBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.Date)
                .Select(r => new RegionSales(r.Region, r.Date, r.Figures.Orders, r.Figures.Units, r.Figures.Sales))];
        }

        return [.. rows
            .GroupBy(r => r.Region, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RegionSales(g.Key, null, g.Sum(r => r.Figures.Orders), g.Sum(r => r.Figures.Units), g.Sum(r => r.Figures.Sales)))];
    }

    public async Task<ProductSales[]> GetTopProductsAsync(int? top)
    {
        var rows = await Task.WhenAll(GoldShards.Select(g => g.GetProductsAsync()));
        IEnumerable<ProductSales> ranked = rows
            .SelectMany(r => r)
            .Where(r => r.Orders != 0)
            .OrderByDescending(r => r.Sales)
            .ThenBy(r => r.ProductId, StringComparer.Ordinal);
        return [.. top is { } n ? ranked.Take(n) : ranked];
    }

    public async Task<CustomerMetrics[]> GetTopCustomersAsync(int? top)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, CustomerShardGrain.Shards)
            .Select(i => GrainFactory.GetGrain<ICustomerShardGrain>(i).GetTopAsync(top)));
        IEnumerable<CustomerMetrics> ranked = shards
            .SelectMany(s => s)
            .OrderByDescending(r => r.Sales)
            .ThenBy(r => r.CustomerId, StringComparer.Ordinal);
        return [.. top is { } n ? ranked.Take(n) : ranked];
    }

    public Task<CustomerMetrics?> GetCustomerAsync(string customerId) =>
        GrainFactory.GetGrain<ICustomerShardGrain>(CustomerShardGrain.ShardOf(customerId)).GetAsync(customerId);

    public Task<OrderView?> GetOrderAsync(string orderId) =>
        GrainFactory.GetGrain<IOrderPartitionGrain>(
            OrderPartitionGrain.PartitionOf(orderId, options.Value.Partitions).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .GetOrderAsync(orderId);

    public async Task<PipelineStatus> GetStatusAsync()
    {
        var status = await coordinator.GetStatusAsync();

        // Counted by the shards, not listed and sorted here: clients poll status while ingestion runs, and listing
        // every Gold row for it (tens of thousands of products) took CPU from the pipeline at every poll.
        var gold = await Task.WhenAll(GoldShards.Select(g => g.CountAsync()));
        var customers = await Task.WhenAll(Enumerable.Range(0, CustomerShardGrain.Shards)
            .Select(i => GrainFactory.GetGrain<ICustomerShardGrain>(i).CountAsync()));
        return status with { RegionDayKeys = gold.Sum(g => g.RegionDays), Products = gold.Sum(g => g.Products), Customers = customers.Sum() };
    }

    public Task<QuarantinedRecord[]> GetQuarantineAsync(string? source, int limit) =>
        coordinator.ListQuarantineAsync(source, limit);

    private IEnumerable<IGoldShardGrain> GoldShards =>
        Enumerable.Range(0, GoldShardGrain.Shards).Select(i => GrainFactory.GetGrain<IGoldShardGrain>(i));
}
