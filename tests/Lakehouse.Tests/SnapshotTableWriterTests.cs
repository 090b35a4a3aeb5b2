using SalesPipeline.Abstractions.Model;
using SalesPipeline.Delta;
using Xunit;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary>The snapshot table writer on Gold recomputed independently from generated files (no cluster).</summary>
public sealed class SnapshotTableWriterTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-lake-w-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task SnapshotTableWriter_SameEpochAfterRestart_AddsNoVersion()
    {
        var gold = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in"), 800, seed: 1), epoch: 7);
        var delta = Path.Combine(root, "delta");
        Assert.All(await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), gold), r => Assert.True(r.Committed));

        // A restarted writer (empty cache) retrying the same epoch, even with different figures, is a no-op.
        var changed = gold with { Regions = [.. gold.Regions.Select(r => r with { Orders = r.Orders + 1 })] };
        var retry = await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), changed);

        Assert.All(retry, r => Assert.False(r.Committed));
        Assert.All(retry, r => Assert.Equal(1, r.Version));
        SyntheticGold.Rows(gold).AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "after the retry");
    }

    [Fact]
    public async Task SnapshotTableWriter_CrashBetweenFilesAndCommit_RetryCommitsOnceAndIgnoresOrphans()
    {
        var gold = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in"), 800, seed: 2), epoch: 3);
        var delta = Path.Combine(root, "delta");
        await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), gold);

        // What a writer killed after writing its data files but before publishing the commit leaves behind.
        foreach (var (file, _) in await TableReaders.FilesAsync(delta, "gold/sales_by_region"))
        {
            File.Copy(file, Path.Combine(Path.GetDirectoryName(file)!, $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet"));
        }

        var next = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in"), 900, seed: 2), epoch: 4);
        var results = await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), next);
        var again = await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), next);

        Assert.True(results[0].Committed);
        Assert.Equal(2, results[0].Version);
        Assert.All(again, r => Assert.False(r.Committed));
        SyntheticGold.Rows(next).AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "Delta reader");
        SyntheticGold.Rows(next).AssertEqual(await TableReaders.ReadWithDuckDbAsync(delta), "DuckDB");
    }

    [Fact]
    public async Task SnapshotTableWriter_OneDayChanged_ReplacesOnlyThatDay()
    {
        var gold = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in"), 1500, seed: 3), epoch: 1);
        var delta = Path.Combine(root, "delta");
        var writers = SyntheticGold.Writers(delta);
        await SyntheticGold.WriteAsync(writers, gold);
        var day = gold.Regions[0].OrderDate;
        var changed = gold with { Epoch = 2, Regions = [.. gold.Regions.Select(r => r.OrderDate == day ? r with { Sales = r.Sales + 1.25m } : r)] };

        var results = await SyntheticGold.WriteAsync(writers, changed);

        var regions = results[0];
        Assert.True(regions.Committed);
        Assert.Equal(1, regions.PartitionsReplaced);
        Assert.Equal(changed.Regions.Count(r => r.OrderDate == day), regions.RowsWritten);
        Assert.False(results[1].Committed);
        Assert.False(results[2].Committed);
        SyntheticGold.Rows(changed).AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "after one day changed");
        SyntheticGold.Rows(gold).AssertEqual(await TableReaders.ReadWithDeltaAsync(delta, version: 1), "version 1");
    }

    [Fact]
    public async Task OptimizeThenVacuum_AfterManySnapshots_SameContentsFewerFiles()
    {
        var model = SyntheticGold.Generate(Path.Combine(root, "in"), 1000, seed: 4);
        var delta = Path.Combine(root, "delta");
        var writers = SyntheticGold.Writers(delta, customerBuckets: 4);
        var gold = SyntheticGold.From(model, 1);
        await SyntheticGold.WriteAsync(writers, gold);
        for (var epoch = 2; epoch <= 6; epoch++)
        {
            // Every snapshot changes every customer bucket and one day: many small files per partition.
            gold = gold with
            {
                Epoch = epoch,
                Customers = [.. gold.Customers.Select(c => c with { Orders = c.Orders + 1 })],
                Regions = [.. gold.Regions.Select((r, i) => i == epoch ? r with { Units = r.Units + 1 } : r)],
            };
            await SyntheticGold.WriteAsync(writers, gold);
        }

        var customers = Path.Combine(delta, "gold/customer_metrics");
        var filesBefore = (await (await DeltaTable.OpenAsync(customers)).GetSnapshotAsync()).Files.Count;
        var onDiskBefore = Directory.GetFiles(customers, "*.parquet", SearchOption.AllDirectories).Length;
        var expected = await TableReaders.ReadWithDeltaAsync(delta);

        foreach (var writer in writers)
        {
            await writer.OptimizeAndVacuumAsync(TimeSpan.Zero, allowShortRetention: true, CancellationToken.None);
        }

        var snapshot = await (await DeltaTable.OpenAsync(customers)).GetSnapshotAsync();
        var onDiskAfter = Directory.GetFiles(customers, "*.parquet", SearchOption.AllDirectories).Length;
        Assert.True(snapshot.Files.Count <= 4, $"{snapshot.Files.Count} files after OPTIMIZE (4 buckets)");
        Assert.True(onDiskAfter < onDiskBefore, $"{onDiskAfter} files on disk after VACUUM, {onDiskBefore} before");
        Assert.Equal(snapshot.Files.Count, onDiskAfter);
        Assert.True(filesBefore >= snapshot.Files.Count);
        expected.AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "after OPTIMIZE and VACUUM");
        expected.AssertEqual(await TableReaders.ReadWithDuckDbAsync(delta), "after OPTIMIZE and VACUUM, DuckDB");

        // The writer keeps going after maintenance: its cache follows the OPTIMIZE version.
        var next = gold with { Epoch = 7, Products = [.. gold.Products.Select(p => p with { Units = p.Units + 2 })] };
        var results = await SyntheticGold.WriteAsync(writers, next);
        Assert.True(results[1].Committed);
        Assert.False(results[2].Committed);
        SyntheticGold.Rows(next).AssertEqual(await TableReaders.ReadWithDeltaAsync(delta), "after a snapshot on top");
    }
}
