using Orleans.Placement;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;

namespace SalesPipeline.Grains.Customers;

/// <summary>One customer: Silver (its contributing orders) and its customer_metrics row. Keyed by customer_id.</summary>
internal interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Sets or removes order contributions and returns the new metrics row, versioned.</summary>
    Task<RankedRow> ApplyAsync(CustomerChange[] changes);

    Task<CustomerMetrics?> GetAsync();
}

/// <summary>
/// A shard of the customer_metrics table for ranking queries: the rows of the customers whose id
/// hashes to it. Keyed by shard number.
/// </summary>
internal interface ICustomerRankingGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces rows that are newer than the shard's; a null row removes the customer.</summary>
    Task UpsertAsync(Dictionary<string, RankedRow> rows);

    /// <summary>The shard's best <paramref name="top"/> rows by sales (all when null).</summary>
    Task<CustomerMetrics[]> GetTopAsync(int? top);

    Task<int> CountAsync();
}

/// <summary>
/// A customer's metrics row (null: no contributing order) with the customer's change counter, so a
/// ranking shard can ignore a row that arrives after a newer one from a concurrent partition.
/// </summary>
[GenerateSerializer, Immutable, Alias("sp.RankedRow")]
internal readonly record struct RankedRow(
    [property: Id(0)] CustomerMetrics? Row,
    [property: Id(1)] long Version);

[GenerateSerializer, Alias("sp.CustomerState")]
internal sealed class CustomerState
{
    [Id(0)] public Dictionary<string, CustomerOrder> Orders { get; set; } = [];
    [Id(1)] public long Version { get; set; }

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

        var latest = Orders.First();
        foreach (var order in Orders)
        {
            var byTime = order.Value.OrderTime.CompareTo(latest.Value.OrderTime);
            if (byTime > 0 || (byTime == 0 && string.CompareOrdinal(order.Key, latest.Key) > 0))
            {
                latest = order;
            }
        }

        return new CustomerMetrics(
            customerId,
            latest.Value.Region,
            Orders.Count,
            Orders.Values.Sum(o => o.Sales),
            Orders.Values.Min(o => o.OrderTime),
            Orders.Values.Max(o => o.OrderTime));
    }
}

[GenerateSerializer, Alias("sp.CustomerRankingState")]
internal sealed class CustomerRankingState
{
    [Id(0)] public Dictionary<string, CustomerMetrics> Rows { get; set; } = [];

    /// <summary>Version of the last row applied per customer, kept also after the row is removed.</summary>
    [Id(1)] public Dictionary<string, long> Versions { get; set; } = [];
}

// Activated where its partition runs: no remote hop, and local placement is the cheapest activation.
[PreferLocalPlacement]
// Most orders and customers are touched for a few seconds; their state is staged or committed, so an idle
// activation can go after two minutes (the shortest Orleans allows) instead of Orleans' default 15 and stop weighing on memory and GC.
[CollectionAgeLimit(Minutes = 2)]
[GrainType("sp.customer")]
internal sealed class CustomerGrain(
    [PersistentState("customer", Hosting.StorageNames.Pipeline)] IPersistentState<CustomerState> state) : Grain, ICustomerGrain
{
    public async Task<RankedRow> ApplyAsync(CustomerChange[] changes)
    {
        foreach (var change in changes)
        {
            if (change.Contribution is null)
            {
                state.State.Orders.Remove(change.OrderId);
            }
            else
            {
                state.State.Orders[change.OrderId] = change.Contribution;
            }
        }

        state.State.Version++;
        await state.WriteStateAsync();
        return new RankedRow(Metrics(), state.State.Version);
    }

    public Task<CustomerMetrics?> GetAsync() => Task.FromResult(Metrics());

    private CustomerMetrics? Metrics() => state.State.ToMetrics(this.GetPrimaryKeyString());
}

[GrainType("sp.customer.ranking")]
internal sealed class CustomerRankingGrain(
    [PersistentState("ranking", Hosting.StorageNames.Pipeline)] IPersistentState<CustomerRankingState> state) : Grain, ICustomerRankingGrain
{
    public Task UpsertAsync(Dictionary<string, RankedRow> rows)
    {
        foreach (var (customerId, (row, version)) in rows)
        {
            if (state.State.Versions.TryGetValue(customerId, out var known) && known >= version)
            {
                continue;
            }

            state.State.Versions[customerId] = version;
            if (row is null)
            {
                state.State.Rows.Remove(customerId);
            }
            else
            {
                state.State.Rows[customerId] = row;
            }
        }

        return state.WriteStateAsync();
    }

    public Task<CustomerMetrics[]> GetTopAsync(int? top)
    {
        IEnumerable<CustomerMetrics> ranked = state.State.Rows.Values
            .OrderByDescending(r => r.Sales)
            .ThenBy(r => r.CustomerId, StringComparer.Ordinal);
        if (top is { } n)
        {
            ranked = ranked.Take(n);
        }

        return Task.FromResult(ranked.ToArray());
    }

    public Task<int> CountAsync() => Task.FromResult(state.State.Rows.Count);
}
