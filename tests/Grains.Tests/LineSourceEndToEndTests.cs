using SalesPipeline.Abstractions.Model;
using SalesPipeline.Generator;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// Generated csv and parquet order-line exports with dirty rows of every kind, read by a mapped source with
/// declared expectations on a TestCluster: Gold, counters and quarantine against <see cref="LineReferenceModel"/>.
/// </summary>
public sealed class LineSourceEndToEndTests
{
    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task LineSource_GeneratedDirtyExports_GoldCountersAndQuarantineMatchRecomputation(string format)
    {
        using var temp = new TempFolder();
        var landing = Path.Combine(temp.Path, "landing");
        var summary = new OrderGenerator(new GeneratorOptions(1500, landing, DirtyRate: 0.08, Seed: 7, Files: 4,
            Format: format == "csv" ? GeneratorFormat.Csv : GeneratorFormat.Parquet)).Write();
        Assert.True(summary.Files.Count >= 4);

        var expected = await LineReferenceModel.FromFolderAsync(landing, format, LineExportGenerator.Mapping, LineExportGenerator.TimestampFormat, LineSourceChecks.TimeZone,
            LineSourceChecks.ReferenceRules);
        Assert.True(expected.Dropped > 0 && expected.Quarantined > 0 && expected.Warnings > 0,
            $"the data set exercises every action: dropped {expected.Dropped}, quarantined {expected.Quarantined}, warnings {expected.Warnings}, read {expected.Read}");

        await using var cluster = await PipelineCluster.StartAsync(Path.Combine(temp.Path, "data"), LineSourceChecks.GeneratedExportSettings(format, landing));
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));

        var source = Assert.Single(status.Sources);
        Assert.Equal(expected.Read, source.RecordsRead);
        Assert.Equal(expected.Applied, source.Applied);
        Assert.Equal(expected.Dropped, source.Dropped);
        Assert.Equal(expected.Quarantined, source.Quarantined);
        Assert.Equal(0, source.Duplicates + source.Stale + source.InFlight);
        Assert.True(source.Balanced);
        Assert.Equal(expected.NewColumns, source.NewColumns);
        Assert.Equal(
            LineSourceChecks.Rules.Select(r => (r.Name, r.Action, expected.RuleCounts[r.Name].Evaluated, expected.RuleCounts[r.Name].Evaluated - expected.RuleCounts[r.Name].Failed, expected.RuleCounts[r.Name].Failed)),
            source.Rules.Select(r => (r.Name, r.Action, r.Evaluated, r.Passed, r.Failed)));

        var quarantine = await cluster.Query.GetQuarantineAsync("test", int.MaxValue);
        Assert.Equal(expected.Quarantined, quarantine.Length);
        Assert.Equal(expected.QuarantinedByRule.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            quarantine.Where(q => q.Rule is not null).GroupBy(q => q.Rule!).Select(g => KeyValuePair.Create(g.Key, (long)g.Count())).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.All(quarantine, q => Assert.False(string.IsNullOrEmpty(q.Raw)));

        await LineSourceChecks.AssertGoldAsync(cluster.Query, expected);
    }
}

/// <summary>A temporary folder removed at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sp-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
