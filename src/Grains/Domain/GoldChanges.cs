using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Domain;

/// <summary>
/// The differences a batch of order changes makes downstream, merged per key: one Gold call per
/// region-day and product, one customer change per order and customer.
/// </summary>
/// <param name="records">How many records the batch has: products are sized for it up front (growing them was a twentieth of the allocations).</param>
internal sealed class GoldChanges(int records = 0)
{
    public Dictionary<string, GoldFigures> RegionDays { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ProductDelta> Products { get; } = new(Math.Min(records, 4096), StringComparer.Ordinal);

    public List<CustomerChange> Customers { get; } = [];

    /// <summary>Adds the difference between two versions of one order (retract the old, add the new).</summary>
    public void AddOrderChange(OrderEvent? before, OrderEvent? after)
    {
        Contribution.Accumulate(before, -1, RegionDays, Products);
        Contribution.Accumulate(after, +1, RegionDays, Products);

        var oldCustomer = Contribution.ForCustomer(before);
        var newCustomer = Contribution.ForCustomer(after);
        if (before?.CustomerId != after?.CustomerId)
        {
            if (oldCustomer is not null)
            {
                Customers.Add(new CustomerChange(before!.CustomerId!, before.OrderId, null));
            }

            if (newCustomer is not null)
            {
                Customers.Add(new CustomerChange(after!.CustomerId!, after.OrderId, newCustomer));
            }
        }
        else if (oldCustomer != newCustomer && after?.CustomerId is { } customerId)
        {
            Customers.Add(new CustomerChange(customerId, after.OrderId, newCustomer));
        }
    }

    /// <summary>Region-day differences that move a figure.</summary>
    public IEnumerable<KeyValuePair<string, GoldFigures>> RegionDayDeltas => RegionDays.Where(kv => !kv.Value.IsZero);

    /// <summary>Product differences that move a figure or carry a (possibly newer) name.</summary>
    public IEnumerable<KeyValuePair<string, ProductDelta>> ProductDeltas =>
        Products.Where(kv => !kv.Value.Figures.IsZero || kv.Value.Name is not null);
}
