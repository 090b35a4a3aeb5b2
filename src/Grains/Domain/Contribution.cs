using System.Runtime.InteropServices;
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

        var lines = order!.Lines;
        long units = 0;
        decimal sales = 0;
        foreach (var line in lines)
        {
            units += line.Quantity;
            sales += line.Amount;
        }

        Add(regionDays, RegionDayKey(order.Region, order.OrderDate), new GoldFigures(sign, sign * units, sign * sales));

        // An order counts once per product however many of its lines name it. Orders have a handful of
        // lines: a product's figures are summed where it first appears, by scanning the lines after it.
        var asOf = order.EventTime ?? order.OrderTime;
        for (var i = 0; i < lines.Length; i++)
        {
            var productId = lines[i].ProductId;
            if (SeenBefore(lines, i, productId))
            {
                continue;
            }

            long productUnits = 0;
            decimal productSales = 0;
            string? name = null;
            for (var j = i; j < lines.Length; j++)
            {
                var line = lines[j];
                if (string.Equals(line.ProductId, productId, StringComparison.Ordinal))
                {
                    productUnits += line.Quantity;
                    productSales += line.Amount;
                    name ??= line.ProductName;
                }
            }

            var figures = new GoldFigures(sign, sign * productUnits, sign * productSales);
            ref var existing = ref CollectionsMarshal.GetValueRefOrAddDefault(products, productId, out _);
            var keepName = sign > 0 && name is not null ? name : existing.Name;
            var keepAsOf = sign > 0 && name is not null ? asOf : existing.NameAsOf;
            existing = new ProductDelta(existing.Figures + figures, keepName, keepAsOf);
        }
    }

    private static bool SeenBefore(OrderLine[] lines, int index, string productId)
    {
        for (var k = 0; k < index; k++)
        {
            if (string.Equals(lines[k].ProductId, productId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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

        decimal sales = 0;
        foreach (var line in order.Lines)
        {
            sales += line.Amount;
        }

        return new CustomerOrder(order.OrderTime, order.Region, sales);
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
        ref var existing = ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        existing += figures;
    }
}
