using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Domain;

/// <summary>
/// What an order version contributes to Gold, and the difference between two versions. Gold only ever
/// receives differences: the old version's contribution is retracted and the new one added.
/// </summary>
internal static class Contribution
{
    /// <summary>An order contributes when it is not cancelled or refunded and has at least one line.</summary>
    public static bool Contributes(OrderEvent? order) => order is { Contributes: true, Lines.Length: > 0 };

    /// <summary>Grain key of a sales_by_region row: region and order date.</summary>
    public static string RegionDayKey(string region, DateOnly date) => $"{region}|{date:yyyy-MM-dd}";

    public static (string Region, DateOnly Date) ParseRegionDayKey(string key)
    {
        var bar = key.LastIndexOf('|');
        return (key[..bar], DateOnly.ParseExact(key[(bar + 1)..], "yyyy-MM-dd"));
    }

    /// <summary>Adds <paramref name="sign"/> × the contribution of <paramref name="order"/> to the difference maps.</summary>
    public static void Accumulate(
        OrderEvent? order,
        int sign,
        Dictionary<string, GoldFigures> regionDays,
        Dictionary<string, ProductDelta> products)
    {
        if (!Contributes(order))
        {
            // A version that contributes nothing (cancelled, refunded) still tells the products' names.
            if (sign > 0 && order is not null)
            {
                AccumulateNames(order, products);
            }

            return;
        }

        long units = 0;
        decimal sales = 0;
        foreach (var line in order!.Lines)
        {
            units += line.Quantity;
            sales += line.Amount;
        }

        Add(regionDays, RegionDayKey(order.Region, order.OrderDate), new GoldFigures(sign, sign * units, sign * sales));

        // An order counts once per product however many of its lines name it.
        foreach (var group in order.Lines.GroupBy(l => l.ProductId, StringComparer.Ordinal))
        {
            long productUnits = 0;
            decimal productSales = 0;
            string? name = null;
            foreach (var line in group)
            {
                productUnits += line.Quantity;
                productSales += line.Amount;
                name ??= line.ProductName;
            }

            var figures = new GoldFigures(sign, sign * productUnits, sign * productSales);
            var asOf = order.EventTime ?? order.OrderTime;
            products.TryGetValue(group.Key, out var existing);
            var keepName = sign > 0 && name is not null ? name : existing.Name;
            var keepAsOf = sign > 0 && name is not null ? asOf : existing.NameAsOf;
            products[group.Key] = new ProductDelta(existing.Figures + figures, keepName, keepAsOf);
        }
    }

    private static void AccumulateNames(OrderEvent order, Dictionary<string, ProductDelta> products)
    {
        var asOf = order.EventTime ?? order.OrderTime;
        foreach (var line in order.Lines)
        {
            if (line.ProductName is null)
            {
                continue;
            }

            products.TryGetValue(line.ProductId, out var existing);
            if (existing.Name is null)
            {
                products[line.ProductId] = existing with { Name = line.ProductName, NameAsOf = asOf };
            }
        }
    }

    /// <summary>The customer-side contribution of an order version, or null when it contributes nothing.</summary>
    public static CustomerOrder? ForCustomer(OrderEvent? order)
    {
        if (!Contributes(order) || order!.CustomerId is null)
        {
            return null;
        }

        return new CustomerOrder(order.OrderTime, order.Region, order.Lines.Sum(l => l.Amount));
    }

    /// <summary>
    /// Total order of versions: higher sequence wins; ties go to the later event_time (absent is
    /// earliest), then to the larger event_id (ordinal).
    /// </summary>
    public static bool IsNewer(OrderEvent candidate, OrderEvent current)
    {
        if (candidate.Sequence != current.Sequence)
        {
            return candidate.Sequence > current.Sequence;
        }

        var a = candidate.EventTime ?? DateTimeOffset.MinValue;
        var b = current.EventTime ?? DateTimeOffset.MinValue;
        if (a != b)
        {
            return a > b;
        }

        return string.CompareOrdinal(candidate.EventId, current.EventId) > 0;
    }

    private static void Add(Dictionary<string, GoldFigures> map, string key, GoldFigures figures)
    {
        map.TryGetValue(key, out var existing);
        map[key] = existing + figures;
    }
}
