using System.Text.Json;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Delta;
using SalesPipeline.Generator;
using SalesPipeline.Grains.Tests;
using SalesPipeline.Tests.Shared;
using Xunit;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary>Gold snapshots written by a real TestCluster (production AddSalesPipeline) on a real SQLite file.</summary>
public sealed class GoldSnapshotTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-lake-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task GoldSnapshot_CaughtUp_DeltaReaderAndDuckDbEqualLiveGoldAndRecomputation()
    {
        var landing = Path.Combine(root, "landing");
        new OrderGenerator(new GeneratorOptions(3000, landing, DirtyRate: 0.1, Seed: 21, Files: 3)).Write();
        var expected = ReferenceModel.FromFolder(landing);
        var delta = Path.Combine(root, "delta");

        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing, Settings(delta, "00:10:00"));
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));
        await GoldAssertions.AssertGoldEqualsAsync(cluster.Query, expected);
        var snapshots = cluster.Cluster.Client.GetGrain<IGoldSnapshotGrain>(0);

        var (result, live) = await SnapshotWhileStableAsync(cluster, snapshots);

        Assert.All(result.Tables, t => Assert.True(t.Committed, $"{t.Table} not written"));
        Assert.NotEmpty(live.Regions);
        Assert.NotEmpty(live.Customers);
        live.AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "Delta reader");
        live.AssertEqual(await TableReaders.ReadWithDuckDbAsync(delta), "DuckDB read_parquet");

        // commitInfo names the input: the epoch and each source's committed checkpoint (files, lines, counters).
        var history = await (await DeltaTable.OpenAsync(Path.Combine(delta, "gold/sales_by_region"))).GetHistoryAsync();
        using var info = JsonDocument.Parse(history[0].CommitInfoJson);
        Assert.Equal(result.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), info.RootElement.GetProperty("salesPipeline.epoch").GetString());
        using var checkpoint = JsonDocument.Parse(info.RootElement.GetProperty("salesPipeline.checkpoint.source/test").GetString()!);
        Assert.Equal(expected.Lines, checkpoint.RootElement.GetProperty("RecordsRead").GetInt64());
        Assert.Equal(3, checkpoint.RootElement.GetProperty("Files").EnumerateObject().Count());

        // Quarantine export: one commit, counts equal status; a rerun replaces it with one consistent table.
        var quarantinePath = Path.Combine(delta, "quarantine");
        var quarantined = await cluster.Query.GetQuarantineAsync(null, int.MaxValue);
        await Cli.Commands.ExportCommands.WriteQuarantineAsync(quarantined, quarantinePath, null, CancellationToken.None);
        var rerun = await Cli.Commands.ExportCommands.WriteQuarantineAsync(quarantined, quarantinePath, null, CancellationToken.None);
        var exported = await (await (await DeltaTable.OpenAsync(quarantinePath)).GetSnapshotAsync()).ReadAllAsync();
        Assert.Equal(status.Sources.Sum(s => s.Quarantined), exported.Count);
        Assert.Equal(expected.Bad, exported.Count);
        Assert.Equal(rerun.Records, exported.Count);
        var sql = await Cli.Commands.SqlCommands.RunAsync("SELECT COUNT(*), COUNT(DISTINCT id) FROM quarantine", delta, [], CancellationToken.None);
        Assert.Equal(new object?[] { (long)expected.Bad, (long)expected.Bad }, sql.Rows[0]);

        // The same epoch again adds no version.
        var again = await snapshots.SnapshotNowAsync();
        Assert.All(again.Tables, t => Assert.False(t.Committed));
        var lake = await snapshots.GetLakehouseStatusAsync();
        Assert.All(lake.Tables, t => Assert.Equal(result.Epoch, t.SnapshotEpoch));
        Assert.All(lake.Tables, t => Assert.Equal(1, t.Version));
        Assert.All(lake.Tables, t => Assert.True(t.Files > 0 && t.Bytes > 0));
    }

    [Fact]
    public async Task GoldSnapshot_SmallChangeThenTimerAndShutdown_ReplacesChangedPartitionsAndKeepsOldVersions()
    {
        var landing = Path.Combine(root, "landing");
        var more = Path.Combine(root, "more");
        new OrderGenerator(new GeneratorOptions(4000, landing, DirtyRate: 0.05, Seed: 3, Files: 2)).Write();
        var delta = Path.Combine(root, "delta");
        GoldRows before;
        GoldRows after;
        long epochAfter;
        await using (var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing, Settings(delta, "00:00:01")))
        {
            var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));
            var snapshots = cluster.Cluster.Client.GetGrain<IGoldSnapshotGrain>(0);

            // The timer (1 s) writes the caught-up epoch without being asked.
            await WaitForSnapshotEpochAsync(snapshots, status.CommittedEpoch);
            (_, before) = await SnapshotWhileStableAsync(cluster, snapshots);
            before.AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "before the change");
            var regionDays = before.Regions.Select(r => r.OrderDate).Distinct().Count();
            var versionBefore = (await snapshots.GetLakehouseStatusAsync()).Tables[0].Version!.Value;

            // A small change: 20 new orders, one file.
            new OrderGenerator(new GeneratorOptions(20, more, DirtyRate: 0, Seed: 99, Files: 1)).Write();
            foreach (var file in Directory.GetFiles(more))
            {
                File.Copy(file, Path.Combine(landing, "zz-" + Path.GetFileName(file)));
            }

            status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));
            await WaitForSnapshotEpochAsync(snapshots, status.CommittedEpoch);
            (_, after) = await SnapshotWhileStableAsync(cluster, snapshots);
            Assert.NotEqual(before.Regions.Sum(r => r.Orders), after.Regions.Sum(r => r.Orders));

            // Only the days the new orders fell on were rewritten, in the commits since the change.
            var table = await DeltaTable.OpenAsync(Path.Combine(delta, "gold/sales_by_region"));
            var latest = await table.GetSnapshotAsync();
            var rewritten = new HashSet<string?>();
            for (var v = versionBefore + 1; v <= latest.Version; v++)
            {
                var older = (await table.GetSnapshotAsync(v - 1)).Files.Select(f => f.Path).ToHashSet();
                rewritten.UnionWith((await table.GetSnapshotAsync(v)).Files.Where(f => !older.Contains(f.Path)).Select(f => f.PartitionValues["order_date"]));
            }

            Assert.InRange(rewritten.Count, 1, Math.Min(20, regionDays - 1));
            after.AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "after the small change");
            after.AssertEqual(await TableReaders.ReadWithDuckDbAsync(delta), "after the small change, DuckDB");

            // Time travel: the version before the change still holds the old figures.
            before.AssertEqual(await TableReadersAt(delta, versionBefore), "time travel");
            epochAfter = (await snapshots.GetLakehouseStatusAsync()).CommittedEpoch;
        }

        // The graceful stop's final snapshot leaves the tables at the last figures (an idle epoch committed at
        // the stop changes no row, so it adds a version only where something changed).
        var lake = await DeltaTable.OpenAsync(Path.Combine(delta, "gold/customer_metrics"));
        Assert.True((await lake.GetSnapshotAsync()).GetTransactionVersion("sales-pipeline-gold") <= epochAfter + 1);
        after.AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "after shutdown");
    }

    [Fact]
    public async Task GoldSnapshot_GracefulStopBeforeAnyInterval_WritesFinalSnapshot()
    {
        var landing = Path.Combine(root, "landing");
        new OrderGenerator(new GeneratorOptions(500, landing, DirtyRate: 0.05, Seed: 8, Files: 1)).Write();
        var delta = Path.Combine(root, "delta");
        long epoch;
        GoldRows live;
        await using (var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing, Settings(delta, "00:10:00")))
        {
            epoch = (await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2))).CommittedEpoch;
            live = await GoldRows.LiveAsync(cluster.Query);
        }

        var table = await DeltaTable.OpenAsync(Path.Combine(delta, "gold/sales_by_region"));
        Assert.True((await table.GetSnapshotAsync()).GetTransactionVersion("sales-pipeline-gold") >= epoch);
        live.AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "shutdown snapshot");
    }

    internal static Dictionary<string, string?> Settings(string delta, string interval) => new()
    {
        ["SalesPipeline:Delta:Root"] = delta,
        ["SalesPipeline:Delta:SnapshotInterval"] = interval,
    };

    /// <summary>
    /// Takes a snapshot while the pipeline is caught up and live Gold does not move (same figures and
    /// epoch before and after): the snapshot must then equal live Gold. Retries while the pipeline is
    /// still settling (an idle epoch commit can land between the calls).
    /// </summary>
    internal static async Task<(Abstractions.Model.GoldSnapshotResult Result, GoldRows Live)> SnapshotWhileStableAsync(PipelineCluster cluster, IGoldSnapshotGrain snapshots)
    {
        for (var attempt = 0; ; attempt++)
        {
            var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));
            var live = await GoldRows.LiveAsync(cluster.Query);
            var result = await snapshots.SnapshotNowAsync();
            var after = await cluster.Query.GetStatusAsync();
            var liveAfter = await GoldRows.LiveAsync(cluster.Query);
            var stable = after.CaughtUp && after.CommittedEpoch == result.Epoch && status.CommittedEpoch == result.Epoch &&
                live.Regions.SequenceEqual(liveAfter.Regions) && live.Products.SequenceEqual(liveAfter.Products) && live.Customers.SequenceEqual(liveAfter.Customers);
            if (stable || attempt == 10)
            {
                Assert.True(stable, "live Gold never held still while caught up");
                return (result, live);
            }

            await Task.Delay(300);
        }
    }

    private static Task<GoldRows> TableReadersAt(string delta, long version) => TableReaders.ReadWithDeltaAsync(delta, version);

    private static async Task WaitForSnapshotEpochAsync(IGoldSnapshotGrain snapshots, long epoch)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await snapshots.GetLakehouseStatusAsync();
            if (status.Tables.All(t => t.SnapshotEpoch >= epoch))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no snapshot of epoch {epoch}: {JsonSerializer.Serialize(status)}");
            await Task.Delay(200);
        }
    }
}
