using MemoryPack;

namespace SalesPipeline.Abstractions.Model;

/// <summary>Order lifecycle states of the input contract (docs/order-events.md).</summary>
[GenerateSerializer, Alias("sp.OrderStatus")]
public enum OrderStatus
{
    Placed = 0,
    Paid = 1,
    Shipped = 2,
    Delivered = 3,
    Cancelled = 4,
    Refunded = 5,
}

/// <summary>A cleansed, validated snapshot of one order at one version (Silver).</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.OrderEvent")]
public sealed partial record OrderEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required long Sequence { get; init; }
    [Id(3)] public DateTimeOffset? EventTime { get; init; }
    [Id(4)] public required DateTimeOffset OrderTime { get; init; }
    [Id(5)] public required OrderStatus Status { get; init; }
    [Id(6)] public string? CustomerId { get; init; }
    [Id(7)] public required string Region { get; init; }
    [Id(8)] public string? Country { get; init; }
    [Id(9)] public required string Currency { get; init; }
    [Id(10)] public string? Channel { get; init; }
    [Id(11)] public required OrderLine[] Lines { get; init; }

    /// <summary>Fields the contract does not know, kept as their raw JSON text (rescued data).</summary>
    [Id(12)] public Dictionary<string, string>? Rescued { get; init; }

    /// <summary>A cancelled or refunded order contributes nothing to Gold.</summary>
    [MemoryPackIgnore]
    public bool Contributes => Status is not (OrderStatus.Cancelled or OrderStatus.Refunded);

    /// <summary>
    /// Calendar date of the order time at its offset: UTC for order events (their times are normalized to
    /// UTC), the source's time zone for line sources.
    /// </summary>
    [MemoryPackIgnore]
    public DateOnly OrderDate => DateOnly.FromDateTime(OrderTime.DateTime);
}

/// <summary>One item of an order, with its amount converted to the base currency.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.OrderLine")]
public sealed partial record OrderLine
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public string? ProductName { get; init; }
    [Id(2)] public required int Quantity { get; init; }
    [Id(3)] public required decimal UnitPrice { get; init; }
    [Id(4)] public required decimal Discount { get; init; }

    /// <summary>(quantity × unit_price − discount) × rate to the base currency, rounded half away from zero to cents.</summary>
    [Id(5)] public required decimal Amount { get; init; }

    [Id(6)] public Dictionary<string, string>? Rescued { get; init; }
}
