using DuckDB.NET.Data;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Delta;
using SalesPipeline.Generator;
using SalesPipeline.Grains.Tests;
using SalesPipeline.Tests.Shared;
using Xunit;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary>Bronze and Silver exports of the committed epoch, read back by our reader and by DuckDB, against status and the recomputation.</summary>
public sealed class LayerExportTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-export-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Export_BronzeAndSilver_CountsEqualStatusAndSilverEqualsRecomputation()
    {
        var landing = Path.Combine(root, "landing");
        new OrderGenerator(new GeneratorOptions(1500, landing, DirtyRate: 0.1, Seed: 4, Files: 3)).Write();
        var expected = ReferenceModel.FromFolder(landing);
        await using var cluster = await PipelineCluster.StartWithSourceAsync(Path.Combine(root, "data"), landing);
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(2));

        var bronzePath = Path.Combine(root, "export", "bronze");
        var bronze = await cluster.Cluster.Client.GetGrain<ILayerExportGrain>("bronze").ExportAsync("bronze", bronzePath, null);
        Assert.Equal(status.BronzeRecords, bronze.Records);
        Assert.Equal(status.CommittedEpoch, bronze.Epoch);
        var bronzeRows = await (await (await DeltaTable.OpenAsync(bronzePath)).GetSnapshotAsync()).ReadAllAsync();
        Assert.Equal(expected.Lines, bronzeRows.Count);
        Assert.Equal(expected.Bad, bronzeRows.Count(r => (string)r[6]! == "quarantined"));
        Assert.Equal(expected.Duplicates, bronzeRows.Count(r => (string)r[6]! == "duplicate"));
        Assert.Equal(expected.Stale, bronzeRows.Count(r => (string)r[6]! == "stale"));

        // Bronze keeps every record as received: its raw texts are the files' lines.
        var fileLines = Directory.GetFiles(landing, "*.jsonl").SelectMany(File.ReadAllLines).Where(l => l.Trim().Length > 0).Order(StringComparer.Ordinal);
        Assert.Equal(fileLines, bronzeRows.Select(r => (string)r[5]!).Order(StringComparer.Ordinal));

        var silverPath = Path.Combine(root, "export", "silver");
        await cluster.Cluster.Client.GetGrain<ILayerExportGrain>("silver").ExportAsync("silver", silverPath, null);
        var silverRows = await (await (await DeltaTable.OpenAsync(silverPath)).GetSnapshotAsync()).ReadAllAsync();
        Assert.Equal(expected.Current.Values.Sum(e => e.Items.Count), silverRows.Count);
        var contributing = expected.RegionDays().Values;
        Assert.Equal(contributing.Sum(v => v.Sales), silverRows.Where(r => (bool)r[18]!).Sum(r => (decimal)r[17]!));
        Assert.Equal(contributing.Sum(v => v.Units), silverRows.Where(r => (bool)r[18]!).Sum(r => (long)(int)r[14]!));

        // An independent reader over the files the log lists sees the same rows.
        await using var duck = new DuckDBConnection("Data Source=:memory:");
        await duck.OpenAsync();
        var files = (await (await DeltaTable.OpenAsync(silverPath)).GetSnapshotAsync()).Files.Select(f => Path.Combine(silverPath, f.Path));
        await using var command = duck.CreateCommand();
        command.CommandText = $"SELECT COUNT(*), SUM(line_amount) FILTER (WHERE contributes) FROM read_parquet([{string.Join(", ", files.Select(f => $"'{f}'"))}])";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(silverRows.Count, Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(contributing.Sum(v => v.Sales), Convert.ToDecimal(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));

        // Gold: a fresh snapshot's tables copied at that version equal live Gold.
        var goldPath = Path.Combine(root, "export", "gold");
        Assert.Equal(0, await SalesPipeline.Cli.Commands.ExportCommands.ExportGoldAsync(cluster.Cluster.Client, goldPath, CancellationToken.None));
        var regionRows = await (await (await DeltaTable.OpenAsync(Path.Combine(goldPath, "sales_by_region"))).GetSnapshotAsync()).ReadAllAsync();
        var live = await cluster.Query.GetRegionSalesAsync(null, null, byDay: true);
        Assert.Equal(live.Select(r => (r.Region, r.OrderDate!.Value, r.Orders, r.Units, r.Sales)).OrderBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.Value),
            regionRows.Select(r => ((string)r[0]!, (DateOnly)r[1]!, (long)r[2]!, (long)r[3]!, (decimal)r[4]!)).OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2));
        var customerRows = await (await (await DeltaTable.OpenAsync(Path.Combine(goldPath, "customer_metrics"))).GetSnapshotAsync()).ReadAllAsync();
        Assert.Equal(expected.Customers().Count, customerRows.Count);
        var productRows = await (await (await DeltaTable.OpenAsync(Path.Combine(goldPath, "product_performance"))).GetSnapshotAsync()).ReadAllAsync();
        Assert.Equal(expected.Products().Values.Sum(p => p.Sales), productRows.Sum(r => (decimal)r[4]!));

        // A rerun replaces the table whole: one consistent export.
        await cluster.Cluster.Client.GetGrain<ILayerExportGrain>("bronze").ExportAsync("bronze", bronzePath, null);
        Assert.Equal(expected.Lines, (await (await (await DeltaTable.OpenAsync(bronzePath)).GetSnapshotAsync()).ReadAllAsync()).Count);
    }
}
