using SalesPipeline.Abstractions.Model;
using SalesPipeline.Generator;
using SalesPipeline.Grains.Snapshots;
using SalesPipeline.Tests.Shared;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary>Gold computed by the independent reference model from generated files, as a committed cut.</summary>
internal static class SyntheticGold
{
    public static ReferenceModel Generate(string folder, int orders, int seed, int files = 2)
    {
        new OrderGenerator(new GeneratorOptions(orders, folder, DirtyRate: 0.05, Seed: seed, Files: files)).Write();
        return ReferenceModel.FromFolder(folder);
    }

    public static CommittedGold From(ReferenceModel model, long epoch) => new(
        epoch,
        new Dictionary<string, string> { ["epoch"] = "{}" },
        [.. model.RegionDays().Select(kv => new RegionSales(kv.Key.Region, kv.Key.Date, kv.Value.Orders, kv.Value.Units, kv.Value.Sales))],
        [.. model.Products().Select(kv => new ProductSales(kv.Key, kv.Value.Name, kv.Value.Orders, kv.Value.Units, kv.Value.Sales))],
        [.. model.Customers().Select(kv => new CustomerMetrics(kv.Key, kv.Value.Region, kv.Value.Orders, kv.Value.Sales, kv.Value.First, kv.Value.Last))]);

    public static GoldRows Rows(CommittedGold gold) => GoldRows.Of(gold.Regions, gold.Products, gold.Customers);

    public static IReadOnlyList<ISnapshotTableWriter> Writers(string root, int customerBuckets = 64) =>
    [
        new SnapshotTableWriter<RegionSales>(new RegionTable(), Path.Combine(root, "gold/sales_by_region"), new Delta.DeltaTableOptions()),
        new SnapshotTableWriter<ProductSales>(new ProductTable(), Path.Combine(root, "gold/product_performance"), new Delta.DeltaTableOptions()),
        new SnapshotTableWriter<CustomerMetrics>(new CustomerTable(customerBuckets), Path.Combine(root, "gold/customer_metrics"), new Delta.DeltaTableOptions()),
    ];

    public static async Task<SnapshotTableResult[]> WriteAsync(IReadOnlyList<ISnapshotTableWriter> writers, CommittedGold gold)
    {
        var info = new Dictionary<string, string> { ["salesPipeline.epoch"] = gold.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<SnapshotTableResult>();
        foreach (var writer in writers)
        {
            results.Add(await writer.WriteAsync(gold, DateTimeOffset.UtcNow, info, CancellationToken.None));
        }

        return [.. results];
    }
}
