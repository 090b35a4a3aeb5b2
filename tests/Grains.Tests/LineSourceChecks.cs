using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Generator;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// The source settings, rules and assertions of the line-source tests, shared by the in-process tests and the
/// silo-process tests (linked into tests/EndToEnd.Tests together with <see cref="LineReferenceModel"/>).
/// </summary>
internal static class LineSourceChecks
{
    /// <summary>Time zone of the generated exports' timestamps in these tests.</summary>
    public const string TimeZone = "America/New_York";

    /// <summary>The rules of the generated-export tests, as configured and as the reference model's C# predicates.</summary>
    public static readonly (string Name, string Condition, string Action, Func<LineReferenceModel.Line, bool> Passes)[] Rules =
    [
        ("nonzero_quantity", "quantity <> 0", "drop", l => l.Quantity != 0),
        ("price_not_negative", "unit_price >= 0", "quarantine", l => l.UnitPrice >= 0),
        ("has_customer", "customer_id IS NOT NULL", "warn", l => l.CustomerId is not null),
        ("no_adjustments", "product_id NOT IN ('B', 'POST')", "drop", l => l.ProductId is not ("B" or "POST")),
        ("no_free_lines", "unit_price <> 0", "drop", l => l.UnitPrice != 0),
        ("sane_amount", "quantity * unit_price > -100000 AND line_amount < 100000", "quarantine", l => l.Quantity * l.UnitPrice > -100000 && l.Amount < 100000),
    ];

    public static IReadOnlyList<LineReferenceModel.Rule> ReferenceRules => [.. Rules.Select(r => new LineReferenceModel.Rule(r.Name, r.Action, r.Passes))];

    /// <summary>Configuration of a source <paramref name="name"/> reading generated exports (<see cref="LineExportGenerator.Mapping"/>) with <see cref="Rules"/>.</summary>
    public static Dictionary<string, string?> GeneratedExportSettings(string format, string landing, string name = "test")
    {
        var prefix = $"SalesPipeline:Sources:{name}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Path"] = landing,
            [prefix + "Format"] = format,
            [prefix + "TimestampFormat"] = LineExportGenerator.TimestampFormat,
            [prefix + "TimeZone"] = TimeZone,
            ["SalesPipeline:ChunkLines"] = "300",
        };
        foreach (var (field, column) in LineExportGenerator.Mapping)
        {
            settings[$"{prefix}Columns:{field}"] = column;
        }

        var i = 0;
        foreach (var (ruleName, condition, action, _) in Rules)
        {
            settings[$"{prefix}Expectations:{i}:Name"] = ruleName;
            settings[$"{prefix}Expectations:{i}:Condition"] = condition;
            settings[$"{prefix}Expectations:{i}:Action"] = action;
            i++;
        }

        return settings;
    }

    /// <summary>Every record counter of a settled source (nothing in flight) against the recomputation.</summary>
    public static void AssertCounters(SourceStatus source, LineReferenceModel expected)
    {
        Assert.Equal(0, source.InFlight);
        Assert.Equal(expected.Read, source.RecordsRead);
        Assert.Equal(expected.Applied, source.Applied);
        Assert.Equal(expected.Dropped, source.Dropped);
        Assert.Equal(expected.Quarantined, source.Quarantined);
        Assert.Equal(expected.Warnings, source.Warnings);
        Assert.Equal(0, source.Duplicates + source.Stale);
        Assert.True(source.Balanced);
        Assert.Equal(expected.NewColumns, source.NewColumns);
    }

    /// <summary>The counters of every rule the recomputation evaluated, and no other rule.</summary>
    public static void AssertRuleCounters(SourceStatus source, LineReferenceModel expected)
    {
        Assert.Equal(
            expected.RuleCounts.Select(r => (r.Key, r.Value.Evaluated, r.Value.Evaluated - r.Value.Failed, r.Value.Failed)).OrderBy(r => r.Key, StringComparer.Ordinal),
            source.Rules.Select(r => (r.Name, r.Evaluated, r.Passed, r.Failed)).OrderBy(r => r.Name, StringComparer.Ordinal));
    }

    /// <summary>Every live Gold row (sales by region and day, products, customers) equals the recomputation, exactly.</summary>
    public static async Task AssertGoldAsync(IGoldQueryGrain query, LineReferenceModel expected)
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

        // Status counts the live rows in the shards (it no longer lists them): the same numbers as the listings.
        var status = await query.GetStatusAsync();
        Assert.Equal((expectedDays.Count, expectedProducts.Count, expectedCustomers.Count), ((int)status.RegionDayKeys, (int)status.Products, (int)status.Customers));
    }
}
