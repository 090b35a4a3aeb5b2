using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Generator;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// Generated csv and parquet order-line exports with dirty rows of every kind, read by a mapped source with
/// declared expectations on a TestCluster: Gold, counters and quarantine against <see cref="LineReferenceModel"/>.
/// </summary>
public sealed class LineSourceEndToEndTests
{
    private const string TimeZone = "America/New_York";

    /// <summary>The rules of these tests, as configured and as the reference model's C# predicates.</summary>
    private static readonly (string Name, string Condition, string Action, Func<LineReferenceModel.Line, bool> Passes)[] Rules =
    [
        ("nonzero_quantity", "quantity <> 0", "drop", l => l.Quantity != 0),
        ("price_not_negative", "unit_price >= 0", "quarantine", l => l.UnitPrice >= 0),
        ("has_customer", "customer_id IS NOT NULL", "warn", l => l.CustomerId is not null),
        ("no_adjustments", "product_id NOT IN ('B', 'POST')", "drop", l => l.ProductId is not ("B" or "POST")),
        ("no_free_lines", "unit_price <> 0", "drop", l => l.UnitPrice != 0),
        ("sane_amount", "quantity * unit_price > -100000 AND line_amount < 100000", "quarantine", l => l.Quantity * l.UnitPrice > -100000 && l.Amount < 100000),
    ];

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task LineSource_GeneratedDirtyExports_GoldCountersAndQuarantineMatchRecomputation(string format)
    {
        using var temp = new TempFolder();
        var landing = Path.Combine(temp.Path, "landing");
        var summary = new OrderGenerator(new GeneratorOptions(1500, landing, DirtyRate: 0.08, Seed: 7, Files: 4,
            Format: format == "csv" ? GeneratorFormat.Csv : GeneratorFormat.Parquet)).Write();
        Assert.True(summary.Files.Count >= 4);

        var expected = await LineReferenceModel.FromFolderAsync(landing, format, LineExportGenerator.Mapping, LineExportGenerator.TimestampFormat, TimeZone,
            [.. Rules.Select(r => new LineReferenceModel.Rule(r.Name, r.Action, r.Passes))]);
        Assert.True(expected.Dropped > 0 && expected.Quarantined > 0 && expected.Warnings > 0,
            $"the data set exercises every action: dropped {expected.Dropped}, quarantined {expected.Quarantined}, warnings {expected.Warnings}, read {expected.Read}");

        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(temp.Path, "data"), landing, Settings(format, landing));
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));

        var source = Assert.Single(status.Sources);
        Assert.Equal(expected.Read, source.RecordsRead);
        Assert.Equal(expected.Applied, source.Applied);
        Assert.Equal(expected.Dropped, source.Dropped);
        Assert.Equal(expected.Quarantined, source.Quarantined);
        Assert.Equal(0, source.Duplicates + source.Stale + source.InFlight);
        Assert.True(source.Balanced);
        Assert.Equal(expected.NewColumns, source.NewColumns);
        Assert.Equal(
            Rules.Select(r => (r.Name, r.Action, expected.RuleCounts[r.Name].Evaluated, expected.RuleCounts[r.Name].Evaluated - expected.RuleCounts[r.Name].Failed, expected.RuleCounts[r.Name].Failed)),
            source.Rules.Select(r => (r.Name, r.Action, r.Evaluated, r.Passed, r.Failed)));

        var quarantine = await cluster.Query.GetQuarantineAsync("test", int.MaxValue);
        Assert.Equal(expected.Quarantined, quarantine.Length);
        Assert.Equal(expected.QuarantinedByRule.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            quarantine.Where(q => q.Rule is not null).GroupBy(q => q.Rule!).Select(g => KeyValuePair.Create(g.Key, (long)g.Count())).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.All(quarantine, q => Assert.False(string.IsNullOrEmpty(q.Raw)));

        await AssertGoldAsync(cluster.Query, expected);
    }

    internal static Dictionary<string, string?> Settings(string format, string landing, IEnumerable<(string Name, string Condition, string Action)>? rules = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SalesPipeline:Sources:test:Path"] = landing,
            ["SalesPipeline:Sources:test:Format"] = format,
            ["SalesPipeline:Sources:test:TimestampFormat"] = LineExportGenerator.TimestampFormat,
            ["SalesPipeline:Sources:test:TimeZone"] = TimeZone,
            ["SalesPipeline:ChunkLines"] = "300",
        };
        foreach (var (field, column) in LineExportGenerator.Mapping)
        {
            settings[$"SalesPipeline:Sources:test:Columns:{field}"] = column;
        }

        var i = 0;
        foreach (var (name, condition, action) in rules ?? Rules.Select(r => (r.Name, r.Condition, r.Action)))
        {
            settings[$"SalesPipeline:Sources:test:Expectations:{i}:Name"] = name;
            settings[$"SalesPipeline:Sources:test:Expectations:{i}:Condition"] = condition;
            settings[$"SalesPipeline:Sources:test:Expectations:{i}:Action"] = action;
            i++;
        }

        return settings;
    }

    internal static async Task AssertGoldAsync(IGoldQueryGrain query, LineReferenceModel expected)
    {
        var regionDays = await query.GetRegionSalesAsync(null, null, byDay: true);
        var expectedDays = expected.RegionDays();
        Assert.Equal(expectedDays.Count, regionDays.Length);
        foreach (var row in regionDays)
        {
            Assert.True(expectedDays.TryGetValue((row.Region, row.OrderDate!.Value), out var e), $"unexpected row {row}");
            Assert.Equal(e, (row.Orders, row.Units, row.Sales));
        }

        var products = await query.GetTopProductsAsync(null);
        var expectedProducts = expected.Products();
        Assert.Equal(expectedProducts.Count, products.Length);
        foreach (var row in products)
        {
            Assert.Equal(expectedProducts[row.ProductId], (row.Orders, row.Units, row.Sales));
        }

        var customers = await query.GetTopCustomersAsync(null);
        var expectedCustomers = expected.Customers();
        Assert.Equal(expectedCustomers.Count, customers.Length);
        foreach (var row in customers)
        {
            Assert.Equal(expectedCustomers[row.CustomerId], (row.Region, row.Orders, row.Sales, row.FirstOrderTime, row.LastOrderTime));
        }
    }
}

/// <summary>A temporary folder removed at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sp-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
