using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using Xunit;

namespace SalesPipeline.Grains.Tests;

public sealed class ContributionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);

    private static OrderEvent Event(string id, long sequence, int minute, OrderStatus status, string region, int dayShift, params (string Product, int Quantity, decimal Amount)[] lines) => new()
    {
        EventId = id,
        OrderId = "o-1",
        Sequence = sequence,
        EventTime = T0.AddMinutes(minute),
        OrderTime = T0.AddDays(dayShift),
        Status = status,
        CustomerId = "c-1",
        Region = region,
        Currency = "USD",
        Lines = [.. lines.Select(l => new OrderLine { ProductId = l.Product, Quantity = l.Quantity, UnitPrice = l.Amount, Discount = 0, Amount = l.Amount })],
    };

    [Fact]
    public void IsNewer_TiesOnSequence_BreakByEventTimeThenEventId()
    {
        var a = Event("e-a", 2, 5, OrderStatus.Paid, "EMEA", 0);
        var b = Event("e-b", 2, 5, OrderStatus.Paid, "EMEA", 0);
        var later = Event("e-0", 2, 6, OrderStatus.Paid, "EMEA", 0);
        var higher = Event("e-0", 3, 0, OrderStatus.Paid, "EMEA", 0);

        Assert.True(Contribution.IsNewer(b, a));
        Assert.False(Contribution.IsNewer(a, b));
        Assert.True(Contribution.IsNewer(later, b));
        Assert.True(Contribution.IsNewer(higher, later));
        Assert.False(Contribution.IsNewer(a, a));
    }

    [Fact]
    public void Accumulate_Cancellation_RetractsEverything()
    {
        var placed = Event("e-1", 1, 0, OrderStatus.Placed, "EMEA", 0, ("p-1", 2, 10m), ("p-1", 1, 5m), ("p-2", 1, 3m));
        var cancelled = placed with { EventId = "e-2", Sequence = 2, Status = OrderStatus.Cancelled };
        var regions = new Dictionary<string, GoldFigures>();
        var products = new Dictionary<string, ProductDelta>();

        Contribution.Accumulate(placed, +1, regions, products);
        Assert.Equal(new GoldFigures(1, 4, 18m), regions["EMEA|2026-03-01"]);
        Assert.Equal(new GoldFigures(1, 3, 15m), products["p-1"].Figures); // one order however many lines
        Contribution.Accumulate(placed, -1, regions, products);
        Contribution.Accumulate(cancelled, +1, regions, products);

        Assert.All(regions.Values, f => Assert.True(f.IsZero));
        Assert.All(products.Values, p => Assert.True(p.Figures.IsZero));
        Assert.Null(Contribution.ForCustomer(cancelled));
    }

    /// <summary>
    /// Whatever order versions arrive in (duplicates and stale ones included), the current version is the
    /// newest, and the differences Gold received add up to exactly the current version's contribution.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Versions_InAnyArrivalOrder_GoldEqualsContributionOfNewest()
    {
        var version =
            from sequence in Gen.Choose(0, 3)
            from minute in Gen.Choose(0, 2)
            from status in Gen.Elements(OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Cancelled, OrderStatus.Refunded)
            from region in Gen.Elements("EMEA", "NA")
            from day in Gen.Choose(0, 1)
            from quantity in Gen.Choose(1, 3)
            select (sequence, minute, status, region, day, quantity);
        var arrivals = version.ListOf().Select(list => list.Select((v, i) => Event(
            $"e-{i % 4}", v.sequence, v.minute, v.status, v.region, v.day, ("p-" + v.quantity, v.quantity, v.quantity * 1.5m))).ToList());

        return Prop.ForAll(arrivals.ToArbitrary(), events =>
        {
            var seen = new HashSet<string>();
            OrderEvent? current = null;
            var regions = new Dictionary<string, GoldFigures>();
            var products = new Dictionary<string, ProductDelta>();
            foreach (var candidate in events)
            {
                if (!seen.Add(candidate.EventId) || (current is not null && !Contribution.IsNewer(candidate, current)))
                {
                    continue;
                }

                Contribution.Accumulate(current, -1, regions, products);
                Contribution.Accumulate(candidate, +1, regions, products);
                current = candidate;
            }

            var expectedRegions = new Dictionary<string, GoldFigures>();
            var expectedProducts = new Dictionary<string, ProductDelta>();
            Contribution.Accumulate(current, +1, expectedRegions, expectedProducts);
            var newest = events.GroupBy(e => e.EventId).Select(g => g.First())
                .Aggregate((OrderEvent?)null, (best, e) => best is null || Contribution.IsNewer(e, best) ? e : best);

            return ReferenceEquals(current, newest)
                && regions.Where(kv => !kv.Value.IsZero).OrderBy(kv => kv.Key).SequenceEqual(expectedRegions.OrderBy(kv => kv.Key))
                && products.Where(kv => !kv.Value.Figures.IsZero).Select(kv => (kv.Key, kv.Value.Figures)).OrderBy(kv => kv.Key)
                    .SequenceEqual(expectedProducts.Select(kv => (kv.Key, kv.Value.Figures)).OrderBy(kv => kv.Key));
        });
    }
}
