using MemoryPack;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Hosting;
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

    /// <summary>
    /// The customer_metrics row over the contributing orders (null when there is none): region of the latest
    /// order (equal times resolve to the larger order id, so the answer is deterministic), orders, sales,
    /// first and last order time.
    /// </summary>
    public CustomerMetrics? ToMetrics(string customerId)
    {
        if (Orders.Count == 0)
        {
            return null;
        }

        string? latestId = null;
        CustomerOrder? latest = null;
        decimal sales = 0;
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        foreach (var (orderId, order) in Orders)
        {
            sales += order.Sales;
            if (order.OrderTime < first)
            {
                first = order.OrderTime;
            }

            if (order.OrderTime > last)
            {
                last = order.OrderTime;
            }

            var byTime = latest is null ? 1 : order.OrderTime.CompareTo(latest.OrderTime);
            if (byTime > 0 || (byTime == 0 && string.CompareOrdinal(orderId, latestId) > 0))
            {
                latest = order;
                latestId = orderId;
            }
        }

        return new CustomerMetrics(customerId, latest!.Region, Orders.Count, sales, first, last);
    }
}

/// <summary>The metrics rows of one shard, for ranking and counting without loading every customer.</summary>
[MemoryPackable]
[GenerateSerializer, Alias("sp.CustomerRankingState")]
internal sealed partial class CustomerRankingState
{
    [Id(0)] public Dictionary<string, CustomerMetrics> Rows { get; set; } = [];
}

[GrainType("sp.customer.shard")]
internal sealed class CustomerShardGrain(EpochRowStore storage, Microsoft.Extensions.Options.IOptions<PipelineOptions> options)
    : Grain, ICustomerShardGrain
{
    /// <summary>Fixed: a customer's shard must never move, whatever the configuration.</summary>
    public const int Shards = 16;

    private RowStaging staging = null!;
    private RowCache<CustomerState> customers = null!;
    private CustomerRankingState ranking = new();

    public static int ShardOf(string customerId) => (int)(KeyHash.Of(customerId) % Shards);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        staging = storage.StagingFor("customer-shard/" + this.GetPrimaryKeyLong());
        customers = new(staging, StateKeys.Customer, options.Value.CustomerCacheSize);
        ranking = await staging.ReadAsync<CustomerRankingState>(RankingKey) ?? new CustomerRankingState();
    }

    public async Task ApplyAsync(CustomerChangeBatch batch)
    {
        foreach (var group in batch.Changes.GroupBy(c => c.CustomerId, StringComparer.Ordinal))
        {
            var customer = await customers.GetOrCreateAsync(group.Key, static () => new CustomerState());
            foreach (var change in group)
            {
                if (change.Contribution is null)
                {
                    customer.Orders.Remove(change.OrderId);
                }
                else
                {
                    customer.Orders[change.OrderId] = change.Contribution;
                }
            }

            customers.Stage(group.Key, customer);
            if (customer.ToMetrics(group.Key) is { } row)
            {
                ranking.Rows[group.Key] = row;
            }
            else
            {
                ranking.Rows.Remove(group.Key);
            }
        }

        staging.Stage(RankingKey, ranking);
    }

    public async Task<CustomerMetrics?> GetAsync(string customerId) =>
        (await customers.FindAsync(customerId))?.ToMetrics(customerId);

    public Task<CustomerMetrics[]> GetTopAsync(int? top)
    {
        IEnumerable<CustomerMetrics> ranked = ranking.Rows.Values
            .OrderByDescending(r => r.Sales)
            .ThenBy(r => r.CustomerId, StringComparer.Ordinal);
        if (top is { } n)
        {
            ranked = ranked.Take(n);
        }

        return Task.FromResult(ranked.ToArray());
    }

    public Task<int> CountAsync() => Task.FromResult(ranking.Rows.Count);

    private string RankingKey => StateKeys.Ranking((int)this.GetPrimaryKeyLong());
}
