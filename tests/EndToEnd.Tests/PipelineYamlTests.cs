using Xunit;

namespace SalesPipeline.EndToEnd.Tests;

/// <summary>
/// pipeline.yaml in the silo's working directory: its sources, column mapping and expectations are bound, it
/// overrides appsettings.json and the command line overrides it. Run as a silo process, the way users deploy it.
/// </summary>
public sealed class PipelineYamlTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-yaml-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task SiloProcess_PipelineYaml_SourcesMappingAndRulesBound_OverridesJson_CommandLineOverridesIt()
    {
        var landing = Path.Combine(root, "landing");
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(landing);
        Directory.CreateDirectory(data);

        // appsettings.json says quarantine; pipeline.yaml, read after it, says drop.
        await File.WriteAllTextAsync(Path.Combine(data, "appsettings.json"), """
            { "SalesPipeline": { "Sources": { "shop": { "Expectations": [ { "Name": "positive_quantity", "Condition": "quantity > 0", "Action": "quarantine" } ] } } } }
            """);

        // The path is wrong and sane_price quarantines: the command line fixes the one and turns the other into a warning.
        await File.WriteAllTextAsync(Path.Combine(data, "pipeline.yaml"), """
            SalesPipeline:
              Sources:
                shop:
                  Path: /nonexistent/landing
                  Format: csv
                  TimestampFormat: "dd.MM.yyyy HH:mm"
                  TimeZone: Europe/Berlin
                  Columns:
                    order_id: Invoice
                    product_id: Sku
                    quantity: Qty
                    unit_price: Price
                    order_time: When
                    customer_id: Customer
                    region: Area
                  Expectations:
                    - Name: positive_quantity
                      Condition: quantity > 0
                      Action: drop
                    - Name: sane_price
                      Condition: unit_price < 1000
                      Action: quarantine
              Expectations:
                - Name: has_customer
                  Condition: customer_id IS NOT NULL
                  Action: warn
            """);
        await File.WriteAllTextAsync(Path.Combine(landing, "export.csv"), """
            Invoice,Sku,Qty,Price,When,Customer,Area
            Y1,P1,2,10.00,01.03.2026 00:30,C1,EMEA
            Y1,P2,-1,10.00,01.03.2026 00:30,C1,EMEA
            Y2,P3,1,2500.00,01.03.2026 14:00,,NA

            """);

        await using var silo = SiloProcess.StartWith(data, Build.FreePort(),
            $"--SalesPipeline:Sources:shop:Path={landing}",
            "--SalesPipeline:Sources:shop:Expectations:1:Action=warn");
        await using var client = await SdkClient.ConnectAsync(silo.Gateway, TimeSpan.FromMinutes(1));
        var status = await client.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        // Only the YAML's source, at the command line's path; global rules first, then the source's.
        var source = Assert.Single(status.Sources);
        Assert.Equal(("shop", landing, "csv"), (source.Name, source.Path, source.Format));
        Assert.Equal(
            [("has_customer", "warn", 3L, 1L), ("positive_quantity", "drop", 3L, 1L), ("sane_price", "warn", 3L, 1L)],
            source.Rules.Select(r => (r.Name, r.Action, r.Evaluated, r.Failed)));

        // Y1's return line is dropped (YAML's drop, not the JSON's quarantine); Y2 is kept (warn, not quarantine)
        // and has no customer (one built-in warning).
        Assert.Equal((3L, 2L, 1L, 0L, 1L), (source.RecordsRead, source.Applied, source.Dropped, source.Quarantined, source.Warnings));

        // The mapping and the time format are bound: 01.03.2026 00:30 in Berlin (UTC+1) is 2026-02-28T23:30Z, and its
        // order date is the local date.
        var regions = await client.Client.GetRegionSalesAsync(byDay: true);
        Assert.Equal(
            [("EMEA", new DateOnly(2026, 3, 1), 1L, 2L, 20.00m), ("NA", new DateOnly(2026, 3, 1), 1L, 1L, 2500.00m)],
            regions.Select(r => (r.Region, r.OrderDate!.Value, r.Orders, r.Units, r.Sales)).OrderBy(r => r.Region, StringComparer.Ordinal));
        var customer = Assert.Single(await client.Client.GetTopCustomersAsync(10));
        Assert.Equal(("C1", 20.00m, new DateTimeOffset(2026, 2, 28, 23, 30, 0, TimeSpan.Zero)), (customer.CustomerId, customer.Sales, customer.FirstOrderTime));
        await silo.StopAsync();
    }

    [Fact]
    public async Task SiloProcess_BadRuleInPipelineYaml_ExitsAtStartNamingTheRule()
    {
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "pipeline.yaml"), """
            SalesPipeline:
              Expectations:
                - Name: known_region
                  Condition: regoin IN ('EMEA', 'NA')
                  Action: quarantine
            """);

        await using var silo = SiloProcess.StartWith(data, Build.FreePort(), $"--SalesPipeline:Sources:events:Path={Path.Combine(root, "landing")}");
        var (exitCode, output) = await silo.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SalesPipeline:Sources:events:Expectations: expectation 'known_region': unknown field 'regoin'", output, StringComparison.Ordinal);
    }
}
