using MemoryPack;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Customers;

/// <summary>One contributing order of a customer, as a value.</summary>
internal readonly record struct CustomerOrderEntry(string OrderId, DateTimeOffset OrderTime, string Region, decimal Sales);

/// <summary>
/// A customer as their shard keeps them: every contributing order as a value in one array (no object per order),
/// changed in place. The shard stages the instance itself; the commit serializes it in <see cref="CustomerState"/>'s
/// stored layout (<see cref="LiveCustomerFormatter"/>), so the stored rows and their readers are those of before.
/// </summary>
internal sealed class LiveCustomer(string customerId)
{
    private CustomerOrderEntry[] orders = [];
    private string? stateKey;

    public string CustomerId { get; } = customerId;

    /// <summary>The customer's row key in the store.</summary>
    public string StateKey => stateKey ??= StateKeys.Customer(CustomerId);

    /// <summary>Number of contributing orders.</summary>
    public int Count { get; private set; }

    public ReadOnlySpan<CustomerOrderEntry> Orders => orders.AsSpan(0, Count);

    /// <summary>The customer of a stored row.</summary>
    public static LiveCustomer From(string customerId, CustomerState state)
    {
        var customer = new LiveCustomer(customerId) { orders = new CustomerOrderEntry[state.Orders.Count] };
        foreach (var (orderId, order) in state.Orders)
        {
            customer.orders[customer.Count++] = new CustomerOrderEntry(orderId, order.OrderTime, order.Region, order.Sales);
        }

        return customer;
    }

    /// <summary>Sets (or, with null, removes) one order's contribution.</summary>
    public void Set(string orderId, CustomerOrder? contribution)
    {
        var index = IndexOf(orderId);
        if (contribution is null)
        {
            if (index >= 0)
            {
                orders[index] = orders[--Count];
                orders[Count] = default;
            }

            return;
        }

        var entry = new CustomerOrderEntry(orderId, contribution.OrderTime, contribution.Region, contribution.Sales);
        if (index >= 0)
        {
            orders[index] = entry;
            return;
        }

        if (Count == orders.Length)
        {
            Array.Resize(ref orders, Math.Max(2, Count * 2));
        }

        orders[Count++] = entry;
    }

    /// <summary>
    /// The customer_metrics row over the contributing orders (null when there is none): region of the latest
    /// order (equal times resolve to the larger order id, so the answer does not depend on the orders' order),
    /// orders, sales, first and last order time.
    /// </summary>
    public CustomerMetrics? ToMetrics()
    {
        if (Count == 0)
        {
            return null;
        }

        var latest = orders[0];
        decimal sales = 0;
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        foreach (var order in Orders)
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

            var byTime = order.OrderTime.CompareTo(latest.OrderTime);
            if (byTime > 0 || (byTime == 0 && string.CompareOrdinal(order.OrderId, latest.OrderId) > 0))
            {
                latest = order;
            }
        }

        return new CustomerMetrics(CustomerId, latest.Region, Count, sales, first, last);
    }

    private int IndexOf(string orderId)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(orders[i].OrderId, orderId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// Writes a <see cref="LiveCustomer"/> as a <see cref="CustomerState"/> row: the object header of its two stored
/// members, the retired member (always null), then the orders in <see cref="CompactCustomerOrdersFormatter"/>'s
/// layout. Rows are read back as <see cref="CustomerState"/> (<see cref="LiveCustomer.From"/>), never as this type.
/// </summary>
internal sealed class LiveCustomerFormatter : MemoryPackFormatter<LiveCustomer>
{
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref LiveCustomer? value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteObjectHeader(2);
        writer.WriteNullCollectionHeader();
        writer.WriteCollectionHeader(value.Count);
        string? previousRegion = null;
        foreach (var order in value.Orders)
        {
            CompactCustomerOrdersFormatter.WriteOrder(ref writer, order.OrderId, order.OrderTime, order.Region, order.Sales, previousRegion);
            previousRegion = order.Region;
        }
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref LiveCustomer? value) =>
        throw new NotSupportedException("Customer rows are read as CustomerState; the row does not hold its customer's id.");
}
