using System.Diagnostics;
using System.Runtime.InteropServices;
using MemoryPack;
using Microsoft.Extensions.Logging;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Customers;

/// <summary>
/// The customers whose id hashes to one shard: their Silver state (contributing orders) and their
/// customer_metrics rows. Keyed by shard number; a customer's shard never moves.
/// </summary>
internal interface ICustomerShardGrain : IGrainWithIntegerKey
{
    /// <summary>Sets or removes order contributions, in order.</summary>
    Task ApplyAsync(CustomerChangeBatch batch);

    /// <summary>One customer's metrics row, or null when no order of theirs contributes.</summary>
    Task<CustomerMetrics?> GetAsync(string customerId);

    /// <summary>The shard's best <paramref name="top"/> rows by sales (all when null).</summary>
    Task<CustomerMetrics[]> GetTopAsync(int? top);

    /// <summary>Customers with a metrics row.</summary>
    Task<int> CountAsync();
}

/// <summary>Changes for the customers of one shard.</summary>
[GenerateSerializer, Immutable, Alias("sp.CustomerChangeBatch")]
internal sealed record CustomerChangeBatch([property: Id(0)] CustomerChange[] Changes);

/// <summary>
/// A customer's stored row, as it is read: its contributing orders by order id. Shards keep customers as
/// <see cref="LiveCustomer"/> and write them in this layout.
/// </summary>
[MemoryPackable]
[GenerateSerializer, Alias("sp.CustomerState")]
internal sealed partial class CustomerState
{
    /// <summary>
    /// Orders as MemoryPack objects: how rows stored them before <see cref="CompactCustomerOrdersFormatter"/>. Read from
    /// such rows, always written empty (null) now; it keeps its place in the layout so both kinds of row decode.
    /// </summary>
    [MemoryPackInclude]
    private Dictionary<string, CustomerOrder>? OrdersAsObjects
    {
        get => null;
        set => Orders = value ?? Orders;
    }

    /// <summary>The customer's contributing orders, by order id.</summary>
    [MemoryPackIgnore]
    [Id(0)] public Dictionary<string, CustomerOrder> Orders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The orders in their compact stored form (the last member: rows written before it end without it).</summary>
    [MemoryPackInclude]
    [CompactCustomerOrders]
    private Dictionary<string, CustomerOrder>? StoredOrders
    {
        get => Orders;
        set => Orders = value ?? Orders;
    }
}

/// <summary>
/// The customers of one shard, every one of them live in memory (<see cref="LiveCustomer"/>: a few hundred bytes
/// each, their orders as values): a change is a lookup and an in-place update, the staging keeps the instance and
/// the commit serializes it once per epoch. Rankings and counts are computed from them, not kept apart. Cached in
/// their stored form, decoded and encoded again at every change, with a ranking row beside them, customers were
/// about a quarter of a csv run's CPU (docs/benchmarks.md). The shard loads its customers when it is activated: the
/// committed rows under the customers' prefix whose id hashes to it, then what an earlier activation staged.
/// </summary>
[GrainType("sp.customer.shard")]
internal sealed partial class CustomerShardGrain(EpochRowStore storage, ILogger<CustomerShardGrain> logger)
    : Grain, ICustomerShardGrain
{
    /// <summary>Fixed: a customer's shard must never move, whatever the configuration.</summary>
    public const int Shards = 16;

    private readonly Dictionary<string, LiveCustomer> customers = new(StringComparer.Ordinal);
    private RowStaging staging = null!;

    /// <summary>Customers with at least one contributing order (those with a metrics row).</summary>
    private int contributing;

    public static int ShardOf(string customerId) => (int)(KeyHash.Of(customerId) % Shards);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var shard = (int)this.GetPrimaryKeyLong();
        var started = Stopwatch.GetTimestamp();
        staging = storage.StagingFor("customer-shard/" + shard);

        // Taken before the committed rows are read: a write that completes meanwhile moves rows from the staging to
        // the store, and they must be found in one of the two. Staged instances are newer than committed rows.
        var staged = staging.StagedInstances<LiveCustomer>();
        await foreach (var (customerId, payload) in storage.ReadCommittedRowsAsync(StateKeys.CustomerPrefix, id => ShardOf(id) == shard))
        {
            customers[customerId] = LiveCustomer.From(customerId, storage.Decode<CustomerState>(payload));
        }

        foreach (var customer in staged)
        {
            customers[customer.CustomerId] = customer;
        }

        contributing = customers.Values.Count(c => c.Count > 0);
        LogLoaded(logger, shard, customers.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task ApplyAsync(CustomerChangeBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            ref var customer = ref CollectionsMarshal.GetValueRefOrAddDefault(customers, change.CustomerId, out _);
            customer ??= new LiveCustomer(change.CustomerId);
            var before = customer.Count > 0;
            customer.Set(change.OrderId, change.Contribution);
            contributing += (customer.Count > 0 ? 1 : 0) - (before ? 1 : 0);
            staging.Stage(customer.StateKey, customer);
        }

        return Task.CompletedTask;
    }

    public Task<CustomerMetrics?> GetAsync(string customerId) =>
        Task.FromResult(customers.TryGetValue(customerId, out var customer) ? customer.ToMetrics() : null);

    public Task<CustomerMetrics[]> GetTopAsync(int? top)
    {
        IEnumerable<CustomerMetrics> ranked = customers.Values
            .Select(c => c.ToMetrics())
            .OfType<CustomerMetrics>()
            .OrderByDescending(r => r.Sales)
            .ThenBy(r => r.CustomerId, StringComparer.Ordinal);
        if (top is { } n)
        {
            ranked = ranked.Take(n);
        }

        return Task.FromResult(ranked.ToArray());
    }

    public Task<int> CountAsync() => Task.FromResult(contributing);

    [LoggerMessage(1, LogLevel.Debug, "Customer shard {Shard} loaded {Customers} customers in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, int shard, int customers, double milliseconds);
}
