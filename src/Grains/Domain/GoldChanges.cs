using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Domain;

/// <summary>
/// The differences a batch of order changes makes downstream, merged per key: one Gold call per
/// region-day and product, one customer change per order and customer.
/// </summary>
/// <remarks>
/// A partition keeps one and clears it for each batch: its maps keep their capacity. Sized for each batch, the
/// products' map alone was a thirtieth of a csv run's allocations (and grown from empty, a twentieth).
/// </remarks>
internal sealed class GoldChanges
{
    public Dictionary<string, GoldFigures> RegionDays { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ProductDelta> Products { get; } = new(StringComparer.Ordinal);

    public List<CustomerChange> Customers { get; } = [];

    /// <summary>Forgets the previous batch's differences.</summary>
    public void Clear()
    {
        RegionDays.Clear();
        Products.Clear();
        Customers.Clear();
    }

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
