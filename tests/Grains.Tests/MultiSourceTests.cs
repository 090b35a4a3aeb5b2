using SalesPipeline.Abstractions.Model;
using SalesPipeline.Generator;
using SalesPipeline.Tests.Shared;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>Several sources at once, each with its own landing folder and format, feeding one Gold.</summary>
public sealed class MultiSourceTests
{
    [Fact]
    public async Task Sources_JsonlAndCsvAtOnce_EachBalancesAndGoldIsTheSumOfTheRecomputations()
    {
        using var temp = new TempFolder();
        var events = Path.Combine(temp.Path, "events");
        var csv = Path.Combine(temp.Path, "csv");
        new OrderGenerator(new GeneratorOptions(800, events, DirtyRate: 0.08, Seed: 3, Files: 2)).Write();
        new OrderGenerator(new GeneratorOptions(600, csv, DirtyRate: 0.08, Seed: 4, Files: 2, Format: GeneratorFormat.Csv)).Write();

        var fromEvents = ReferenceModel.FromFolder(events);
        var fromCsv = await LineReferenceModel.FromFolderAsync(csv, "csv", LineExportGenerator.Mapping, LineExportGenerator.TimestampFormat, LineSourceChecks.TimeZone, LineSourceChecks.ReferenceRules);

        var settings = new Dictionary<string, string?>(LineSourceChecks.GeneratedExportSettings("csv", csv, "shop"))
        {
            ["SalesPipeline:Sources:web:Path"] = events,
        };
        await using var cluster = await PipelineCluster.StartAsync(Path.Combine(temp.Path, "data"), settings);
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(["shop", "web"], status.Sources.Select(s => s.Name).Order(StringComparer.Ordinal));
        var web = status.Sources.Single(s => s.Name == "web");
        var shop = status.Sources.Single(s => s.Name == "shop");
        Assert.Equal(("jsonl", fromEvents.Lines, fromEvents.Applied, fromEvents.Duplicates, fromEvents.Stale, fromEvents.Bad),
            (web.Format, web.RecordsRead, web.Applied, web.Duplicates, web.Stale, web.Quarantined));
        Assert.Empty(web.Rules);
        LineSourceChecks.AssertCounters(shop, fromCsv);
        Assert.True(web.Balanced && shop.Balanced);
        Assert.Equal(fromEvents.Bad, (await cluster.Query.GetQuarantineAsync("web", 100_000)).Length);
        Assert.Equal(fromCsv.Quarantined, (await cluster.Query.GetQuarantineAsync("shop", 100_000)).Length);

        // One Gold: region-days add up across the sources; products and customers come from one source each.
        var expectedDays = fromEvents.RegionDays().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (key, (orders, units, sales)) in fromCsv.RegionDays())
        {
            var known = expectedDays.GetValueOrDefault(key);
            expectedDays[key] = (known.Orders + orders, known.Units + units, known.Sales + sales);
        }

        var days = await cluster.Query.GetRegionSalesAsync(null, null, byDay: true);
        Assert.Equal(expectedDays.OrderBy(kv => kv.Key.Region, StringComparer.Ordinal).ThenBy(kv => kv.Key.Date).Select(kv => (kv.Key.Region, kv.Key.Date, kv.Value.Orders, kv.Value.Units, kv.Value.Sales)),
            days.Select(d => (d.Region, d.OrderDate!.Value, d.Orders, d.Units, d.Sales)));

        var expectedProducts = fromEvents.Products().Select(kv => (kv.Key, kv.Value.Orders, kv.Value.Units, kv.Value.Sales))
            .Concat(fromCsv.Products().Select(kv => (kv.Key, kv.Value.Orders, kv.Value.Units, kv.Value.Sales)))
            .OrderBy(p => p.Key, StringComparer.Ordinal);
        Assert.Equal(expectedProducts, (await cluster.Query.GetTopProductsAsync(null)).Select(p => (p.ProductId, p.Orders, p.Units, p.Sales)).OrderBy(p => p.ProductId, StringComparer.Ordinal));

        var expectedCustomers = fromEvents.Customers().Select(kv => (kv.Key, kv.Value.Orders, kv.Value.Sales))
            .Concat(fromCsv.Customers().Select(kv => (kv.Key, kv.Value.Orders, kv.Value.Sales)))
            .OrderBy(c => c.Key, StringComparer.Ordinal);
        Assert.Equal(expectedCustomers, (await cluster.Query.GetTopCustomersAsync(null)).Select(c => (c.CustomerId, c.Orders, c.Sales)).OrderBy(c => c.CustomerId, StringComparer.Ordinal));
    }
}
