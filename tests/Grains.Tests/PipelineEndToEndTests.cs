using System.Text;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Generator;
using SalesPipeline.Tests.Shared;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>Generated dirty data through a real TestCluster on a real SQLite file, checked against an independent recomputation.</summary>
public sealed class PipelineEndToEndTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-e2e-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Pipeline_DirtyGeneratedEventsWithDeclaredRules_GoldCountersAndRuleCountersMatchRecomputation()
    {
        var landing = Path.Combine(root, "landing-rules");
        new OrderGenerator(new GeneratorOptions(2000, landing, DirtyRate: 0.1, Seed: 5, Files: 3)).Write();
        ReferenceModel.Rule[] rules =
        [
            new("no_big_premium_lines", "drop", (_, i) => i.Quantity != 5 || i.UnitPrice < 200),
            new("amount_cap", "quarantine", (_, i) => i.Amount < 1000),
            new("has_customer", "warn", (e, _) => e.CustomerId is not null),
        ];
        var expected = ReferenceModel.FromFolder(landing, rules: rules);
        Assert.True(expected.Dropped > 0 && expected.RuleCounts["amount_cap"].Failed > 0 && expected.RuleCounts["has_customer"].Failed > 0,
            "the data set must exercise every rule");

        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data-rules"), landing, new Dictionary<string, string?>
        {
            ["SalesPipeline:Expectations:0:Name"] = "no_big_premium_lines",
            ["SalesPipeline:Expectations:0:Condition"] = "quantity <> 5 OR unit_price < 200",
            ["SalesPipeline:Expectations:0:Action"] = "drop",
            ["SalesPipeline:Sources:test:Expectations:0:Name"] = "amount_cap",
            ["SalesPipeline:Sources:test:Expectations:0:Condition"] = "line_amount < 1000",
            ["SalesPipeline:Sources:test:Expectations:0:Action"] = "quarantine",
            ["SalesPipeline:Sources:test:Expectations:1:Name"] = "has_customer",
            ["SalesPipeline:Sources:test:Expectations:1:Condition"] = "customer_id IS NOT NULL",
            ["SalesPipeline:Sources:test:Expectations:1:Action"] = "warn",
        });
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));

        GoldAssertions.AssertCountsBalance(status, expected);
        await GoldAssertions.AssertGoldEqualsAsync(cluster.Query, expected);
        var source = Assert.Single(status.Sources);
        Assert.Equal(
            rules.Select(r => (r.Name, r.Action, expected.RuleCounts[r.Name].Evaluated, expected.RuleCounts[r.Name].Failed)),
            source.Rules.Select(r => (r.Name, r.Action, r.Evaluated, r.Failed)));
    }

    [Fact]
    public async Task Pipeline_DirtyGeneratedData_GoldEqualsIndependentRecomputation()
    {
        var landing = Path.Combine(root, "landing");
        new OrderGenerator(new GeneratorOptions(3000, landing, DirtyRate: 0.1, Seed: 11, Files: 4)).Write();
        var expected = ReferenceModel.FromFolder(landing);
        Assert.True(expected.Duplicates > 0 && expected.Stale > 0 && expected.Bad > 0 && expected.BadWithoutOrder > 0 && expected.MissingCustomer > 0, "the data set must exercise every rule");

        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing);
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));

        GoldAssertions.AssertCountsBalance(status, expected);
        await GoldAssertions.AssertGoldEqualsAsync(cluster.Query, expected);

        // Bronze: every routable line sits in its order's log, in file order; the others only in quarantine.
        var bronze = 0L;
        foreach (var orderId in expected.Current.Keys)
        {
            var order = await cluster.Query.GetOrderAsync(orderId);
            Assert.NotNull(order);
            Assert.Equal(expected.Current[orderId].EventId, order!.Current!.EventId);
            bronze += order.Bronze.Length;
        }

        var quarantine = await cluster.Query.GetQuarantineAsync(null, 100_000);
        Assert.Equal(expected.Bad, quarantine.Length);
        var onlyBad = quarantine.Where(q => q.OrderId is not null).Select(q => q.OrderId!).Distinct().Except(expected.Current.Keys).ToArray();
        foreach (var orderId in onlyBad)
        {
            bronze += (await cluster.Query.GetOrderAsync(orderId))!.Bronze.Length;
        }

        Assert.Equal(expected.Lines - expected.BadWithoutOrder, bronze);
    }

    [Fact]
    public async Task Pipeline_TinyOrderCache_CustomerShardsDeactivated_RowsReloadedFromStagingAndStore_GoldStillExact()
    {
        // An order cache of a handful of rows: orders are dropped from memory all the time and come back from the
        // staged epoch or from SQLite (committed, deserialized), across many commits. Customer shards keep every
        // customer live: they are deactivated while files are read and after each file, so they load their
        // customers again, from the store and from what their previous activation staged and did not commit yet.
        var generated = Path.Combine(root, "generated-evict");
        var landing = Path.Combine(root, "landing-evict");
        Directory.CreateDirectory(landing);
        var files = new OrderGenerator(new GeneratorOptions(2500, generated, DirtyRate: 0.1, Seed: 13, Files: 3)).Write().Files;
        var expected = ReferenceModel.FromFolder(generated);
        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data-evict"), landing, new Dictionary<string, string?>
        {
            ["SalesPipeline:OrderCacheSize"] = "8",
            ["SalesPipeline:ChunkLines"] = "250",
        });

        // One file at a time, each committed before the next arrives: later versions of an order find it in
        // SQLite, not in memory.
        PipelineStatus status = null!;
        foreach (var file in files.OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            Abstractions.Files.LandingFiles.PublishCopy(Path.Combine(generated, Path.GetFileName(file)), landing);
            await Task.Delay(300);
            await DeactivateCustomerShardsAsync(cluster);
            status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));
            await DeactivateCustomerShardsAsync(cluster);
        }

        Assert.True(status.CommittedEpoch >= files.Count, "an epoch per file, so rows come back from the store");
        GoldAssertions.AssertCountsBalance(status, expected);
        await GoldAssertions.AssertGoldEqualsAsync(cluster.Query, expected);
        foreach (var orderId in expected.Current.Keys.Take(200))
        {
            Assert.Equal(expected.Current[orderId].EventId, (await cluster.Query.GetOrderAsync(orderId))!.Current!.EventId);
        }
    }

    private static async Task DeactivateCustomerShardsAsync(PipelineCluster cluster)
    {
        for (var shard = 0; shard < CustomerShardGrain.Shards; shard++)
        {
            await cluster.Cluster.Client.GetGrain<ICustomerShardGrain>(shard).Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        }
    }

    [Fact]
    public async Task Pipeline_StoppedMidIngestionAndRestarted_FiguresStillExact()
    {
        var landing = Path.Combine(root, "landing");
        var data = Path.Combine(root, "data");
        new OrderGenerator(new GeneratorOptions(20_000, landing, DirtyRate: 0.05, Seed: 5, Files: 5)).Write();
        var expected = ReferenceModel.FromFolder(landing);
        // Small chunks, many in flight: the stop must drain them all before it commits.
        var slow = new Dictionary<string, string?> { ["SalesPipeline:ChunkLines"] = "200", ["SalesPipeline:MaxChunksInFlight"] = "8" };

        long readBeforeStop;
        await using (var first = await PipelineCluster.StartWithSourceAsync(data, landing, slow))
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            do
            {
                await Task.Delay(50);
                readBeforeStop = (await first.Query.GetStatusAsync()).Sources[0].RecordsRead;
            }
            while (readBeforeStop < 2000 && DateTime.UtcNow < deadline);

            Assert.True(readBeforeStop < expected.Lines, "the silo must stop before the end of the input");
        }

        await using var second = await PipelineCluster.StartWithSourceAsync(data, landing);
        var status = await second.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));

        GoldAssertions.AssertCountsBalance(status, expected);
        await GoldAssertions.AssertGoldEqualsAsync(second.Query, expected);
    }

    [Fact]
    public async Task Pipeline_BadInput_IsQuarantinedOrReportedAndIngestionGoesOn()
    {
        var landing = Path.Combine(root, "landing");
        Directory.CreateDirectory(landing);
        var valid = """{"event_id":"e-1","order_id":"o-1","sequence":1,"order_time":"2026-03-01T10:00:00Z","status":"placed","customer_id":"c-1","region":"EMEA","currency":"USD","items":[{"product_id":"p-1","quantity":2,"unit_price":5.00}]}""";
        Publish(landing, "a-truncated.jsonl", Encoding.UTF8.GetBytes(valid + "\n" + valid[..40] + "\n" + valid.Replace("e-1", "e-2").Replace("\"sequence\":1", "\"sequence\":2")[..^1] + "\n"));
        Publish(landing, "b-garbage.jsonl", [0xFF, 0xFE, 0x00, 0x01, 0x80, (byte)'\n', 0xC3, 0x28, (byte)'{', (byte)'\n']);
        var huge = new byte[10 * 1024 * 1024];
        Array.Fill(huge, (byte)'7');
        Publish(landing, "c-huge-line.jsonl", [.. "[\""u8, .. huge, .. "\"]\n"u8, .. Encoding.UTF8.GetBytes(valid.Replace("o-1", "o-2").Replace("e-1", "e-9") + "\n")]);
        Publish(landing, "d-empty.jsonl", []);

        // A big file deleted while the pipeline reads it, in small chunks.
        var doomed = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            doomed.Append(valid.Replace("o-1", $"o-doomed-{i}").Replace("e-1", $"e-doomed-{i}")).Append('\n');
        }

        Publish(landing, "e-doomed.jsonl", Encoding.UTF8.GetBytes(doomed.ToString()));
        var settings = new Dictionary<string, string?> { ["SalesPipeline:ChunkLines"] = "100", ["SalesPipeline:MaxChunksInFlight"] = "1" };
        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing, settings);
        while ((await cluster.Query.GetStatusAsync()).Sources[0].RecordsRead < 200)
        {
            await Task.Delay(10);
        }

        File.Delete(Path.Combine(landing, "e-doomed.jsonl"));
        Publish(landing, "f-after.jsonl", Encoding.UTF8.GetBytes(valid.Replace("o-1", "o-3").Replace("e-1", "e-3") + "\n"));
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));

        var source = Assert.Single(status.Sources);
        Assert.Equal(source.RecordsRead, source.Applied + source.Duplicates + source.Stale + source.Quarantined);
        var quarantine = await cluster.Query.GetQuarantineAsync(null, 1000);
        Assert.Contains(quarantine, q => q.Origin.File == "a-truncated.jsonl" && q.Origin.Line == 2 && q.Reason.StartsWith("malformed JSON", StringComparison.Ordinal));
        Assert.Contains(quarantine, q => q.Origin.File == "a-truncated.jsonl" && q.Origin.Line == 3 && q.OrderId is null);
        Assert.Equal(2, quarantine.Count(q => q.Origin.File == "b-garbage.jsonl"));
        var tooLong = Assert.Single(quarantine, q => q.Origin.File == "c-huge-line.jsonl");
        Assert.Contains("line too long", tooLong.Reason);
        Assert.Equal(huge.Length + 4, tooLong.RawBytes);
        Assert.Equal(5, quarantine.Length);

        // The pipeline went on: the valid lines before, between and after the bad ones are in Gold.
        Assert.NotNull(await cluster.Query.GetOrderAsync("o-2"));
        Assert.Equal("e-3", (await cluster.Query.GetOrderAsync("o-3"))!.Current!.EventId);

        // The deleted file is either fully read (it was quick) or reported with its reason; never silently short.
        var problem = source.Problems.SingleOrDefault(p => p.File == "e-doomed.jsonl");
        var doomedApplied = (await cluster.Query.GetRegionSalesAsync(null, null, false)).Sum(r => r.Orders) - 3;
        if (problem is null)
        {
            Assert.Equal(20_000, doomedApplied);
        }
        else
        {
            Assert.Contains("disappeared", problem.Reason);
            Assert.Equal(problem.LinesRead, doomedApplied);
        }
    }

    [Fact]
    public async Task Pipeline_NameSeenOnlyOnCancelledVersionAndOutOfOrder_GoldStillExact()
    {
        var landing = Path.Combine(root, "landing");
        Directory.CreateDirectory(landing);
        string Event(string id, string order, int seq, string status, string item) =>
            $$"""{"event_id":"{{id}}","order_id":"{{order}}","sequence":{{seq}},"event_time":"2026-03-01T10:0{{seq}}:00Z","order_time":"2026-03-01T10:00:00Z","status":"{{status}}","customer_id":"c-1","region":"NA","currency":"USD","items":[{{item}}]}""";
        var named = """{"product_id":"p-1","product_name":"Mug","quantity":1,"unit_price":4.00}""";
        var unnamed = """{"product_id":"p-1","quantity":2,"unit_price":4.00}""";
        // o-1: the cancelled v2 (with the name) arrives before v1, so v1 is stale; o-2 names nothing.
        Publish(landing, "a.jsonl", Encoding.UTF8.GetBytes(string.Join('\n',
            Event("e-12", "o-1", 2, "cancelled", named),
            Event("e-11", "o-1", 1, "placed", named),
            Event("e-21", "o-2", 1, "paid", unnamed)) + "\n"));
        var expected = ReferenceModel.FromFolder(landing);

        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing);
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        GoldAssertions.AssertCountsBalance(status, expected);
        await GoldAssertions.AssertGoldEqualsAsync(cluster.Query, expected);
        Assert.Equal(("Mug", 1L, 2L, 8.00m), (await cluster.Query.GetTopProductsAsync(null)).Select(p => (p.ProductName, p.Orders, p.Units, p.Sales)).Single());
    }

    private static void Publish(string folder, string name, byte[] content)
    {
        var temp = Path.Combine(folder, "." + name + ".tmp");
        File.WriteAllBytes(temp, content);
        File.Move(temp, Path.Combine(folder, name));
    }
}
