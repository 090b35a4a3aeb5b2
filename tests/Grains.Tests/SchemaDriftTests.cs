using SalesPipeline.Abstractions.Model;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// Schema drift on a csv source: columns no mapping names are reported once and kept per line as rescued data;
/// a file lacking a mapped required column has every row quarantined, and the source goes on with the next file.
/// </summary>
public sealed class SchemaDriftTests
{
    [Fact]
    public async Task CsvSource_ExtraColumnsAndMissingRequiredColumn_RescuedReportedQuarantinedAndGoesOn()
    {
        using var temp = new TempFolder();
        var landing = Path.Combine(temp.Path, "landing");

        // a.csv and b.csv carry unmapped columns (promo in both, gift_wrap in b.csv), in different places.
        TestLanding.Publish(landing, "a.csv", TestLanding.Csv("order_id,product_id,qty,unit_price,promo,order_time,customer_id,region",
            "D1,P1,2,3.00,SPRING,2026-04-01 10:00,C1,EMEA",
            "D1,P2,1,7.25,,2026-04-01 10:00,C1,EMEA",
            "D2,P1,4,3.00,VIP,2026-04-01 12:00,C2,NA"));
        TestLanding.Publish(landing, "b.csv", TestLanding.Csv("order_id,product_id,qty,unit_price,order_time,customer_id,region,promo,gift_wrap",
            "D5,P3,10,1.00,2026-04-01 18:00,C2,NA,,yes",
            "D5,P1,1,3.00,2026-04-01 18:00,C2,NA,SPRING,"));

        // c.csv lacks the quantity column: every row is quarantined, D1's row too (D1 keeps its two lines of a.csv).
        TestLanding.Publish(landing, "c.csv", TestLanding.Csv("order_id,product_id,unit_price,order_time,customer_id,region",
            "D3,P1,3.00,2026-04-02 09:00,C3,APAC",
            "D3,P2,7.25,2026-04-02 09:00,C3,APAC",
            "D1,P3,1.00,2026-04-02 09:00,C1,EMEA"));
        TestLanding.Publish(landing, "d.csv", TestLanding.Csv("order_id,product_id,qty,unit_price,order_time,customer_id,region",
            "D4,P2,3,7.25,2026-04-02 15:00,C3,APAC"));

        var settings = TestLanding.CsvSource(landing, chunkLines: 2);
        settings["SalesPipeline:Sources:test:Columns:quantity"] = "qty";
        var mapping = new Dictionary<string, string>(TestLanding.Mapping) { ["quantity"] = "qty" };
        var expected = await LineReferenceModel.FromFolderAsync(landing, "csv", mapping, TestLanding.TimestampFormat, "UTC", []);

        await using var cluster = await PipelineCluster.StartAsync(Path.Combine(temp.Path, "data"), settings);
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        var source = Assert.Single(status.Sources);
        Assert.Equal(["gift_wrap", "promo"], source.NewColumns);
        Assert.Equal((4, 4), (source.FilesSeen, source.FilesCompleted));
        Assert.Equal((9L, 6L, 3L, 0L), (source.RecordsRead, source.Applied, source.Quarantined, source.Dropped));
        LineSourceChecks.AssertCounters(source, expected);
        Assert.Empty(source.Problems);

        var quarantine = await cluster.Query.GetQuarantineAsync("test", 100);
        Assert.Equal([("c.csv", 1L, "D3"), ("c.csv", 2L, "D3"), ("c.csv", 3L, "D1")], quarantine.Select(q => (q.Origin.File, q.Origin.Line, q.OrderId!)));
        Assert.All(quarantine, q =>
        {
            Assert.Null(q.Rule);
            Assert.Contains("'qty'", q.Reason, StringComparison.Ordinal);
            Assert.Contains("quantity", q.Reason, StringComparison.Ordinal);
        });

        // Rescued values per line (empty values are not kept); lines are in key order: file, then row.
        var d1 = await cluster.Query.GetOrderAsync("D1");
        Assert.Equal([RecordOutcome.Applied, RecordOutcome.Applied, RecordOutcome.Quarantined], d1!.Bronze.Select(b => b.Outcome));
        Assert.Equal(2, d1.Current!.Lines.Length);
        Assert.Equal(new Dictionary<string, string> { ["promo"] = "SPRING" }, d1.Current.Lines[0].Rescued);
        Assert.Null(d1.Current.Lines[1].Rescued);
        Assert.Equal(new Dictionary<string, string> { ["promo"] = "VIP" }, Assert.Single((await cluster.Query.GetOrderAsync("D2"))!.Current!.Lines).Rescued);
        var d5 = (await cluster.Query.GetOrderAsync("D5"))!.Current!;
        Assert.Equal(new Dictionary<string, string> { ["gift_wrap"] = "yes" }, d5.Lines[0].Rescued);
        Assert.Equal(new Dictionary<string, string> { ["promo"] = "SPRING" }, d5.Lines[1].Rescued);
        var d3 = await cluster.Query.GetOrderAsync("D3");
        Assert.Null(d3!.Current);
        Assert.Equal(2, d3.Bronze.Length);
        Assert.All(d3.Bronze, b => Assert.Contains("'qty'", b.Reason, StringComparison.Ordinal));

        await LineSourceChecks.AssertGoldAsync(cluster.Query, expected);

        // By hand: D1 EMEA 2 × 3.00 + 7.25; D2 NA 4 × 3.00 and D5 NA 10 × 1.00 + 3.00; D4 (d.csv, after the rejected file) APAC 3 × 7.25.
        Assert.Equal(
            [("APAC", new DateOnly(2026, 4, 2), 1L, 3L, 21.75m), ("EMEA", new DateOnly(2026, 4, 1), 1L, 3L, 13.25m), ("NA", new DateOnly(2026, 4, 1), 2L, 15L, 25.00m)],
            (await cluster.Query.GetRegionSalesAsync(null, null, byDay: true)).Select(r => (r.Region, r.OrderDate!.Value, r.Orders, r.Units, r.Sales)).OrderBy(r => r.Region, StringComparer.Ordinal));
    }
}
