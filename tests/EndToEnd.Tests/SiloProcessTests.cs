using System.Text.Json;
using SalesPipeline.Tests.Shared;
using Xunit;

namespace SalesPipeline.EndToEnd.Tests;

/// <summary>The silo and the CLI as separate processes on loopback, the way users run them.</summary>
public sealed class SiloProcessTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-proc-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private async Task<string> GenerateAsync(int orders, int seed, int files)
    {
        var landing = Path.Combine(root, "landing");
        var (exit, output, error) = await Build.RunCliAsync("generate", "--orders", orders.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", landing, "--dirty", "0.08", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--files", files.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, output + error);
        return landing;
    }

    [Fact]
    public async Task SiloProcess_KilledWithSigkillMidIngestion_RestartLosesAndDoublesNothing()
    {
        var landing = await GenerateAsync(40_000, seed: 3, files: 6);
        var expected = ReferenceModel.FromFolder(landing);
        var data = Path.Combine(root, "data");
        var port = Build.FreePort();
        var slow = new[] { "--SalesPipeline:ChunkLines=500", "--SalesPipeline:MaxChunksInFlight=1" };

        long readAtKill;
        await using (var silo = SiloProcess.Start(data, landing, port, slow))
        {
            await using var client = await SdkClient.ConnectAsync(silo.Gateway, TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            PipelineStatusProbe probe;
            do
            {
                await Task.Delay(100);
                var status = await client.Client.GetStatusAsync();
                probe = new PipelineStatusProbe(status.Sources[0].RecordsRead, status.CommittedEpoch);
            }
            while ((probe.Read < 8000 || probe.Epoch < 2) && DateTime.UtcNow < deadline);

            readAtKill = probe.Read;
            await silo.KillAsync();
            Assert.True(silo.HasExited);
        }

        Assert.True(readAtKill < expected.Lines, $"the kill must land mid-ingestion (read {readAtKill} of {expected.Lines})");

        await using var restarted = SiloProcess.Start(data, landing, port);
        await using var after = await SdkClient.ConnectAsync(restarted.Gateway, TimeSpan.FromMinutes(1));
        var final = await after.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));

        GoldAssertions.AssertCountsBalance(final, expected);
        await GoldAssertions.AssertGoldEqualsAsync(after.Query, expected);
        Assert.Equal(expected.Bad, (await after.Client.GetQuarantineAsync(null, 100_000)).Count);
        await restarted.StopAsync();
    }

    [Fact]
    public async Task SiloProcess_SigtermMidIngestion_DrainsCommitsAndExits_RestartIsExact()
    {
        var landing = await GenerateAsync(40_000, seed: 8, files: 4);
        var expected = ReferenceModel.FromFolder(landing);
        var data = Path.Combine(root, "data");
        var port = Build.FreePort();

        await using (var silo = SiloProcess.Start(data, landing, port))
        {
            await using var client = await SdkClient.ConnectAsync(silo.Gateway, TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while ((await client.Client.GetStatusAsync()).Sources[0].RecordsRead < 10_000 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var status = await client.Client.GetStatusAsync();
            Assert.False(status.CaughtUp, "the stop must land mid-ingestion");
            await silo.StopAsync(); // throws when the process has not exited within a minute
            Assert.True(silo.HasExited);
        }

        await using var restarted = SiloProcess.Start(data, landing, port);
        await using var after = await SdkClient.ConnectAsync(restarted.Gateway, TimeSpan.FromMinutes(1));
        var final = await after.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));
        GoldAssertions.AssertCountsBalance(final, expected);
        await GoldAssertions.AssertGoldEqualsAsync(after.Query, expected);
        await restarted.StopAsync();
    }

    [Fact]
    public async Task Cli_AgainstSiloProcess_ReturnsTheSameFiguresAsTheSdk()
    {
        var landing = await GenerateAsync(1500, seed: 21, files: 3);
        var expected = ReferenceModel.FromFolder(landing);
        await using var silo = SiloProcess.Start(Path.Combine(root, "data"), landing, Build.FreePort());
        await using var sdk = await SdkClient.ConnectAsync(silo.Gateway, TimeSpan.FromMinutes(1));
        await sdk.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));
        await GoldAssertions.AssertGoldEqualsAsync(sdk.Query, expected);

        var regions = await CliJsonAsync(silo, "query", "regions", "--from", "2026-02-01", "--to", "2026-02-28");
        var sdkRegions = await sdk.Client.GetRegionSalesAsync(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28));
        Assert.Equal(sdkRegions.Select(r => (r.Region, r.Orders, r.Units, r.Sales)),
            regions.EnumerateArray().Select(e => (e.GetProperty("region").GetString()!, e.GetProperty("orders").GetInt64(), e.GetProperty("units").GetInt64(), e.GetProperty("sales").GetDecimal())));

        var byDay = await CliJsonAsync(silo, "query", "regions", "--by-day");
        var sdkByDay = await sdk.Client.GetRegionSalesAsync(byDay: true);
        Assert.Equal(sdkByDay.Select(r => (r.Region, r.OrderDate!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Sales)),
            byDay.EnumerateArray().Select(e => (e.GetProperty("region").GetString()!, e.GetProperty("order_date").GetString()!, e.GetProperty("sales").GetDecimal())));

        var products = await CliJsonAsync(silo, "query", "products", "--top", "7");
        var sdkProducts = await sdk.Client.GetTopProductsAsync(7);
        Assert.Equal(sdkProducts.Select(p => (p.ProductId, p.ProductName, p.Orders, p.Units, p.Sales)),
            products.EnumerateArray().Select(e => (e.GetProperty("product_id").GetString()!, e.GetProperty("product_name").GetString(), e.GetProperty("orders").GetInt64(), e.GetProperty("units").GetInt64(), e.GetProperty("sales").GetDecimal())));

        var customers = await CliJsonAsync(silo, "query", "customers", "--top", "5");
        var sdkCustomers = await sdk.Client.GetTopCustomersAsync(5);
        Assert.Equal(sdkCustomers.Select(c => (c.CustomerId, c.Sales, c.FirstOrderTime)),
            customers.EnumerateArray().Select(e => (e.GetProperty("customer_id").GetString()!, e.GetProperty("sales").GetDecimal(), e.GetProperty("first_order_time").GetDateTimeOffset())));

        var one = await CliJsonAsync(silo, "query", "customer", sdkCustomers[0].CustomerId);
        Assert.Equal(sdkCustomers[0].Orders, one.GetProperty("orders").GetInt64());

        var orderId = expected.Current.Keys.First();
        var order = await CliJsonAsync(silo, "query", "order", orderId);
        Assert.Equal(expected.Current[orderId].EventId, order.GetProperty("current").GetProperty("event_id").GetString());
        Assert.NotEmpty(order.GetProperty("bronze").EnumerateArray());

        var status = await CliJsonAsync(silo, "status");
        Assert.True(status.GetProperty("caughtUp").GetBoolean());
        Assert.Equal(expected.Lines, status.GetProperty("sources")[0].GetProperty("recordsRead").GetInt64());

        // Quarantine: the CLI lists what the SDK lists, filtered by source, and shows one record's raw text as received.
        var quarantined = await CliJsonAsync(silo, "quarantine", "list", "--source", "gen", "--limit", "100000");
        var sdkQuarantine = await sdk.Query.GetQuarantineAsync("gen", 100_000);
        Assert.Equal(expected.Bad, quarantined.GetArrayLength());
        Assert.Equal(sdkQuarantine.Select(q => (q.Id, q.Origin.File, q.Origin.Line, q.Reason, q.Raw)),
            quarantined.EnumerateArray().Select(e => (e.GetProperty("id").GetInt64(), e.GetProperty("file").GetString()!, e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString()!, e.GetProperty("raw").GetString()!)));
        Assert.Equal(0, (await CliJsonAsync(silo, "quarantine", "list", "--source", "no-such-source")).GetArrayLength());
        var shown = await Build.RunCliAsync("quarantine", "show", sdkQuarantine[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway", silo.Gateway);
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal(sdkQuarantine[0].Raw, shown.Out.TrimEnd('\n'));
        Assert.Contains(sdkQuarantine[0].Reason, shown.Error, StringComparison.Ordinal);
        Assert.True(status.GetProperty("sources")[0].GetProperty("balanced").GetBoolean());

        var (exit, output, error) = await Build.RunCliAsync("query", "order", "no-such-order", "--gateway", silo.Gateway);
        Assert.Equal(1, exit);
        Assert.Equal("error: unknown order 'no-such-order'", error.Trim());
        Assert.Empty(output);

        (exit, _, error) = await Build.RunCliAsync("status", "--gateway", $"127.0.0.1:{Build.FreePort()}");
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: cannot reach a SalesPipeline silo", error, StringComparison.Ordinal);

        var table = await Build.RunCliAsync("query", "regions", "--gateway", silo.Gateway);
        Assert.Equal(0, table.ExitCode);
        Assert.StartsWith("region", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliIngest_PublishesIntoTheSilosLandingFolder_AndItIsApplied()
    {
        var landing = Path.Combine(root, "landing");
        Directory.CreateDirectory(landing);
        await using var silo = SiloProcess.Start(Path.Combine(root, "data"), landing, Build.FreePort());
        await using var sdk = await SdkClient.ConnectAsync(silo.Gateway, TimeSpan.FromMinutes(1));
        await sdk.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        var outside = Path.Combine(root, "outside", "new-orders.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        await File.WriteAllTextAsync(outside, """{"event_id":"e-1","order_id":"o-cli","sequence":1,"order_time":"2026-03-01T10:00:00Z","status":"paid","customer_id":"c-1","region":"NA","currency":"USD","items":[{"product_id":"p-1","quantity":3,"unit_price":2.50}]}""" + "\n");
        var (exit, output, error) = await Build.RunCliAsync("ingest", outside, "--gateway", silo.Gateway);
        Assert.True(exit == 0, output + error);
        Assert.True(File.Exists(Path.Combine(landing, "new-orders.jsonl")));

        await sdk.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));
        var region = Assert.Single(await sdk.Client.GetRegionSalesAsync());
        Assert.Equal(("NA", 1L, 3L, 7.50m), (region.Region, region.Orders, region.Units, region.Sales));

        (exit, _, error) = await Build.RunCliAsync("ingest", outside, "--gateway", silo.Gateway);
        Assert.Equal(1, exit);
        Assert.Contains("already exists", error);
    }

    private static async Task<JsonElement> CliJsonAsync(SiloProcess silo, params string[] args)
    {
        var (exit, output, error) = await Build.RunCliAsync([.. args, "--json", "--gateway", silo.Gateway]);
        Assert.True(exit == 0, $"sales {string.Join(' ', args)} failed ({exit}): {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private readonly record struct PipelineStatusProbe(long Read, long Epoch);
}
