using MemoryPack;

namespace SalesPipeline.Grains.Domain;

/// <summary>The additive Gold measures: orders, units, sales. Differences are figures too.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.GoldFigures")]
internal readonly partial record struct GoldFigures(
    [property: Id(0)] long Orders,
    [property: Id(1)] long Units,
    [property: Id(2)] decimal Sales)
{
    [MemoryPackIgnore]
    public bool IsZero => Orders == 0 && Units == 0 && Sales == 0m;

    /// <summary>True for a Gold row some order contributes to: one whose orders went back to zero (or that only ever carried a name) is no row.</summary>
    [MemoryPackIgnore]
    public bool IsLive => Orders != 0;

    public static GoldFigures operator +(GoldFigures a, GoldFigures b) =>
        new(a.Orders + b.Orders, a.Units + b.Units, a.Sales + b.Sales);

    public static GoldFigures operator -(GoldFigures a) => new(-a.Orders, -a.Units, -a.Sales);
}

/// <summary>A change to one product's figures, with the name seen on the version that caused it.</summary>
[GenerateSerializer, Immutable, Alias("sp.ProductDelta")]
internal readonly record struct ProductDelta(
    [property: Id(0)] GoldFigures Figures,
    [property: Id(1)] string? Name,
    [property: Id(2)] DateTimeOffset NameAsOf);

/// <summary>What one order contributes to its customer's metrics; absent when it contributes nothing.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.CustomerOrder")]
internal sealed partial record CustomerOrder(
    [property: Id(0)] DateTimeOffset OrderTime,
    [property: Id(1)] string Region,
    [property: Id(2)] decimal Sales);

/// <summary>Set (or, with null, remove) one order's contribution to one customer.</summary>
[GenerateSerializer, Immutable, Alias("sp.CustomerChange")]
internal sealed record CustomerChange(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string OrderId,
    [property: Id(2)] CustomerOrder? Contribution);
