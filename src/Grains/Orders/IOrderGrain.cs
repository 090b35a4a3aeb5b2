using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Orders;

/// <summary>One order: its Bronze log and Silver current version. Keyed by order_id.</summary>
internal interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>
    /// Appends the records to Bronze, de-duplicates them, keeps the newest version in Silver and returns
    /// the difference the change makes to Gold and to the customer. Records arrive in file order.
    /// </summary>
    Task<OrderApplyResult> ApplyAsync(RawRecord[] records);

    /// <summary>The order's Silver state and Bronze log, or null when nothing arrived for it.</summary>
    Task<OrderView?> GetAsync();
}

/// <summary>What applying records to an order did, and the differences to push downstream.</summary>
/// <remarks>Immutable once returned (the grain builds a new one per call), so calls pass it without a deep copy.</remarks>
[GenerateSerializer, Immutable, Alias("sp.OrderApplyResult")]
internal sealed class OrderApplyResult
{
    [Id(0)] public int Applied { get; set; }
    [Id(1)] public int Duplicates { get; set; }
    [Id(2)] public int Stale { get; set; }
    [Id(3)] public int Quarantined { get; set; }
    [Id(4)] public Dictionary<string, GoldFigures>? RegionDays { get; set; }
    [Id(5)] public Dictionary<string, ProductDelta>? Products { get; set; }
    [Id(6)] public List<CustomerChange>? Customers { get; set; }
}

/// <summary>Persistent state of an order grain.</summary>
[GenerateSerializer, Alias("sp.OrderState")]
internal sealed class OrderState
{
    [Id(0)] public List<BronzeEntry> Bronze { get; set; } = [];
    [Id(1)] public HashSet<string> EventIds { get; set; } = [];
    [Id(2)] public OrderEvent? Current { get; set; }
}
