using SalesPipeline.Cli.Commands;
using Xunit;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary><c>sales sql</c> over snapshot tables holding independently recomputed Gold.</summary>
public sealed class SqlCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-lake-sql-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Sql_SeedValidationQuery_EqualsRecomputedRegionTotals()
    {
        var model = SyntheticGold.Generate(Path.Combine(root, "in"), 1200, seed: 5);
        var delta = Path.Combine(root, "delta");
        await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), SyntheticGold.From(model, 1));

        var result = await SqlCommands.RunAsync(
            "SELECT region, SUM(sales) AS total_sales FROM gold_sales_by_region GROUP BY region ORDER BY region", delta, [], CancellationToken.None);

        var expected = model.RegionDays().GroupBy(kv => kv.Key.Region).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(kv => kv.Value.Sales))).ToList();
        Assert.Equal(["region", "total_sales"], result.Columns);
        Assert.Equal(expected, result.Rows.Select(r => ((string)r[0]!, (decimal)r[1]!)).ToList());

        var counts = await SqlCommands.RunAsync(
            "SELECT (SELECT COUNT(*) FROM gold_sales_by_region), (SELECT COUNT(*) FROM gold_product_performance), (SELECT COUNT(*) FROM gold_customer_metrics)",
            delta, [], CancellationToken.None);
        Assert.Equal(new object?[] { (long)model.RegionDays().Count, (long)model.Products().Count, (long)model.Customers().Count }, counts.Rows[0]);
    }

    [Fact]
    public async Task Sql_TableOptionAndBadSql_RegistersViewAndReportsDuckDbErrorWithNonZeroExit()
    {
        var delta = Path.Combine(root, "delta");
        await SyntheticGold.WriteAsync(SyntheticGold.Writers(delta), SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in"), 300, seed: 6), 1));
        var extra = await SqlCommands.RunAsync("SELECT COUNT(*) FROM p", Path.Combine(root, "nothing"),
            [("p", Path.Combine(delta, "gold/product_performance"))], CancellationToken.None);
        Assert.True((long)extra.Rows[0][0]! > 0);

        var error = await Assert.ThrowsAsync<CliException>(() => SqlCommands.RunAsync("SELEC region FROM gold_sales_by_region", delta, [], CancellationToken.None));
        Assert.Contains("Parser Error", error.Message, StringComparison.Ordinal);

        // Through the real command line: DuckDB's message on stderr and exit code 1.
        var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        try
        {
            var entry = typeof(SqlCommands).Assembly.EntryPoint!;
            var exit = await Task.Run(() => (int)entry.Invoke(null, [new[] { "sql", "SELECT nope FROM gold_sales_by_region", "--delta-root", delta }])!);
            Assert.Equal(1, exit);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("Binder Error", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryRegions_AsOfVersion_AnswersFromThatTableVersion()
    {
        var delta = Path.Combine(root, "delta");
        var writers = SyntheticGold.Writers(delta);
        var first = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in1"), 400, seed: 7), 1);
        var second = SyntheticGold.From(SyntheticGold.Generate(Path.Combine(root, "in2"), 700, seed: 8), 2);
        await SyntheticGold.WriteAsync(writers, first);
        await SyntheticGold.WriteAsync(writers, second);

        var v1 = await RunCliAsync("query", "regions", "--as-of-version", "1", "--json", "--delta-root", delta);
        var latest = await RunCliAsync("query", "regions", "--as-of", DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"), "--json", "--delta-root", delta);

        Assert.Equal(0, v1.Exit);
        Assert.Equal(Totals(first), ParseTotals(v1.Output));
        Assert.Equal(Totals(second), ParseTotals(latest.Output));
        Assert.NotEqual(Totals(first), Totals(second));
    }

    private static List<(string, long, decimal)> Totals(Grains.Snapshots.CommittedGold gold) =>
        [.. gold.Regions.GroupBy(r => r.Region).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => r.Orders), g.Sum(r => r.Sales)))];

    private static List<(string, long, decimal)> ParseTotals(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => (e.GetProperty("region").GetString()!, e.GetProperty("orders").GetInt64(), e.GetProperty("sales").GetDecimal()))];
    }

    private static async Task<(int Exit, string Output)> RunCliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(stdout);
        try
        {
            var entry = typeof(SqlCommands).Assembly.EntryPoint!;
            var exit = await Task.Run(() => (int)entry.Invoke(null, [args])!);
            return (exit, stdout.ToString());
        }
        finally
        {
            Console.SetOut(previous);
        }
    }
}
