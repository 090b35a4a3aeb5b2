namespace SalesPipeline.Delta.Tests;

/// <summary>
/// Reads every golden table (Spark-written, from delta-kernel-rs) that has an expected scan result and compares
/// contents exactly and order-insensitively; tables needing features this library does not implement must be refused
/// with an error naming the feature. The tables live in ../shared next to the repo; without them the tests skip.
/// </summary>
public sealed class ConformanceTests
{
    /// <summary>Tables refused on purpose, with the feature named by the error.</summary>
    internal static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["dv-partitioned-with-checkpoint"] = "deletionVectors",
        ["dv-with-columnmapping"] = "deletionVectors",
        ["log-replay-dv-key-cases"] = "deletionVectors",
        ["v2-checkpoint-json"] = "v2Checkpoint",
        ["v2-checkpoint-parquet"] = "v2Checkpoint",
    };

    public static TheoryData<string> TablesWithExpected()
    {
        var data = new TheoryData<string>();
        var golden = TestPaths.Golden();
        if (golden is null) { data.Add("(golden tables absent)"); return data; }
        foreach (var dir in Directory.GetDirectories(golden).Order(StringComparer.Ordinal))
            if (Directory.Exists(Path.Combine(dir, "expected"))) data.Add(Path.GetFileName(dir));
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(TablesWithExpected))]
    public async Task GoldenTable_ReadLatest_MatchesExpectedOrIsRefused(string name)
    {
        var golden = TestPaths.Golden();
        Skip.If(golden is null, "../shared/conformance/delta/golden is absent (the project was cloned without the shared folder).");
        var tableDir = Path.Combine(golden!, name, "delta");
        if (Refused.TryGetValue(name, out var feature))
        {
            var ex = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(async () =>
            {
                var t = await DeltaTable.OpenAsync(tableDir);
                await (await t.GetSnapshotAsync()).ReadAllAsync();
            });
            Assert.Equal(feature, ex.Feature);
            return;
        }
        // This table was written by Spark with session time zone America/Los_Angeles; its partition timestamps carry no offset.
        var options = name == "data-reader-partition-values"
            ? new DeltaTableOptions { PartitionTimestampTimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles") }
            : new DeltaTableOptions();
        var table = await DeltaTable.OpenAsync(tableDir, options);
        var snapshot = await table.GetSnapshotAsync();
        var actual = await snapshot.ReadAllAsync();

        var expectedColumns = new List<string>();
        var expectedRows = new List<object?[]>();
        foreach (var file in Directory.GetFiles(Path.Combine(golden!, name, "expected"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            await using var fs = File.OpenRead(file);
            var data = await ParquetRecordReader.ReadAsync(fs, null, CancellationToken.None);
            if (expectedColumns.Count == 0) expectedColumns.AddRange(data.Columns.Keys);
            for (var r = 0; r < data.RowCount; r++)
                expectedRows.Add(expectedColumns.Select(c => data.Columns[c].Values[r]).ToArray());
        }
        Assert.Equal(expectedColumns.Order(StringComparer.OrdinalIgnoreCase).Select(c => c.ToLowerInvariant()),
            snapshot.Schema.Fields.Select(f => f.Name).Order(StringComparer.OrdinalIgnoreCase).Select(c => c.ToLowerInvariant()));
        var index = expectedColumns.Select(c => snapshot.Schema.IndexOf(c)).ToArray();
        var projected = actual.Select(r => index.Select(i => r[i]).ToArray());
        var expectedCanon = Rows.CanonRows(expectedRows);
        var actualCanon = Rows.CanonRows(projected);
        Assert.Equal(expectedCanon.Count, actualCanon.Count);
        for (var i = 0; i < expectedCanon.Count; i++) Assert.Equal(expectedCanon[i], actualCanon[i]);
    }

    [SkippableFact]
    public async Task GoldenTable_NegativeCases_FailClearly()
    {
        var golden = TestPaths.Golden();
        Skip.If(golden is null, "../shared/conformance/delta/golden is absent (the project was cloned without the shared folder).");
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => DeltaTable.OpenAsync(Path.Combine(golden!, "no-delta-log-folder", "delta")));
        var invalid = await DeltaTable.OpenAsync(Path.Combine(golden!, "deltalog-invalid-protocol-version", "delta"));
        var ex = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => invalid.GetSnapshotAsync());
        Assert.Contains("99", ex.Feature, StringComparison.Ordinal);
        var noProtocol = await DeltaTable.OpenAsync(Path.Combine(golden!, "deltalog-state-reconstruction-without-protocol", "delta"));
        await Assert.ThrowsAsync<DeltaProtocolException>(() => noProtocol.GetSnapshotAsync());
        var noMetadata = await DeltaTable.OpenAsync(Path.Combine(golden!, "deltalog-state-reconstruction-without-metadata", "delta"));
        await Assert.ThrowsAnyAsync<DeltaException>(() => noMetadata.GetSnapshotAsync());
        var gap = await DeltaTable.OpenAsync(Path.Combine(golden!, "versions-not-contiguous", "delta"));
        await Assert.ThrowsAsync<DeltaProtocolException>(() => gap.GetSnapshotAsync());

        // Column-mapped tables are read, but writing them is refused before anything is written (copy, to be safe).
        using var dir = new TempDir();
        var source = Path.Combine(golden!, "table-with-columnmapping-mode-name", "delta");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var mapped = await DeltaTable.OpenAsync(dir.Path);
        var schema = (await mapped.GetSnapshotAsync()).Schema;
        var write = await Assert.ThrowsAsync<DeltaUnsupportedFeatureException>(() => mapped.AppendAsync([new object?[schema.Fields.Count]]));
        Assert.Equal("columnMapping", write.Feature);
    }
}
