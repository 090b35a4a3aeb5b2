using System.Text;

namespace SalesPipeline.Delta.Tests;

public sealed class WriterReaderTests
{
    internal static readonly DeltaSchema Schema = new(
        new DeltaField("id", DeltaDataType.Long, Nullable: false),
        new DeltaField("name", DeltaDataType.String),
        new DeltaField("qty", DeltaDataType.Integer),
        new DeltaField("ratio", DeltaDataType.Double),
        new DeltaField("price", DeltaDataType.Decimal(10, 2)),
        new DeltaField("active", DeltaDataType.Boolean),
        new DeltaField("day", DeltaDataType.Date),
        new DeltaField("at", DeltaDataType.Timestamp),
        new DeltaField("region", DeltaDataType.String));

    internal static object?[] Row(long id, string? region, string? name = "n") =>
        [id, name, (int)(id % 5), id / 4.0, 12.34m + id, id % 2 == 0, new DateOnly(2024, 1, 1).AddDays((int)(id % 3)),
            new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(id * 10 + 1234560), region];

    internal static List<object?[]> RowsFor(string? region, int count, long start = 0) =>
        Enumerable.Range(0, count).Select(i => Row(start + i, region)).ToList();

    [Fact]
    public async Task Append_PartitionedTypedRows_ReadBackEqual()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"]);
        var rows = RowsFor("EU", 10).Concat(RowsFor(null, 3, 100)).Concat(RowsFor("a/b:c %=x", 2, 200)).ToList();
        rows.Add([300L, null, null, null, null, null, null, null, "EU"]);
        var result = await table.AppendAsync(rows);
        Assert.True(result.Committed);
        Assert.Equal(1, result.Version);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(Rows.CanonRows(rows), Rows.CanonRows(await snapshot.ReadAllAsync()));
        Assert.Equal(3, snapshot.Files.Count);
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "region=__HIVE_DEFAULT_PARTITION__")));
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "region=a%2Fb%3Ac %25%3Dx")));
    }

    [Fact]
    public async Task Commit_EveryLogLine_MatchesProtocolActionShapes()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"]);
        await table.AppendAsync(RowsFor("EU", 3), new DeltaWriteOptions { Transaction = new("app", 1), CommitInfo = new Dictionary<string, string> { ["runId"] = "r1" } });
        await table.OverwriteAsync(RowsFor("EU", 2), DeltaPartitionFilter.Where("region", "EU"));
        await table.DeleteAsync(DeltaPartitionFilter.Where("region", "EU"));
        var lines = Directory.GetFiles(Path.Combine(dir.Path, "_delta_log"), "*.json").Order().SelectMany(File.ReadAllLines).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines) Rows.AssertValidLogLine(line);
        Assert.Contains(lines, l => l.Contains("\"runId\":\"r1\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Overwrite_ReplaceWhere_ReplacesOnlyMatchingPartition()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"]);
        await table.AppendAsync(RowsFor("EU", 5).Concat(RowsFor("US", 4, 10)).ToList());
        var replacement = RowsFor("EU", 2, 50);
        await table.OverwriteAsync(replacement, DeltaPartitionFilter.Where("region", "EU"));
        var rows = await (await table.GetSnapshotAsync()).ReadAllAsync();
        Assert.Equal(Rows.CanonRows(RowsFor("US", 4, 10).Concat(replacement)), Rows.CanonRows(rows));
        await Assert.ThrowsAsync<DeltaException>(() => table.OverwriteAsync(RowsFor("US", 1), DeltaPartitionFilter.Where("region", "EU")));
    }

    [Fact]
    public async Task Overwrite_WholeTable_LeavesOnlyNewRows()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema);
        await table.AppendAsync(RowsFor("EU", 5));
        await table.OverwriteAsync(RowsFor("US", 1, 9));
        Assert.Equal(Rows.CanonRows(RowsFor("US", 1, 9)), Rows.CanonRows(await (await table.GetSnapshotAsync()).ReadAllAsync()));
        var v1 = await table.GetSnapshotAsync(1);
        Assert.Equal(5, (await v1.ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Delete_ByPartitionPredicate_RemovesOnlyThatPartition()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"]);
        await table.AppendAsync(RowsFor("EU", 3).Concat(RowsFor("US", 2, 10)).Concat(RowsFor(null, 1, 20)).ToList());
        var result = await table.DeleteAsync(DeltaPartitionFilter.WhereIn("region", "EU", null));
        Assert.Equal(2, result.FilesRemoved);
        Assert.Equal(Rows.CanonRows(RowsFor("US", 2, 10)), Rows.CanonRows(await (await table.GetSnapshotAsync()).ReadAllAsync()));
        var log = await File.ReadAllTextAsync(Path.Combine(dir.Path, "_delta_log", "00000000000000000002.json"));
        Assert.Contains("\"deletionTimestamp\":", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_SameTxnVersionTwice_SecondIsNoOp()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"]);
        var options = new DeltaWriteOptions { Transaction = new("gold-snapshots", 7) };
        var first = await table.AppendAsync(RowsFor("EU", 3), options);
        var again = await table.AppendAsync(RowsFor("EU", 3), options);
        var older = await table.OverwriteAsync(RowsFor("EU", 1), options: new DeltaWriteOptions { Transaction = new("gold-snapshots", 6) });
        Assert.True(first.Committed);
        Assert.False(again.Committed);
        Assert.False(older.Committed);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(7, snapshot.GetTransactionVersion("gold-snapshots"));
        Assert.Equal(3, (await snapshot.ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Append_MergeSchemaWithNewNullableColumn_EvolvesSchema()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"]);
        await table.AppendAsync(RowsFor("EU", 2));
        var wider = new DeltaSchema(Schema.Fields.Append(new DeltaField("note", DeltaDataType.String)));
        var rows = RowsFor("EU", 1, 5).Select(r => r.Append("hello").ToArray()).ToList();
        await table.AppendAsync(rows, new DeltaWriteOptions { Schema = wider, MergeSchema = true });
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(10, snapshot.Schema.Fields.Count);
        var read = await snapshot.ReadAllAsync();
        Assert.Equal(2, read.Count(r => r[9] is null));
        Assert.Single(read, r => (string?)r[9] == "hello");
    }

    [Fact]
    public async Task Append_NewColumnWithoutMergeSchema_ThrowsSchemaMismatch()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema);
        var wider = new DeltaSchema(Schema.Fields.Append(new DeltaField("note", DeltaDataType.String)));
        await Assert.ThrowsAsync<DeltaSchemaMismatchException>(() => table.AppendAsync([Row(1, "EU").Append("x").ToArray()], new DeltaWriteOptions { Schema = wider }));
    }

    [Fact]
    public async Task Append_WrongValueType_ThrowsSchemaMismatchNamingColumn()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema);
        var row = Row(1, "EU");
        row[2] = "not an int";
        var ex = await Assert.ThrowsAsync<DeltaSchemaMismatchException>(() => table.AppendAsync([row]));
        Assert.Contains("qty", ex.Message, StringComparison.Ordinal);
        var changed = new DeltaSchema(Schema.Fields.Select(f => f.Name == "qty" ? f with { Type = DeltaDataType.Long } : f));
        await Assert.ThrowsAsync<DeltaSchemaMismatchException>(() => table.AppendAsync([Row(1, "EU")], new DeltaWriteOptions { Schema = changed, MergeSchema = true }));
    }

    [Fact]
    public async Task Snapshot_TimeTravelByVersionAndTimestamp_ReturnsOlderState()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema);
        for (var i = 0; i < 3; i++)
        {
            await table.AppendAsync(RowsFor("EU", 1, i));
            File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "_delta_log", $"{i + 1:D20}.json"), new DateTime(2025, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc));
        }
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "_delta_log", $"{0:D20}.json"), new DateTime(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(2, (await (await table.GetSnapshotAsync(2)).ReadAllAsync()).Count);
        var byTime = await table.GetSnapshotAsync(new DateTimeOffset(2025, 1, 2, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, byTime.Version);
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => table.GetSnapshotAsync(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => table.GetSnapshotAsync(9));
    }

    [Fact]
    public async Task Checkpoint_EveryNCommits_WrittenAndUsedByReplay()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, ["region"], options: new DeltaTableOptions { CheckpointInterval = 3, EnableExpiredLogCleanup = false });
        for (var i = 0; i < 7; i++) await table.AppendAsync(RowsFor(i % 2 == 0 ? "EU" : null, 2, i * 10), new DeltaWriteOptions { Transaction = new("app", i) });
        await table.DeleteAsync(DeltaPartitionFilter.Where("region", null));
        var log = Path.Combine(dir.Path, "_delta_log");
        Assert.True(File.Exists(Path.Combine(log, $"{3:D20}.checkpoint.parquet")));
        Assert.True(File.Exists(Path.Combine(log, $"{6:D20}.checkpoint.parquet")));
        Assert.Contains("\"version\":6", await File.ReadAllTextAsync(Path.Combine(log, "_last_checkpoint")), StringComparison.Ordinal);
        // Prove replay uses the checkpoint: without the early commits the table still reads the same.
        var expected = Rows.CanonRows(await (await table.GetSnapshotAsync()).ReadAllAsync());
        for (var v = 0; v < 6; v++) File.Delete(Path.Combine(log, $"{v:D20}.json"));
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(expected, Rows.CanonRows(await snapshot.ReadAllAsync()));
        Assert.Equal(6, snapshot.GetTransactionVersion("app"));
        Assert.Equal(8, snapshot.Version);
    }

    [Fact]
    public async Task Snapshot_UnknownReaderFeature_ThrowsNamingFeature()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "_delta_log", $"{1:D20}.json"),
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],\"writerFeatures\":[\"deletionVectors\"]}}\n", Encoding.UTF8);
        var ex = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => table.GetSnapshotAsync());
        Assert.Equal("deletionVectors", ex.Feature);
        await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => table.AppendAsync(RowsFor("EU", 1)));
    }

    [Fact]
    public async Task Create_ExistingTable_ThrowsAndCreateOrOpenOpens()
    {
        using var dir = new TempDir();
        await DeltaTable.CreateAsync(dir.Path, Schema);
        await Assert.ThrowsAsync<DeltaConcurrencyException>(() => DeltaTable.CreateAsync(dir.Path, Schema));
        var table = await DeltaTable.CreateOrOpenAsync(dir.Path, Schema);
        Assert.Equal(0, (await table.GetSnapshotAsync()).Version);
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => DeltaTable.OpenAsync(dir.Sub("missing")));
    }

    [Fact]
    public async Task Checkpoint_TableWithWriterFeatures_KeepsFeaturesInProtocol()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, options: new DeltaTableOptions { CheckpointInterval = 2 });
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "_delta_log", $"{1:D20}.json"),
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"timestampNtz\"],\"writerFeatures\":[\"timestampNtz\",\"appendOnly\"]}}\n");
        await table.AppendAsync(RowsFor("EU", 1));
        File.Delete(Path.Combine(dir.Path, "_delta_log", $"{1:D20}.json"));
        File.Delete(Path.Combine(dir.Path, "_delta_log", $"{0:D20}.json"));
        var state = (await table.GetSnapshotAsync()).State;
        Assert.Equal(["timestampNtz", "appendOnly"], state.Protocol!.WriterFeatures);
        Assert.Equal(["timestampNtz"], state.Protocol.ReaderFeatures);
    }
}
