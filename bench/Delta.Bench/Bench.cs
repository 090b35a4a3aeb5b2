using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace SalesPipeline.Delta.Bench;

/// <summary>Write/append/read throughput of the Delta library, against DuckDB's COPY … TO parquet of the same rows.</summary>
internal static class Bench
{
    private static readonly DeltaSchema Schema = new(
        new DeltaField("order_id", DeltaDataType.Long, Nullable: false),
        new DeltaField("customer", DeltaDataType.String),
        new DeltaField("region", DeltaDataType.String),
        new DeltaField("quantity", DeltaDataType.Integer),
        new DeltaField("price", DeltaDataType.Decimal(18, 2)),
        new DeltaField("discount", DeltaDataType.Double),
        new DeltaField("shipped", DeltaDataType.Boolean),
        new DeltaField("ordered_at", DeltaDataType.Timestamp));

    public static async Task<int> RunAsync(string[] args)
    {
        var rowsTotal = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var root = Path.Combine(Path.GetTempPath(), "delta-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var rows = MakeRows(rowsTotal, 0);
            var results = new List<(string Step, long Rows, TimeSpan Time)>();

            var sw = Stopwatch.StartNew();
            var t1 = await DeltaTable.CreateAsync(Path.Combine(root, "one-shot"), Schema);
            await t1.AppendAsync(rows);
            results.Add(($"write {rowsTotal:N0} rows × 8 columns, one commit", rowsTotal, sw.Elapsed));

            var t2 = await DeltaTable.CreateAsync(Path.Combine(root, "appends"), Schema);
            sw.Restart();
            var batch = rowsTotal / 100;
            for (var i = 0; i < 100; i++) await t2.AppendAsync(MakeRows(batch, i * batch));
            results.Add(($"100 appends of {batch:N0} rows (checkpoint every 10)", 100L * batch, sw.Elapsed));

            sw.Restart();
            var snapshot = await t2.GetSnapshotAsync();
            long read = 0;
            await foreach (var _ in snapshot.ReadRowsAsync()) read++;
            results.Add(($"read latest snapshot (v{snapshot.Version}, {snapshot.Files.Count} files)", read, sw.Elapsed));

            var duck = await DuckDbCopyAsync(rows, Path.Combine(root, "duck.parquet"));
            results.Add(("DuckDB COPY … TO parquet, same rows", rowsTotal, duck));

            Console.WriteLine("| step | rows | seconds | rows/s | × DuckDB COPY time |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (step, n, time) in results)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {step} | {n:N0} | {time.TotalSeconds:0.00} | {n / time.TotalSeconds:N0} | {(time.TotalSeconds / duck.TotalSeconds * rowsTotal / n):0.0} |"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static List<object?[]> MakeRows(int count, int offset)
    {
        var regions = new[] { "EU", "US", "APAC", "LATAM" };
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var list = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            var id = offset + i;
            list.Add([
                (long)id, $"customer-{id % 50_000}", regions[id % 4], id % 10 + 1, Math.Round((id % 100_000) / 100m + 0.99m, 2),
                id % 7 == 0 ? null : (id % 20) / 100.0, id % 3 == 0, start.AddSeconds(id),
            ]);
        }
        return list;
    }

    private static async Task<TimeSpan> DuckDbCopyAsync(List<object?[]> rows, string target)
    {
        using var conn = new DuckDBConnection("Data Source=:memory:");
        await conn.OpenAsync();
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "CREATE TABLE t (order_id BIGINT NOT NULL, customer VARCHAR, region VARCHAR, quantity INTEGER, price DECIMAL(18,2), discount DOUBLE, shipped BOOLEAN, ordered_at TIMESTAMPTZ)";
            await cmd.ExecuteNonQueryAsync();
        }
        using (var appender = conn.CreateAppender("t"))
        {
            foreach (var r in rows)
            {
                var row = appender.CreateRow();
                row.AppendValue((long)r[0]!).AppendValue((string)r[1]!).AppendValue((string)r[2]!).AppendValue((int)r[3]!).AppendValue((decimal)r[4]!);
                if (r[5] is double d) row.AppendValue(d); else row.AppendNullValue();
                row.AppendValue((bool)r[6]!).AppendValue(new DateTimeOffset((DateTime)r[7]!)).EndRow();
            }
        }
        var sw = Stopwatch.StartNew();
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = $"COPY t TO '{target}' (FORMAT parquet, COMPRESSION snappy)";
            await cmd.ExecuteNonQueryAsync();
        }
        return sw.Elapsed;
    }
}
