using MemoryPack;

namespace SalesPipeline.Abstractions.Model;

/// <summary>A row of sales_by_region; <see cref="OrderDate"/> is null when summed over a date range.</summary>
[GenerateSerializer, Immutable, Alias("sp.RegionSales")]
public sealed record RegionSales(
    [property: Id(0)] string Region,
    [property: Id(1)] DateOnly? OrderDate,
    [property: Id(2)] long Orders,
    [property: Id(3)] long Units,
    [property: Id(4)] decimal Sales);

/// <summary>A row of product_performance.</summary>
[GenerateSerializer, Immutable, Alias("sp.ProductSales")]
public sealed record ProductSales(
    [property: Id(0)] string ProductId,
    [property: Id(1)] string? ProductName,
    [property: Id(2)] long Orders,
    [property: Id(3)] long Units,
    [property: Id(4)] decimal Sales);

/// <summary>A row of customer_metrics, over the customer's currently contributing orders.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.CustomerMetrics")]
public sealed partial record CustomerMetrics(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Region,
    [property: Id(2)] long Orders,
    [property: Id(3)] decimal Sales,
    [property: Id(4)] DateTimeOffset FirstOrderTime,
    [property: Id(5)] DateTimeOffset LastOrderTime);

/// <summary>One order: its Silver current version (null if no valid version arrived) and its Bronze log.</summary>
[GenerateSerializer, Immutable, Alias("sp.OrderView")]
public sealed record OrderView(
    [property: Id(0)] string OrderId,
    [property: Id(1)] OrderEvent? Current,
    [property: Id(2)] BronzeEntry[] Bronze);
