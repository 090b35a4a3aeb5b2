namespace SalesPipeline.Delta.Tests;

public sealed class MaintenanceTests
{
    [Fact]
    public async Task Optimize_ManySmallFiles_BinPackedPerPartitionWithoutDataChange()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema, ["region"]);
        for (var i = 0; i < 4; i++) await table.AppendAsync(WriterReaderTests.RowsFor("EU", 3, i * 10).Concat(WriterReaderTests.RowsFor("US", 2, 100 + i * 10)).ToList());
        await table.AppendAsync(WriterReaderTests.RowsFor(null, 1, 500));
        var before = await table.GetSnapshotAsync();
        var result = await table.OptimizeAsync();
        Assert.True(result.Committed);
        Assert.Equal(8, result.FilesRemoved);
        Assert.Equal(2, result.FilesAdded);
        var after = await table.GetSnapshotAsync();
        Assert.Equal(3, after.Files.Count);
        Assert.Equal(Rows.CanonRows(await before.ReadAllAsync()), Rows.CanonRows(await after.ReadAllAsync()));
        var log = await File.ReadAllLinesAsync(Path.Combine(dir.Path, "_delta_log", $"{after.Version:D20}.json"));
        Assert.All(log.Where(l => l.StartsWith("{\"add\"", StringComparison.Ordinal) || l.StartsWith("{\"remove\"", StringComparison.Ordinal)),
            l => Assert.Contains("\"dataChange\":false", l, StringComparison.Ordinal));
        Assert.False((await table.OptimizeAsync()).Committed);
    }

    [Fact]
    public async Task Vacuum_ShortRetentionWithoutOverride_Throws()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema);
        await Assert.ThrowsAsync<DeltaException>(() => table.VacuumAsync(TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Vacuum_RemovedFilesOlderThanRetention_DeletedAndDryRunOnlyLists()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema, ["region"]);
        await table.AppendAsync(WriterReaderTests.RowsFor("EU", 3));
        var old = (await table.GetSnapshotAsync()).Files.Single();
        await table.OverwriteAsync(WriterReaderTests.RowsFor("EU", 2, 10));
        var oldPath = Path.Combine(dir.Path, Uri.UnescapeDataString(old.Path));
        File.SetLastWriteTimeUtc(oldPath, DateTime.UtcNow.AddDays(-30));
        var orphan = Path.Combine(dir.Path, "region=EU", "part-orphan.snappy.parquet");
        await File.WriteAllBytesAsync(orphan, [1, 2, 3]);

        // The remove is recent: with the default 7 days the old file is still needed by time travel.
        Assert.Empty((await table.VacuumAsync(dryRun: true)).Files);
        var dry = await table.VacuumAsync(TimeSpan.Zero, dryRun: true, allowShortRetention: true);
        Assert.Contains(dry.Files, f => f.EndsWith(Path.GetFileName(oldPath), StringComparison.Ordinal));
        Assert.Contains(dry.Files, f => f.EndsWith("part-orphan.snappy.parquet", StringComparison.Ordinal));
        Assert.True(File.Exists(oldPath));
        var done = await table.VacuumAsync(TimeSpan.Zero, allowShortRetention: true);
        Assert.Equal(2, done.Files.Count);
        Assert.False(File.Exists(oldPath));
        Assert.False(File.Exists(orphan));
        Assert.Equal(2, (await (await table.GetSnapshotAsync()).ReadAllAsync()).Count);
    }

    [Fact]
    public async Task LogCleanup_ExpiredCommitsBeforeCheckpoint_DeletedAndTableReadable()
    {
        using var dir = new TempDir();
        var options = new DeltaTableOptions { CheckpointInterval = 4, LogRetention = TimeSpan.Zero };
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema, options: options);
        for (var i = 0; i < 9; i++) await table.AppendAsync(WriterReaderTests.RowsFor("EU", 1, i));
        var log = Path.Combine(dir.Path, "_delta_log");
        Assert.False(File.Exists(Path.Combine(log, $"{0:D20}.json")));
        Assert.False(File.Exists(Path.Combine(log, $"{4:D20}.checkpoint.parquet")));
        Assert.True(File.Exists(Path.Combine(log, $"{8:D20}.checkpoint.parquet")));
        Assert.True(File.Exists(Path.Combine(log, $"{8:D20}.json")));
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(9, snapshot.Version);
        Assert.Equal(9, (await snapshot.ReadAllAsync()).Count);
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => table.GetSnapshotAsync(3));
    }

    [Fact]
    public async Task History_AfterOperations_NewestFirstWithOperations()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema, ["region"]);
        await table.AppendAsync(WriterReaderTests.RowsFor("EU", 1));
        await table.DeleteAsync(DeltaPartitionFilter.Where("region", "EU"));
        var history = await table.GetHistoryAsync();
        Assert.Equal(["DELETE", "WRITE", "CREATE TABLE"], history.Select(h => h.Operation));
        Assert.Equal([2L, 1L, 0L], history.Select(h => h.Version));
    }
}
