using SalesPipeline.Generator;
using SalesPipeline.Grains.Tests;
using Xunit;
using Xunit.Abstractions;

namespace SalesPipeline.EndToEnd.Tests;

/// <summary>A csv line source in a silo process killed mid-file: the restart resumes at the committed row, exactly.</summary>
public sealed class LineSourceProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-proc-csv-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task SiloProcess_KilledWithSigkillMidCsvFile_RestartLosesAndDoublesNothing()
    {
        var landing = Path.Combine(root, "landing");
        var data = Path.Combine(root, "data");
        new OrderGenerator(new GeneratorOptions(7200, landing, DirtyRate: 0.05, Seed: 17, Files: 1, Format: GeneratorFormat.Csv)).Write();
        var expected = await LineReferenceModel.FromFolderAsync(landing, "csv", LineExportGenerator.Mapping, LineExportGenerator.TimestampFormat,
            LineSourceChecks.TimeZone, LineSourceChecks.ReferenceRules);
        Assert.InRange(expected.Read, 18_000, 25_000);

        // The source as command-line settings; later arguments override earlier ones.
        string[] source = [.. LineSourceChecks.GeneratedExportSettings("csv", landing, "gen").Select(kv => $"--{kv.Key}={kv.Value}")];
        var port = Build.FreePort();

        long readAtKill;
        await using (var silo = SiloProcess.Start(data, landing, port, [.. source,
            "--SalesPipeline:ChunkLines=50", "--SalesPipeline:MaxChunksInFlight=1", "--SalesPipeline:CommitInterval=00:00:00.300"]))
        {
            await using var client = await SdkClient.ConnectAsync(silo.Gateway, TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            long epoch;
            do
            {
                await Task.Delay(20);
                var status = await client.Client.GetStatusAsync();
                (readAtKill, epoch) = (status.Sources[0].RecordsRead, status.CommittedEpoch);
            }
            while ((readAtKill < expected.Read / 10 || epoch < 2) && DateTime.UtcNow < deadline);

            // Two epochs committed from an empty data directory: at least one of them holds a position inside the file.
            await silo.KillAsync();
            Assert.True(epoch >= 2, $"no mid-file commit before the kill (epoch {epoch})");
        }

        output.WriteLine($"killed after {readAtKill} of {expected.Read} rows");
        Assert.InRange(readAtKill, expected.Read / 10, expected.Read * 9 / 10);

        await using var restarted = SiloProcess.Start(data, landing, port, source);
        await using var after = await SdkClient.ConnectAsync(restarted.Gateway, TimeSpan.FromMinutes(1));
        var final = await after.WaitForCaughtUpAsync(TimeSpan.FromMinutes(3));

        var resumed = Assert.Single(final.Sources);
        LineSourceChecks.AssertCounters(resumed, expected);
        LineSourceChecks.AssertRuleCounters(resumed, expected);
        Assert.Equal(expected.Quarantined, (await after.Client.GetQuarantineAsync("gen", 100_000)).Count);
        await LineSourceChecks.AssertGoldAsync(after.Query, expected);
        await restarted.StopAsync();
    }
}
