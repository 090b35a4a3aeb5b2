using SalesPipeline.Generator;
using Xunit;
using Xunit.Abstractions;

namespace SalesPipeline.Grains.Tests;

/// <summary>A silo stopped gracefully in the middle of one large csv file resumes at the committed row: Gold and counters exact.</summary>
public sealed class LineSourceRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CsvSource_StoppedMidFileAndRestarted_GoldAndCountersExact()
    {
        using var temp = new TempFolder();
        var landing = Path.Combine(temp.Path, "landing");
        var data = Path.Combine(temp.Path, "data");
        var summary = new OrderGenerator(new GeneratorOptions(7200, landing, DirtyRate: 0.05, Seed: 13, Files: 1, Format: GeneratorFormat.Csv)).Write();
        Assert.Single(summary.Files);
        var expected = await LineReferenceModel.FromFolderAsync(landing, "csv", LineExportGenerator.Mapping, LineExportGenerator.TimestampFormat,
            LineSourceChecks.TimeZone, LineSourceChecks.ReferenceRules);
        Assert.InRange(expected.Read, 18_000, 25_000);
        Assert.True(expected.Dropped > 0 && expected.Quarantined > 0, "the file exercises the rules");

        // Small chunks, several in flight: the stop lands mid-file and must drain them before it commits.
        var settings = LineSourceChecks.GeneratedExportSettings("csv", landing);
        settings["SalesPipeline:ChunkLines"] = "100";
        settings["SalesPipeline:MaxChunksInFlight"] = "3";
        long readAtStop;
        await using (var first = await PipelineCluster.StartAsync(data, settings))
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            do
            {
                await Task.Delay(20);
                readAtStop = (await first.Query.GetStatusAsync()).Sources[0].RecordsRead;
            }
            while (readAtStop < expected.Read / 10 && DateTime.UtcNow < deadline);
        }

        output.WriteLine($"stopped after {readAtStop} of {expected.Read} rows");
        Assert.InRange(readAtStop, expected.Read / 10, expected.Read * 9 / 10);

        // Restarted with larger chunks: the position is a row, not a chunk.
        settings["SalesPipeline:ChunkLines"] = "700";
        await using var second = await PipelineCluster.StartAsync(data, settings);
        var resumed = (await second.Query.GetStatusAsync()).Sources[0];
        Assert.True(resumed.RecordsRead >= readAtStop, $"a graceful stop commits everything read ({resumed.RecordsRead} < {readAtStop})");
        var status = await second.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));

        var source = Assert.Single(status.Sources);
        LineSourceChecks.AssertCounters(source, expected);
        LineSourceChecks.AssertRuleCounters(source, expected);
        Assert.Equal(expected.Quarantined, (await second.Query.GetQuarantineAsync("test", int.MaxValue)).Length);
        await LineSourceChecks.AssertGoldAsync(second.Query, expected);
    }
}
