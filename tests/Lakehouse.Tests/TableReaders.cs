using DuckDB.NET.Data;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Delta;

namespace SalesPipeline.Lakehouse.Tests;

/// <summary>
/// Reads the snapshot tables back twice, independently: with the project's Delta reader, and with DuckDB's
/// read_parquet over the files the Delta log lists (partition values taken from the listing).
/// </summary>
internal static class TableReaders
{
    public static async Task<GoldRows> ReadWithDeltaAsync(string root, long? version = null)
    {
        async Task<IReadOnlyList<object?[]>> Read(string relative)
        {
            var table = await DeltaTable.OpenAsync(Path.Combine(root, relative));
            var snapshot = version is { } v ? await table.GetSnapshotAsync(v) : await table.GetSnapshotAsync();
            return await snapshot.ReadAllAsync();
        }

        var regions = (await Read("gold/sales_by_region")).Select(r => new RegionSales((string)r[0]!, (DateOnly)r[1]!, (long)r[2]!, (long)r[3]!, (decimal)r[4]!));
        var products = (await Read("gold/product_performance")).Select(r => new ProductSales((string)r[0]!, (string?)r[1], (long)r[2]!, (long)r[3]!, (decimal)r[4]!));
        var customers = (await Read("gold/customer_metrics")).Select(r => new CustomerMetrics(
            (string)r[0]!, (string)r[1]!, (long)r[2]!, (decimal)r[3]!, new DateTimeOffset((DateTime)r[4]!), new DateTimeOffset((DateTime)r[5]!)));
        return GoldRows.Of(regions, products, customers);
    }

    public static async Task<GoldRows> ReadWithDuckDbAsync(string root)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();

        var regions = new List<RegionSales>();
        foreach (var (file, partition) in await FilesAsync(root, "gold/sales_by_region"))
        {
            var date = DateOnly.Parse(partition["order_date"]!, System.Globalization.CultureInfo.InvariantCulture);
            await foreach (var r in QueryAsync(connection, $"SELECT region, orders, units, sales FROM read_parquet('{file}', hive_partitioning = false)"))
            {
                regions.Add(new RegionSales((string)r[0]!, date, (long)r[1]!, (long)r[2]!, (decimal)r[3]!));
            }
        }

        var products = new List<ProductSales>();
        foreach (var (file, _) in await FilesAsync(root, "gold/product_performance"))
        {
            await foreach (var r in QueryAsync(connection, $"SELECT product_id, product_name, orders, units, sales FROM read_parquet('{file}')"))
            {
                products.Add(new ProductSales((string)r[0]!, (string?)r[1], (long)r[2]!, (long)r[3]!, (decimal)r[4]!));
            }
        }

        var customers = new List<CustomerMetrics>();
        foreach (var (file, _) in await FilesAsync(root, "gold/customer_metrics"))
        {
            var sql = $"SELECT customer_id, region, orders, sales, epoch_us(first_order_time), epoch_us(last_order_time) FROM read_parquet('{file}', hive_partitioning = false)";
            await foreach (var r in QueryAsync(connection, sql))
            {
                customers.Add(new CustomerMetrics((string)r[0]!, (string)r[1]!, (long)r[2]!, (decimal)r[3]!, FromMicros((long)r[4]!), FromMicros((long)r[5]!)));
            }
        }

        return GoldRows.Of(regions, products, customers);
    }

    public static async Task<IReadOnlyList<(string File, IReadOnlyDictionary<string, string?> Partition)>> FilesAsync(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        var snapshot = await (await DeltaTable.OpenAsync(path)).GetSnapshotAsync();
        return [.. snapshot.Files.Select(f => (Path.Combine(path, Uri.UnescapeDataString(f.Path)), f.PartitionValues))];
    }

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private static async IAsyncEnumerable<object?[]> QueryAsync(DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            yield return row;
        }
    }
}

/// <summary>The three Gold tables in a canonical order, comparable with Assert.Equal.</summary>
internal sealed record GoldRows(RegionSales[] Regions, ProductSales[] Products, CustomerMetrics[] Customers)
{
    public static GoldRows Of(IEnumerable<RegionSales> regions, IEnumerable<ProductSales> products, IEnumerable<CustomerMetrics> customers) => new(
        [.. regions.OrderBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.OrderDate)],
        [.. products.OrderBy(p => p.ProductId, StringComparer.Ordinal)],
        [.. customers.Select(c => c with { FirstOrderTime = c.FirstOrderTime.ToUniversalTime(), LastOrderTime = c.LastOrderTime.ToUniversalTime() })
            .OrderBy(c => c.CustomerId, StringComparer.Ordinal)]);

    public static async Task<GoldRows> LiveAsync(SalesPipeline.Abstractions.Grains.IGoldQueryGrain query) => Of(
        await query.GetRegionSalesAsync(null, null, byDay: true),
        await query.GetTopProductsAsync(null),
        await query.GetTopCustomersAsync(null));

    /// <summary>Exact equality, row by row, with the first difference in the message.</summary>
    public void AssertEqual(GoldRows actual, string what)
    {
        Xunit.Assert.True(Regions.SequenceEqual(actual.Regions), $"{what}: sales_by_region differs: {First(Regions, actual.Regions)}");
        Xunit.Assert.True(Products.SequenceEqual(actual.Products), $"{what}: product_performance differs: {First(Products, actual.Products)}");
        Xunit.Assert.True(Customers.SequenceEqual(actual.Customers), $"{what}: customer_metrics differs: {First(Customers, actual.Customers)}");
    }

    private static string First<T>(T[] expected, T[] actual)
    {
        for (var i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            if (!Equals(expected[i], actual[i]))
            {
                return $"row {i}: expected {expected[i]}, got {actual[i]}";
            }
        }

        return $"counts {expected.Length} vs {actual.Length}";
    }
}
