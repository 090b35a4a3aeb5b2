using SalesPipeline.Abstractions.Model;
using SalesPipeline.Delta;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>
/// How one Gold table lands in Delta: its path under the root, schema, partition column, the row key,
/// and the conversions between the live row and the Delta row (schema order, <c>snapshot_time</c> included).
/// </summary>
internal abstract class GoldTableSpec
{
    public const string AppId = "sales-pipeline-gold";

    public abstract string Name { get; }

    /// <summary>Path under the Delta root, '/'-separated.</summary>
    public abstract string RelativePath { get; }

    public abstract DeltaSchema Schema { get; }

    /// <summary>The partition column, or null for an unpartitioned table (rewritten whole when it changes).</summary>
    public abstract string? PartitionColumn { get; }

    public static IReadOnlyList<GoldTableSpec> All(int customerBuckets) =>
        [new RegionTable(), new ProductTable(), new CustomerTable(customerBuckets)];
}

/// <summary>A typed table spec: <typeparamref name="T"/> is the live row (a record, compared by value).</summary>
internal abstract class GoldTableSpec<T> : GoldTableSpec
    where T : notnull
{
    public abstract IReadOnlyList<T> Select(CommittedGold gold);

    public abstract string Key(T row);

    /// <summary>Partition value of a row (a constant for unpartitioned tables).</summary>
    public abstract object Partition(T row);

    public abstract object?[] ToRow(T row, DateTime snapshotTime);

    public abstract T FromRow(object?[] row);

    protected static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;

    protected static DateTimeOffset FromUtc(object? value) => new((DateTime)value!, TimeSpan.Zero);
}

internal sealed class RegionTable : GoldTableSpec<RegionSales>
{
    private static readonly DeltaSchema TableSchema = new(
        new DeltaField("region", DeltaDataType.String, Nullable: false),
        new DeltaField("order_date", DeltaDataType.Date, Nullable: false),
        new DeltaField("orders", DeltaDataType.Long, Nullable: false),
        new DeltaField("units", DeltaDataType.Long, Nullable: false),
        new DeltaField("sales", DeltaDataType.Decimal(18, 2), Nullable: false),
        new DeltaField("snapshot_time", DeltaDataType.Timestamp, Nullable: false));

    public override string Name => "gold_sales_by_region";

    public override string RelativePath => "gold/sales_by_region";

    public override DeltaSchema Schema => TableSchema;

    // Days, not months: a small change rewrites the days it touched, which is what the snapshot writes most often.
    public override string? PartitionColumn => "order_date";

    public override IReadOnlyList<RegionSales> Select(CommittedGold gold) => gold.Regions;

    public override string Key(RegionSales row) => Contribution.RegionDayKey(row.Region, row.OrderDate!.Value);

    public override object Partition(RegionSales row) => row.OrderDate!.Value;

    public override object?[] ToRow(RegionSales row, DateTime snapshotTime) =>
        [row.Region, row.OrderDate!.Value, row.Orders, row.Units, row.Sales, snapshotTime];

    public override RegionSales FromRow(object?[] row) =>
        new((string)row[0]!, (DateOnly)row[1]!, (long)row[2]!, (long)row[3]!, (decimal)row[4]!);
}

internal sealed class ProductTable : GoldTableSpec<ProductSales>
{
    private static readonly DeltaSchema TableSchema = new(
        new DeltaField("product_id", DeltaDataType.String, Nullable: false),
        new DeltaField("product_name", DeltaDataType.String),
        new DeltaField("orders", DeltaDataType.Long, Nullable: false),
        new DeltaField("units", DeltaDataType.Long, Nullable: false),
        new DeltaField("sales", DeltaDataType.Decimal(18, 2), Nullable: false),
        new DeltaField("snapshot_time", DeltaDataType.Timestamp, Nullable: false));

    public override string Name => "gold_product_performance";

    public override string RelativePath => "gold/product_performance";

    public override DeltaSchema Schema => TableSchema;

    // A catalogue is small (thousands of rows): one file, rewritten when any product changed.
    public override string? PartitionColumn => null;

    public override IReadOnlyList<ProductSales> Select(CommittedGold gold) => gold.Products;

    public override string Key(ProductSales row) => row.ProductId;

    public override object Partition(ProductSales row) => "";

    public override object?[] ToRow(ProductSales row, DateTime snapshotTime) =>
        [row.ProductId, row.ProductName, row.Orders, row.Units, row.Sales, snapshotTime];

    public override ProductSales FromRow(object?[] row) =>
        new((string)row[0]!, (string?)row[1], (long)row[2]!, (long)row[3]!, (decimal)row[4]!);
}

internal sealed class CustomerTable(int buckets) : GoldTableSpec<CustomerMetrics>
{
    private static readonly DeltaSchema TableSchema = new(
        new DeltaField("customer_id", DeltaDataType.String, Nullable: false),
        new DeltaField("region", DeltaDataType.String, Nullable: false),
        new DeltaField("orders", DeltaDataType.Long, Nullable: false),
        new DeltaField("sales", DeltaDataType.Decimal(18, 2), Nullable: false),
        new DeltaField("first_order_time", DeltaDataType.Timestamp, Nullable: false),
        new DeltaField("last_order_time", DeltaDataType.Timestamp, Nullable: false),
        new DeltaField("snapshot_time", DeltaDataType.Timestamp, Nullable: false),
        new DeltaField("bucket", DeltaDataType.Integer, Nullable: false));

    public override string Name => "gold_customer_metrics";

    public override string RelativePath => "gold/customer_metrics";

    public override DeltaSchema Schema => TableSchema;

    // Customers have no natural partition; a stable hash bucket lets a change rewrite only the buckets it touched.
    public override string? PartitionColumn => "bucket";

    public override IReadOnlyList<CustomerMetrics> Select(CommittedGold gold) => gold.Customers;

    public override string Key(CustomerMetrics row) => row.CustomerId;

    public override object Partition(CustomerMetrics row) => (int)(KeyHash.Of(row.CustomerId) % (uint)buckets);

    public override object?[] ToRow(CustomerMetrics row, DateTime snapshotTime) =>
        [row.CustomerId, row.Region, row.Orders, row.Sales, Utc(row.FirstOrderTime), Utc(row.LastOrderTime), snapshotTime, Partition(row)];

    public override CustomerMetrics FromRow(object?[] row) =>
        new((string)row[0]!, (string)row[1]!, (long)row[2]!, (decimal)row[3]!, FromUtc(row[4]), FromUtc(row[5]));
}
