using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace SalesPipeline.Delta.Tests;

/// <summary>The data files our log lists, read by an independent Parquet reader (DuckDB), hold what our reader returns.</summary>
public sealed class DuckDbCrossCheckTests
{
    [Fact]
    public async Task WrittenTable_FilesListedByLog_ReadByDuckDbEqualOurReader()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema, ["region"], options: new DeltaTableOptions { CheckpointInterval = 2 });
        await table.AppendAsync(WriterReaderTests.RowsFor("EU", 20).Concat(WriterReaderTests.RowsFor(null, 5, 100)).ToList());
        await table.AppendAsync(WriterReaderTests.RowsFor("a b%c", 7, 200));
        await table.OverwriteAsync(WriterReaderTests.RowsFor("EU", 4, 300), DeltaPartitionFilter.Where("region", "EU"));
        var snapshot = await table.GetSnapshotAsync();
        var ours = await snapshot.ReadAllAsync();

        using var conn = new DuckDBConnection("Data Source=:memory:");
        await conn.OpenAsync();
        var duck = new List<object?[]>();
        foreach (var file in snapshot.Files)
        {
            var local = Path.Combine(dir.Path, Uri.UnescapeDataString(file.Path));
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT \"id\", \"name\", \"qty\", \"ratio\", \"price\", \"active\", \"day\", \"at\" FROM read_parquet('{local.Replace("'", "''", StringComparison.Ordinal)}')";
            var before = duck.Count;
            using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new object?[9];
                for (var i = 0; i < 8; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                if (row[6] is DateTime d) row[6] = DateOnly.FromDateTime(d);
                row[8] = file.PartitionValues["region"];
                duck.Add(row);
            }
            // Stats in the log agree with DuckDB's count.
            Assert.Equal(file.NumRecords, duck.Count - before);
        }
        Assert.Equal(Rows.CanonRows(ours), Rows.CanonRows(duck));
        // The checkpoint is a valid Parquet file for an independent reader too.
        using var cp = conn.CreateCommand();
        cp.CommandText = $"SELECT count(*) FROM read_parquet('{Path.Combine(dir.Path, "_delta_log", $"{2:D20}.checkpoint.parquet")}') WHERE add IS NOT NULL";
        Assert.True(Convert.ToInt64(await cp.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task WrittenFile_Stats_MatchDataAndUseProtocolFormats()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, WriterReaderTests.Schema, ["region"]);
        var rows = WriterReaderTests.RowsFor("EU", 10);
        rows[3][1] = null;
        await table.AppendAsync(rows);
        var add = File.ReadAllLines(Path.Combine(dir.Path, "_delta_log", $"{1:D20}.json")).Select(l => JsonNode.Parse(l)!.AsObject()).Single(o => o.ContainsKey("add"));
        var stats = JsonNode.Parse((string)add["add"]!["stats"]!)!.AsObject();
        Assert.Equal(10, (int)stats["numRecords"]!);
        Assert.Equal(0L, (long)stats["minValues"]!["id"]!);
        Assert.Equal(9L, (long)stats["maxValues"]!["id"]!);
        Assert.Equal(1, (int)stats["nullCount"]!["name"]!);
        Assert.Equal("2024-01-01", (string)stats["minValues"]!["day"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)stats["minValues"]!["at"]!);
        Assert.Equal(12.34m, (decimal)stats["minValues"]!["price"]!);
        Assert.False(stats["minValues"]!.AsObject().ContainsKey("region"));
    }
}
