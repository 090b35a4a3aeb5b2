using System.Diagnostics;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Snapshots;
using Xunit;
using Xunit.Abstractions;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary>
/// Snapshot cost for a large Gold state and a small change on top. Runs only with LAKEHOUSE_BENCH_ORDERS set
/// (e.g. 1000000): <c>LAKEHOUSE_BENCH_ORDERS=1000000 dotnet test tests/Lakehouse.Tests --filter SnapshotCost
/// --logger "console;verbosity=detailed"</c>. Gold comes from the reference model over generated files.
/// </summary>
public sealed class SnapshotCostBench(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-lake-bench-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [SkippableFact]
    public async Task SnapshotCost_LargeGoldThenSmallChange_Measured()
    {
        var orders = int.TryParse(Environment.GetEnvironmentVariable("LAKEHOUSE_BENCH_ORDERS"), out var n) ? n : 0;
        Skip.If(orders <= 0, "set LAKEHOUSE_BENCH_ORDERS to run the snapshot cost harness");

        var clock = Stopwatch.StartNew();
        var big = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "big"), orders, seed: 1, files: 4), epoch: 1);
        Directory.Delete(Path.Combine(root, "big"), recursive: true);
        var small = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "small"), 1000, seed: 2, files: 1), epoch: 2);
        var tiny = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "tiny"), 100, seed: 3, files: 1), epoch: 2);
        var ten = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "ten"), 10, seed: 4, files: 1), epoch: 2);
        output.WriteLine($"Gold of {orders:N0} orders: {big.Regions.Count:N0} region-days, {big.Products.Count:N0} products, {big.Customers.Count:N0} customers (prepared in {clock.Elapsed.TotalSeconds:F1} s)");

        var delta = Path.Combine(root, "delta");
        var writers = SyntheticGold.Writers(delta);
        await MeasureAsync("full snapshot (empty tables)", writers, big);
        await MeasureAsync("same Gold again, restarted writer (reads the tables to rebuild its cache)", SyntheticGold.Writers(delta), big with { Epoch = 2 });
        var changed = Merge(big, small) with { Epoch = 3 };
        writers = SyntheticGold.Writers(delta);
        await MeasureAsync("warm-up read of the tables (restarted writer, unchanged Gold)", writers, big with { Epoch = 3 });
        await MeasureAsync("small change: +1,000 orders (warm writer)", writers, changed with { Epoch = 4 });
        changed = Merge(changed, tiny);
        await MeasureAsync("small change: +100 orders (warm writer)", writers, changed with { Epoch = 5 });
        changed = Merge(changed, ten);
        await MeasureAsync("small change: +10 orders (warm writer)", writers, changed with { Epoch = 6 });
    }

    private async Task MeasureAsync(string what, IReadOnlyList<ISnapshotTableWriter> writers, CommittedGold gold)
    {
        var clock = Stopwatch.StartNew();
        var results = await SyntheticGold.WriteAsync(writers, gold);
        output.WriteLine($"{what}: {clock.Elapsed.TotalSeconds:F2} s, {results.Sum(r => r.BytesWritten):N0} bytes, {results.Sum(r => r.RowsWritten):N0} rows, {results.Sum(r => r.FilesAdded)} files");
        foreach (var r in results)
        {
            output.WriteLine($"    {r.Table}: committed {r.Committed}, partitions {r.PartitionsReplaced}, rows {r.RowsWritten:N0}, bytes {r.BytesWritten:N0}");
        }
    }

    /// <summary>Gold after the small data set's orders are added to the big one (new orders; shared customer ids merge).</summary>
    private static CommittedGold Merge(CommittedGold big, CommittedGold small)
    {
        var regions = big.Regions.ToDictionary(r => (r.Region, r.OrderDate));
        foreach (var r in small.Regions)
        {
            regions[(r.Region, r.OrderDate)] = regions.TryGetValue((r.Region, r.OrderDate), out var e)
                ? e with { Orders = e.Orders + r.Orders, Units = e.Units + r.Units, Sales = e.Sales + r.Sales } : r;
        }

        var products = big.Products.ToDictionary(p => p.ProductId);
        foreach (var p in small.Products)
        {
            products[p.ProductId] = products.TryGetValue(p.ProductId, out var e)
                ? e with { Orders = e.Orders + p.Orders, Units = e.Units + p.Units, Sales = e.Sales + p.Sales } : p;
        }

        var customers = big.Customers.ToDictionary(c => c.CustomerId);
        foreach (var c in small.Customers)
        {
            customers[c.CustomerId] = customers.TryGetValue(c.CustomerId, out var e)
                ? new CustomerMetrics(c.CustomerId, c.LastOrderTime >= e.LastOrderTime ? c.Region : e.Region, e.Orders + c.Orders, e.Sales + c.Sales,
                    c.FirstOrderTime < e.FirstOrderTime ? c.FirstOrderTime : e.FirstOrderTime, c.LastOrderTime > e.LastOrderTime ? c.LastOrderTime : e.LastOrderTime)
                : c;
        }

        return big with { Regions = [.. regions.Values], Products = [.. products.Values], Customers = [.. customers.Values] };
    }
}
