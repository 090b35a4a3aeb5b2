using SalesPipeline.Abstractions.Model;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// Expectations on JSON order events: evaluated per item with the event's order fields, the worst verdict
/// over the items removes the whole event (an order snapshot is all or nothing). Every expected figure is
/// worked out by hand in the comments.
/// </summary>
public sealed class JsonExpectationTests
{
    // Global rules (SalesPipeline:Expectations), so they apply to the default jsonl source too.
    private static readonly (string Name, string Condition, string Action)[] Rules =
    [
        ("max_quantity", "quantity <= 50", "quarantine"),
        ("priced", "unit_price > 0", "drop"),
        ("named", "product_name IS NOT NULL", "warn"),
    ];

    [Fact]
    public async Task JsonEvents_ItemFailsDropOrQuarantine_WholeEventRemovedAndCurrentVersionKept()
    {
        using var temp = new TempFolder();
        var landing = Path.Combine(temp.Path, "landing");
        string[] lines =
        [
            // 1. o-1 v1: the unnamed item fails the warn rule only → applied (8.00 + 10.00).
            Event("e-11", "o-1", 1, "placed", "C1", "EMEA", "2026-03-01T10:00:00Z", Item("P1", "Mug", 2, "4.00"), Item("P2", null, 1, "10.00")),
            // 2. o-1 v2: the gift is free → the whole v2 is dropped, v1 stays current (had only the item gone, o-1 would be 12.00).
            Event("e-12", "o-1", 2, "paid", "C1", "EMEA", "2026-03-01T10:00:00Z", Item("P1", "Mug", 3, "4.00"), Item("P3", "Gift", 1, "0.00")),
            // 3. o-2 v1: 60 lamps → quarantined; o-2 never has a current version.
            Event("e-21", "o-2", 1, "placed", "C2", "NA", "2026-03-01T12:00:00Z", Item("P1", "Mug", 1, "4.00"), Item("P2", "Lamp", 60, "10.00"), Item("P4", "Pen", 2, "1.50")),
            // 4. o-3 v1: fails all three rules → quarantine wins over drop and warn; all three failures counted.
            Event("e-31", "o-3", 1, "placed", "C1", "EMEA", "2026-03-02T09:00:00Z", Item("P4", null, 70, "0.00")),
            // 5. o-4 v1 → applied (50.00).
            Event("e-41", "o-4", 1, "placed", "C3", "APAC", "2026-03-02T11:00:00Z", Item("P2", "Lamp", 5, "10.00")),
            // 6. o-4 v2: 99 lamps → quarantined; v1 stays current.
            Event("e-42", "o-4", 2, "shipped", "C3", "APAC", "2026-03-02T11:00:00Z", Item("P2", "Lamp", 99, "10.00")),
            // 7. o-5 v1: free → dropped; o-5 never has a current version.
            Event("e-51", "o-5", 1, "placed", "C3", "APAC", "2026-03-02T13:00:00Z", Item("P1", "Mug", 1, "0.00")),
            // 8. o-6 v1 → applied (4.00).
            Event("e-61", "o-6", 1, "placed", "C2", "NA", "2026-03-01T15:00:00Z", Item("P1", "Mug", 1, "4.00")),
            // 9. o-6 v2 with a free gift → dropped.
            Event("e-62", "o-6", 2, "paid", "C2", "NA", "2026-03-01T15:00:00Z", Item("P1", "Mug", 2, "4.00"), Item("P3", "Gift", 1, "0.00")),
            // 10. o-6 v2 sent again, corrected, same event_id: a dropped event was never taken, so this is no duplicate → applied (8.00 + 0.50).
            Event("e-62", "o-6", 2, "paid", "C2", "NA", "2026-03-01T15:00:00Z", Item("P1", "Mug", 2, "4.00"), Item("P3", "Gift", 1, "0.50")),
        ];
        TestLanding.Publish(landing, "a.jsonl", string.Concat(lines.Select(l => l + "\n")));

        var settings = new Dictionary<string, string?> { ["SalesPipeline:Sources:test:Path"] = landing };
        for (var i = 0; i < Rules.Length; i++)
        {
            settings[$"SalesPipeline:Expectations:{i}:Name"] = Rules[i].Name;
            settings[$"SalesPipeline:Expectations:{i}:Condition"] = Rules[i].Condition;
            settings[$"SalesPipeline:Expectations:{i}:Action"] = Rules[i].Action;
        }

        await using var cluster = await PipelineCluster.StartAsync(Path.Combine(temp.Path, "data"), settings);
        var status = await cluster.WaitForCaughtUpAsync(TimeSpan.FromMinutes(1));

        // Events: applied 1, 5, 8, 10; dropped 2, 7, 9; quarantined 3, 4, 6. Warnings count only built-in ones
        // (missing customer or region): none here; warn-rule failures show in the rule's counters.
        var source = Assert.Single(status.Sources);
        Assert.Equal((10L, 4L, 3L, 3L, 0L, 0L, 0L, 0L),
            (source.RecordsRead, source.Applied, source.Dropped, source.Quarantined, source.Duplicates, source.Stale, source.Warnings, source.InFlight));
        Assert.True(source.Balanced);
        Assert.Null(source.Error);
        Assert.Empty(source.NewColumns);

        // Items evaluated: 2 + 2 + 3 + 1 + 1 + 1 + 1 + 1 + 2 + 2 = 16 per rule. Failures: max_quantity items of
        // events 3, 4, 6; priced items of 2, 4, 7, 9; named items of 1, 4.
        Assert.Equal(
            [("max_quantity", "quarantine", 16L, 13L, 3L), ("priced", "drop", 16L, 12L, 4L), ("named", "warn", 16L, 14L, 2L)],
            source.Rules.Select(r => (r.Name, r.Action, r.Evaluated, r.Passed, r.Failed)));

        var quarantine = await cluster.Query.GetQuarantineAsync("test", 100);
        Assert.Equal([(3L, "o-2"), (4L, "o-3"), (6L, "o-4")], quarantine.Select(q => (q.Origin.Line, q.OrderId!)));
        Assert.All(quarantine, q => Assert.Equal("max_quantity", q.Rule));
        Assert.All(quarantine, q => Assert.Contains("max_quantity", q.Reason, StringComparison.Ordinal));
        Assert.Equal(lines[2], quarantine[0].Raw);

        // Bronze keeps every record with its outcome; Silver keeps the newest version that was taken.
        await AssertOrderAsync(cluster, "o-1", "e-11", RecordOutcome.Applied, RecordOutcome.Dropped);
        await AssertOrderAsync(cluster, "o-2", null, RecordOutcome.Quarantined);
        await AssertOrderAsync(cluster, "o-3", null, RecordOutcome.Quarantined);
        await AssertOrderAsync(cluster, "o-4", "e-41", RecordOutcome.Applied, RecordOutcome.Quarantined);
        await AssertOrderAsync(cluster, "o-5", null, RecordOutcome.Dropped);
        await AssertOrderAsync(cluster, "o-6", "e-62", RecordOutcome.Applied, RecordOutcome.Dropped, RecordOutcome.Applied);
        var o1 = await cluster.Query.GetOrderAsync("o-1");
        Assert.Equal([("P1", 2, 8.00m), ("P2", 1, 10.00m)], o1!.Current!.Lines.Select(l => (l.ProductId, l.Quantity, l.Amount)));
        Assert.Equal(lines[1], o1.Bronze[1].Raw);
        var o6 = await cluster.Query.GetOrderAsync("o-6");
        Assert.Equal([("P1", 2, 8.00m), ("P3", 1, 0.50m)], o6!.Current!.Lines.Select(l => (l.ProductId, l.Quantity, l.Amount)));
        Assert.Equal(lines[9], o6.Bronze[2].Raw);

        // Gold: o-1 v1 (EMEA 2026-03-01, 3 units, 18.00), o-4 v1 (APAC 2026-03-02, 5 units, 50.00), o-6 v2 (NA 2026-03-01, 3 units, 8.50).
        Assert.Equal(
            [("APAC", new DateOnly(2026, 3, 2), 1L, 5L, 50.00m), ("EMEA", new DateOnly(2026, 3, 1), 1L, 3L, 18.00m), ("NA", new DateOnly(2026, 3, 1), 1L, 3L, 8.50m)],
            (await cluster.Query.GetRegionSalesAsync(null, null, byDay: true)).Select(r => (r.Region, r.OrderDate!.Value, r.Orders, r.Units, r.Sales)).OrderBy(r => r.Region, StringComparer.Ordinal));

        // P1: o-1 2 × 4.00, o-6 2 × 4.00; P2: o-1 1 × 10.00, o-4 5 × 10.00; P3: o-6 1 × 0.50. P4 only in quarantined events.
        Assert.Equal(
            [("P1", 2L, 4L, 16.00m), ("P2", 2L, 6L, 60.00m), ("P3", 1L, 1L, 0.50m)],
            (await cluster.Query.GetTopProductsAsync(null)).Select(p => (p.ProductId, p.Orders, p.Units, p.Sales)).OrderBy(p => p.ProductId, StringComparer.Ordinal));

        // C2's o-2 was quarantined: only o-6 counts for C2.
        Assert.Equal(
            [
                ("C1", "EMEA", 1L, 18.00m, At("2026-03-01T10:00:00Z"), At("2026-03-01T10:00:00Z")),
                ("C2", "NA", 1L, 8.50m, At("2026-03-01T15:00:00Z"), At("2026-03-01T15:00:00Z")),
                ("C3", "APAC", 1L, 50.00m, At("2026-03-02T11:00:00Z"), At("2026-03-02T11:00:00Z")),
            ],
            (await cluster.Query.GetTopCustomersAsync(null)).Select(c => (c.CustomerId, c.Region, c.Orders, c.Sales, c.FirstOrderTime, c.LastOrderTime)).OrderBy(c => c.CustomerId, StringComparer.Ordinal));
    }

    private static async Task AssertOrderAsync(PipelineCluster cluster, string orderId, string? currentEventId, params RecordOutcome[] bronze)
    {
        var order = await cluster.Query.GetOrderAsync(orderId);
        Assert.NotNull(order);
        Assert.Equal(currentEventId, order.Current?.EventId);
        Assert.Equal(bronze, order.Bronze.Select(b => b.Outcome));
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static string Item(string product, string? name, int quantity, string price) =>
        $$"""{"product_id":"{{product}}",{{(name is null ? "" : $"\"product_name\":\"{name}\",")}}"quantity":{{quantity}},"unit_price":{{price}}}""";

    private static string Event(string eventId, string orderId, int sequence, string status, string customer, string region, string orderTime, params string[] items) =>
        $$"""{"event_id":"{{eventId}}","order_id":"{{orderId}}","sequence":{{sequence}},"event_time":"{{orderTime}}","order_time":"{{orderTime}}","status":"{{status}}","customer_id":"{{customer}}","region":"{{region}}","currency":"USD","items":[{{string.Join(",", items)}}]}""";
}
