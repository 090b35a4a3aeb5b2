using SalesPipeline.Abstractions.Model;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// An expectation with the <c>fail</c> action on a csv source: the source stops at the failing record (the records
/// before it stay applied, nothing from it on is taken, later files wait), and goes on once the file is replaced
/// (read again from its start) or removed. Expected Gold is recomputed by <see cref="LineReferenceModel"/> from the
/// rows that must count, and checked against hand-computed totals.
/// </summary>
public sealed class LineSourceFailTests
{
    private static readonly (string Name, string Condition, string Action) NoBulk = ("no_bulk", "quantity < 100", "fail");

    private static readonly string[] A =
    [
        "A1,P1,2,10.00,2026-03-01 09:00,C1,EMEA",
        "A1,P2,1,5.50,2026-03-01 09:00,C1,EMEA",
        "A2,P1,3,10.00,2026-03-01 11:30,C2,NA",
    ];

    /// <summary>Row <see cref="BadRow"/> orders 500 units; with 3-row chunks it is the second row of the second chunk.</summary>
    private static readonly string[] B =
    [
        "B1,P3,4,2.25,2026-03-02 08:00,C1,EMEA",
        "B1,P1,1,10.00,2026-03-02 08:00,C1,EMEA",
        "B2,P2,2,5.50,2026-03-02 10:00,C3,APAC",
        "B3,P3,1,2.25,2026-03-02 12:00,C2,NA",
        "B3,P1,500,10.00,2026-03-02 12:00,C2,NA",
        "B4,P2,6,5.50,2026-03-02 13:00,C3,APAC",
    ];

    private const int BadRow = 5;

    private static readonly string[] BFixed = [.. B[..(BadRow - 1)], "B3,P1,5,10.00,2026-03-02 12:00,C2,NA", .. B[BadRow..]];

    private static readonly string[] C =
    [
        "C1,P2,2,5.50,2026-03-03 09:00,C4,EMEA",
        "C1,P3,8,2.25,2026-03-03 09:00,C4,EMEA",
    ];

    [Fact]
    public async Task CsvSource_FailExpectation_StopsAtTheRecordSurvivesRestartAndResumesWhenTheFileIsReplaced()
    {
        using var temp = new TempFolder();
        var landing = Publish(temp);
        var data = Path.Combine(temp.Path, "data");
        var settings = TestLanding.CsvSource(landing, chunkLines: 3, NoBulk);

        await using (var first = await PipelineCluster.StartAsync(data, settings))
        {
            await AssertStoppedAsync(first, temp);
        }

        // The stop is committed: after a restart the source is still held at the same record and nothing is read again.
        await using var cluster = await PipelineCluster.StartAsync(data, settings);
        await AssertStoppedAsync(cluster, temp);

        TestLanding.Publish(landing, "b.csv", TestLanding.Csv(TestLanding.Header, BFixed));
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        var source = Assert.Single(status.Sources);
        Assert.Null(source.Error);
        Assert.Empty(source.Problems);
        Assert.Equal((3, 3), (source.FilesSeen, source.FilesCompleted));
        var expected = await ReferenceAsync(temp, "replaced", ("a.csv", A), ("b.csv", BFixed), ("c.csv", C));

        // The replaced file is read again from its start: its first rows are read, evaluated and applied a second
        // time (each replacing itself, same line key), so the counters include them twice and Gold once.
        Assert.Equal(expected.Read + (BadRow - 1), source.RecordsRead);
        Assert.Equal(expected.Applied + (BadRow - 1), source.Applied);
        Assert.Equal(0, source.Dropped + source.Quarantined + source.Duplicates + source.Stale + source.InFlight);
        Assert.True(source.Balanced);
        Assert.Equal(("no_bulk", "fail", (long)(A.Length + BadRow + BFixed.Length + C.Length), 1L), RuleOf(source));
        await LineSourceChecks.AssertGoldAsync(cluster.Query, expected);

        // By hand: the stopped state's 87.75 plus B3's corrected line (5 × 10.00), B4 (6 × 5.50) and C1 (2 × 5.50 + 8 × 2.25).
        var regions = await cluster.Query.GetRegionSalesAsync(null, null, byDay: false);
        Assert.Equal((7L, 14L + 5 + 6 + 10, 199.75m), (regions.Sum(r => r.Orders), regions.Sum(r => r.Units), regions.Sum(r => r.Sales)));
        var b3 = await cluster.Query.GetOrderAsync("B3");
        Assert.Equal([(1, 2.25m), (5, 50.00m)], b3!.Current!.Lines.Select(l => (l.Quantity, l.Amount)));
        Assert.Empty(await cluster.Query.GetQuarantineAsync(null, 100));
    }

    [Fact]
    public async Task CsvSource_FailExpectation_FileRemoved_SourceGoesOnWithTheNextFile()
    {
        using var temp = new TempFolder();
        var landing = Publish(temp);
        await using var cluster = await PipelineCluster.StartAsync(Path.Combine(temp.Path, "data"), TestLanding.CsvSource(landing, chunkLines: 3, NoBulk));
        await AssertStoppedAsync(cluster, temp);

        File.Delete(Path.Combine(landing, "b.csv"));
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        var source = Assert.Single(status.Sources);
        Assert.Null(source.Error);
        Assert.Empty(source.Problems);

        // What b.csv applied before the failing record stays; c.csv is read once the source goes on.
        var expected = await ReferenceAsync(temp, "removed", ("a.csv", A), ("b.csv", B[..(BadRow - 1)]), ("c.csv", C));
        LineSourceChecks.AssertCounters(source, expected);
        Assert.Equal(("no_bulk", "fail", (long)(A.Length + BadRow + C.Length), 1L), RuleOf(source));
        await LineSourceChecks.AssertGoldAsync(cluster.Query, expected);

        var regions = await cluster.Query.GetRegionSalesAsync(null, null, byDay: false);
        Assert.Equal((6L, 14L + 10, 87.75m + 29.00m), (regions.Sum(r => r.Orders), regions.Sum(r => r.Units), regions.Sum(r => r.Sales)));

        // The operator publishes the corrected file again under the same name (rm + cp): it is read from
        // its start, and its first rows, applied before the stop, keep their identity and do not count twice.
        TestLanding.Publish(landing, "b.csv", TestLanding.Csv(TestLanding.Header, BFixed));
        status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));
        var republished = await ReferenceAsync(temp, "republished", ("a.csv", A), ("b.csv", BFixed), ("c.csv", C));
        await LineSourceChecks.AssertGoldAsync(cluster.Query, republished);
        Assert.Equal((long)(A.Length + (BadRow - 1) + C.Length + BFixed.Length), Assert.Single(status.Sources).RecordsRead);
    }

    private static string Publish(TempFolder temp)
    {
        var landing = Path.Combine(temp.Path, "landing");
        TestLanding.Publish(landing, "a.csv", TestLanding.Csv(TestLanding.Header, A));
        TestLanding.Publish(landing, "b.csv", TestLanding.Csv(TestLanding.Header, B));
        TestLanding.Publish(landing, "c.csv", TestLanding.Csv(TestLanding.Header, C));
        return landing;
    }

    /// <summary>The source is held at b.csv row <see cref="BadRow"/>: a.csv and the rows before it count, nothing else.</summary>
    private static async Task AssertStoppedAsync(PipelineCluster cluster, TempFolder temp)
    {
        var status = await cluster.WaitForSourceStoppedAsync("test", TimeSpan.FromMinutes(1));
        Assert.False(status.CaughtUp);
        Assert.Null(status.Error);
        var source = Assert.Single(status.Sources);
        Assert.NotNull(source.Error);
        Assert.Contains("'no_bulk'", source.Error, StringComparison.Ordinal);
        Assert.Contains("b.csv", source.Error, StringComparison.Ordinal);
        Assert.Contains($"record {BadRow}", source.Error, StringComparison.Ordinal);

        var expected = await ReferenceAsync(temp, "stopped", ("a.csv", A), ("b.csv", B[..(BadRow - 1)]));
        LineSourceChecks.AssertCounters(source, expected);

        // The failing record was evaluated (and failed); the row after it in the same chunk was not.
        Assert.Equal(("no_bulk", "fail", (long)(A.Length + BadRow), 1L), RuleOf(source));
        Assert.Equal((3, 1), (source.FilesSeen, source.FilesCompleted));
        Assert.Empty(await cluster.Query.GetQuarantineAsync(null, 100));
        await LineSourceChecks.AssertGoldAsync(cluster.Query, expected);

        // By hand: A1 25.50, A2 30.00, B1 19.00, B2 11.00 and B3's first line 2.25; B4 and c.csv not read.
        var regions = await cluster.Query.GetRegionSalesAsync(null, null, byDay: false);
        Assert.Equal((5L, 14L, 87.75m), (regions.Sum(r => r.Orders), regions.Sum(r => r.Units), regions.Sum(r => r.Sales)));
        var b3 = await cluster.Query.GetOrderAsync("B3");
        Assert.Equal(RecordOutcome.Applied, Assert.Single(b3!.Bronze).Outcome);
        Assert.Equal(2.25m, Assert.Single(b3.Current!.Lines).Amount);
        Assert.Null(await cluster.Query.GetOrderAsync("B4"));
        Assert.Null(await cluster.Query.GetOrderAsync("C1"));
    }

    private static (string, string, long, long) RuleOf(SourceStatus source)
    {
        var rule = Assert.Single(source.Rules);
        Assert.Equal(rule.Evaluated, rule.Passed + rule.Failed);
        return (rule.Name, rule.Action, rule.Evaluated, rule.Failed);
    }

    /// <summary>The recomputation over the files as they must count, written to a folder of their own.</summary>
    private static Task<LineReferenceModel> ReferenceAsync(TempFolder temp, string name, params (string File, string[] Rows)[] files)
    {
        var folder = Path.Combine(temp.Path, "expected-" + name);
        foreach (var (file, rows) in files)
        {
            TestLanding.Publish(folder, file, TestLanding.Csv(TestLanding.Header, rows));
        }

        return LineReferenceModel.FromFolderAsync(folder, "csv", TestLanding.Mapping, TestLanding.TimestampFormat, "UTC", []);
    }
}
