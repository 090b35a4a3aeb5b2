namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// Keys of the rows in the pipeline store. Orders and customers are one row each, written by the shard
/// that owns them; the readers of committed data (exports, Gold snapshots) select rows by these prefixes.
/// </summary>
internal static class StateKeys
{
    public const string OrderPrefix = "order/sp.order/";
    public const string CustomerPrefix = "customer/sp.customer/";
    public const string GoldPrefix = "gold/";
    public const string RegionDayPrefix = "gold/sp.gold.region-day/";
    public const string ProductPrefix = "gold/sp.gold.product/";
    public const string BronzePrefix = "bronze/";

    public static string Order(string orderId) => OrderPrefix + orderId;

    /// <summary>Chunk numbers grow across runs; zero-padded so the keys sort in reading order.</summary>
    public static string BronzeChunk(long chunk) => BronzePrefix + chunk.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public static string Customer(string customerId) => CustomerPrefix + customerId;
}
