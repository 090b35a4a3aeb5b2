using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using SalesPipeline.Delta;

namespace SalesPipeline.Cli.Commands;

/// <summary>
/// Registers Delta tables as DuckDB views. The files come from our own Delta reader (the table's active
/// files at a version), not from DuckDB's directory listing, so removed and uncommitted files are never
/// read. Partition values are not stored in Delta data files: each partition's files are read with its
/// values from the log added as typed literals, and the view lists the columns in table-schema order.
/// </summary>
internal static class DeltaViews
{
    /// <summary>The project's tables: view name and path under the Delta root.</summary>
    public static readonly IReadOnlyList<(string Name, string RelativePath)> Known =
    [
        ("gold_sales_by_region", "gold/sales_by_region"),
        ("gold_product_performance", "gold/product_performance"),
        ("gold_customer_metrics", "gold/customer_metrics"),
        ("silver_order_lines", "silver/order_lines"),
        ("bronze_records", "bronze/records"),
        ("quarantine", "quarantine"),
    ];

    public static bool IsDeltaTable(string path) => Directory.Exists(Path.Combine(path, "_delta_log"));

    /// <summary>Creates (or replaces) view <paramref name="name"/> over the table's latest version.</summary>
    public static async Task RegisterAsync(DuckDBConnection connection, string name, string tablePath, CancellationToken cancellationToken)
    {
        var table = await DeltaTable.OpenAsync(tablePath, cancellationToken: cancellationToken);
        var snapshot = await table.GetSnapshotAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE OR REPLACE VIEW {Quote(name)} AS {ViewSql(snapshot, tablePath)}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A SELECT over exactly the snapshot's files, columns in schema order.</summary>
    public static string ViewSql(DeltaSnapshot snapshot, string tablePath)
    {
        var fields = snapshot.Schema.Fields;
        var partitions = snapshot.PartitionColumns;
        var columns = string.Join(", ", fields.Select(f => Quote(f.Name)));
        if (snapshot.Files.Count == 0)
        {
            var empty = string.Join(", ", fields.Select(f => $"CAST(NULL AS {SqlType(f.Type)}) AS {Quote(f.Name)}"));
            return $"SELECT {empty} WHERE false";
        }

        var parts = new List<string>();
        foreach (var group in snapshot.Files.GroupBy(f => string.Join('\u0001', partitions.Select(p => f.PartitionValues.GetValueOrDefault(p) ?? "\u0000"))))
        {
            var first = group.First();
            var files = string.Join(", ", group.Select(f => Literal(Path.Combine(tablePath, Uri.UnescapeDataString(f.Path)))));
            var values = partitions.Select(p =>
            {
                var field = fields.First(f => string.Equals(f.Name, p, StringComparison.OrdinalIgnoreCase));
                var value = first.PartitionValues.GetValueOrDefault(p);
                var literal = string.IsNullOrEmpty(value) ? "NULL" : Literal(value);
                return $", CAST({literal} AS {SqlType(field.Type)}) AS {Quote(field.Name)}";
            });
            // hive_partitioning off: the values come from the log (already unescaped and typed), not from folder names.
            parts.Add($"SELECT {columns} FROM (SELECT *{string.Concat(values)} FROM read_parquet([{files}], hive_partitioning = false, union_by_name = true))");
        }

        return string.Join("\nUNION ALL\n", parts);
    }

    private static string SqlType(DeltaDataType type) => type switch
    {
        DeltaDecimalType d => $"DECIMAL({d.Precision},{d.Scale})",
        _ => type.TypeName switch
        {
            "string" => "VARCHAR",
            "long" => "BIGINT",
            "integer" => "INTEGER",
            "short" => "SMALLINT",
            "byte" => "TINYINT",
            "float" => "FLOAT",
            "double" => "DOUBLE",
            "boolean" => "BOOLEAN",
            "binary" => "BLOB",
            "date" => "DATE",
            "timestamp" => "TIMESTAMPTZ",
            "timestamp_ntz" => "TIMESTAMP",
            var other => throw new CliException($"column type '{other}' cannot be mapped to DuckDB"),
        },
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
