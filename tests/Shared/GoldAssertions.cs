using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;
using Xunit;

namespace SalesPipeline.Tests.Shared;

/// <summary>Compares every live Gold figure with the independent recomputation, exactly.</summary>
public static class GoldAssertions
{
    public static async Task AssertGoldEqualsAsync(IGoldQueryGrain query, ReferenceModel expected)
    {
        var regionDays = await query.GetRegionSalesAsync(null, null, byDay: true);
        var expectedDays = expected.RegionDays();
        Assert.Equal(expectedDays.Count, regionDays.Length);
        foreach (var row in regionDays)
        {
            Assert.True(expectedDays.TryGetValue((row.Region, row.OrderDate!.Value), out var e), $"unexpected row {row}");
            Assert.Equal(e, (row.Orders, row.Units, row.Sales));
        }

        var regions = await query.GetRegionSalesAsync(null, null, byDay: false);
        var expectedRegions = expectedDays.GroupBy(kv => kv.Key.Region)
            .ToDictionary(g => g.Key, g => (g.Sum(kv => kv.Value.Orders), g.Sum(kv => kv.Value.Units), g.Sum(kv => kv.Value.Sales)));
        Assert.Equal(expectedRegions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)),
            regions.Select(r => (r.Region, (r.Orders, r.Units, r.Sales))));

        var products = await query.GetTopProductsAsync(null);
        var expectedProducts = expected.Products();
        Assert.Equal(expectedProducts.Count, products.Length);
        foreach (var row in products)
        {
            Assert.Equal(expectedProducts[row.ProductId], (row.ProductName, row.Orders, row.Units, row.Sales));
        }

        Assert.Equal(products.OrderByDescending(p => p.Sales).ThenBy(p => p.ProductId, StringComparer.Ordinal), products);

        var customers = await query.GetTopCustomersAsync(null);
        var expectedCustomers = expected.Customers();
        Assert.Equal(expectedCustomers.Count, customers.Length);
        foreach (var row in customers)
        {
            Assert.Equal(expectedCustomers[row.CustomerId], (row.Region, row.Orders, row.Sales, row.FirstOrderTime, row.LastOrderTime));
        }

        var top = await query.GetTopCustomersAsync(5);
        Assert.Equal(customers.Take(5), top);
    }

    public static void AssertCountsBalance(PipelineStatus status, ReferenceModel expected)
    {
        var source = Assert.Single(status.Sources);
        Assert.Equal(expected.Lines, source.RecordsRead);
        Assert.Equal(expected.Bad, source.Quarantined);
        Assert.Equal(expected.Duplicates, source.Duplicates);
        Assert.Equal(expected.Stale, source.Stale);
        Assert.Equal(expected.Applied, source.Applied);
        Assert.Equal(expected.MissingCustomer, source.Warnings);
        Assert.Equal(expected.Dropped, source.Dropped);
        Assert.Equal(source.RecordsRead, source.Applied + source.Duplicates + source.Stale + source.Quarantined + source.Dropped);
        Assert.True(source.Balanced);
        Assert.Equal(expected.Lines, status.BronzeRecords);
        Assert.Equal(expected.RegionDays().Count, status.RegionDayKeys);
        Assert.Equal(expected.Products().Count, status.Products);
        Assert.Equal(expected.Customers().Count, status.Customers);
        Assert.Equal(0, source.InFlight);
    }
}
