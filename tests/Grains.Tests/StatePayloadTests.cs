using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Orders;
using SalesPipeline.Grains.Persistence;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>Stored rows: what is written reads back the same, compressed or not, and older formats still read.</summary>
public sealed class StatePayloadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly Serializer serializer = TestSerializer.Create();

    private static OrderEvent Event(string eventId, long sequence) => new()
    {
        EventId = eventId,
        OrderId = "o-1",
        Sequence = sequence,
        EventTime = T0.AddMinutes(sequence),
        OrderTime = T0,
        Status = OrderStatus.Paid,
        CustomerId = "c-1",
        Region = "EMEA",
        Country = "DE",
        Currency = "EUR",
        Channel = "web",
        Lines = [new OrderLine { ProductId = "p-1", ProductName = "Mug", Quantity = 2, UnitPrice = 9.5m, Discount = 1m, Amount = 19.38m, Rescued = new() { ["gift"] = "true" } }],
        Rescued = new() { ["coupon"] = "\"X1\"" },
    };

    [Fact]
    public void OrderOfEvents_RoundTrips_AndStoresItsCurrentVersionOnce()
    {
        var current = Event("e-2", 2);
        var order = new OrderState { CurrentEvent = current, OrderId = "o-1", EventIds = ["e-1", "e-2"], LastIngest = T0 };
        order.BronzeRefs.Add(new BronzeRef(7, 3, RecordOutcome.Applied));
        order.BronzeRefs.Add(new BronzeRef(9, 0, RecordOutcome.Duplicate));

        var payload = StatePayload.Encode(order);
        var back = StatePayload.Decode<OrderState>(serializer, payload);

        Assert.Equal(current with { Lines = [], Rescued = null }, back.CurrentEvent! with { Lines = [], Rescued = null });
        Assert.Equal(current.Lines[0] with { Rescued = null }, back.CurrentEvent!.Lines[0] with { Rescued = null });
        Assert.Equal("true", back.CurrentEvent.Lines[0].Rescued!["gift"]);
        Assert.Equal("\"X1\"", back.CurrentEvent.Rescued!["coupon"]);
        Assert.Equal(order.EventIds, back.EventIds);
        Assert.Equal(order.BronzeRefs, back.BronzeRefs);
        Assert.Equal(T0, back.LastIngest);

        // The current version is derived for reading, not stored a second time.
        Assert.True(payload.Length < StatePayload.Encode(current).Length * 3 / 2, $"order row of {payload.Length} bytes");
    }

    [Fact]
    public void OrderOfLines_RoundTrips_AndAssemblesTheSameCurrentVersion()
    {
        var order = new OrderState { OrderId = "o-7", Lines = new(StringComparer.Ordinal) };
        for (var i = 0; i < 3; i++)
        {
            order.Lines[$"shop/a.csv/{i + 2}"] = new SourceLine
            {
                LineKey = $"shop/a.csv/{i + 2}",
                Line = new OrderLine { ProductId = $"p-{i}", Quantity = i - 1, UnitPrice = 3m, Discount = 0m, Amount = (i - 1) * 3m },
                OrderTime = T0,
                CustomerId = i == 1 ? "c-5" : null,
                Region = "US",
                Currency = "USD",
                Arrival = i,
            };
        }

        var back = StatePayload.Decode<OrderState>(serializer, StatePayload.Encode(order));

        Assert.Equal(order.Lines.Keys, back.Lines!.Keys);
        Assert.Equal(order.Current!.Lines, back.Current!.Lines);
        Assert.Equal(("c-5", "US", 3L), (back.Current.CustomerId, back.Current.Region, back.Current.Sequence));
    }

    [Fact]
    public void OrderOfLines_KeepsEveryFieldOfEveryLine_InTheCompactLayout()
    {
        var newYork = TimeSpan.FromHours(-5);
        SourceLine Line(string key, long arrival, OrderLine line, string? customer, string region, string? country, string currency, OrderStatus? status, DateTimeOffset time) => new()
        {
            LineKey = key, Line = line, OrderTime = time, CustomerId = customer, Region = region, Country = country, Currency = currency, Status = status, Arrival = arrival,
        };
        var lines = new[]
        {
            Line("id:1", 10, new OrderLine { ProductId = "p-1", ProductName = "Mug", Quantity = 2, UnitPrice = 9.50m, Discount = 0m, Amount = 19.00m }, "c-1", "EMEA", "DE", "EUR", null, new DateTimeOffset(2026, 3, 1, 23, 30, 0, newYork)),
            Line("id:2", 11, new OrderLine { ProductId = "p-2", ProductName = null, Quantity = -3, UnitPrice = 0.001m, Discount = 0.25m, Amount = -0.01m }, "c-1", "EMEA", "DE", "EUR", null, new DateTimeOffset(2026, 3, 1, 23, 30, 0, newYork)),
            Line("id:3", 12, new OrderLine { ProductId = "B", ProductName = "Adjust bad debt", Quantity = 1, UnitPrice = -11062.06m, Discount = 0m, Amount = -11062.06m, Rescued = new() { ["PromoCode"] = "", ["Note"] = new string('é', 40_000) } }, null, "Unknown", null, "GBP", OrderStatus.Cancelled, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromMinutes(330))),
            Line("id:4", 13, new OrderLine { ProductId = "p-4", ProductName = "", Quantity = int.MaxValue, UnitPrice = 79228162514264337593543950335m, Discount = -0m, Amount = 1234567890123.45m }, null, "Unknown", null, "GBP", OrderStatus.Cancelled, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromMinutes(330))),
            Line("id:5", 14, new OrderLine { ProductId = "p-5", Quantity = 1, UnitPrice = 1m, Discount = 0m, Amount = 1m }, null, "Unknown", null, "GBP", OrderStatus.Paid, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromMinutes(330))),
        };
        var order = new OrderState { OrderId = "o-9", Lines = lines.ToDictionary(l => l.LineKey, StringComparer.Ordinal) };

        var back = StatePayload.Decode<OrderState>(serializer, StatePayload.Encode(order)).Lines!;

        Assert.Equal(order.Lines.Keys, back.Keys);
        foreach (var line in lines)
        {
            var read = back[line.LineKey];
            Assert.Equal(line with { Line = read.Line }, read);
            Assert.Equal(line.OrderTime.Offset, read.OrderTime.Offset);
            Assert.Equal(line.Line with { Rescued = null }, read.Line with { Rescued = null });
            Assert.Equal(line.Line.Rescued, read.Line.Rescued);
            Assert.Equal(line.Line.UnitPrice.Scale, read.Line.UnitPrice.Scale);
        }
    }

    [Fact]
    public void OrderOfLines_InTheLayoutBeforeCompactLines_StillReads()
    {
        var lines = new Dictionary<string, SourceLine>(StringComparer.Ordinal)
        {
            ["id:1"] = new()
            {
                LineKey = "id:1",
                Line = new OrderLine { ProductId = "p-1", ProductName = "Mug", Quantity = 2, UnitPrice = 9.5m, Discount = 0m, Amount = 19m },
                OrderTime = T0, CustomerId = "c-1", Region = "EMEA", Currency = "EUR", Arrival = 4,
            },
        };
        var before = new OrderRowBeforeCompactLines { BronzeRefs = [new BronzeRef(3, 1, RecordOutcome.Applied)], LastIngest = T0, OrderId = "o-1", Lines = lines };
        var payload = new byte[] { 5 }.Concat(MemoryPack.MemoryPackSerializer.Serialize(before, MemoryPack.MemoryPackSerializerOptions.Utf8)).ToArray();

        var back = StatePayload.Decode<OrderState>(serializer, payload);

        Assert.Equal(lines["id:1"], back.Lines!["id:1"] with { Line = lines["id:1"].Line });
        Assert.Equal(lines["id:1"].Line, back.Lines["id:1"].Line);
        Assert.Equal(before.BronzeRefs, back.BronzeRefs);
        Assert.Equal(("o-1", T0), (back.OrderId, back.LastIngest));
        Assert.Null(StatePayload.Decode<OrderState>(serializer, StatePayload.Encode(new OrderState { OrderId = "o-2" })).Lines);
    }

    [Fact]
    public void TypicalOrderOfLines_IsStoredUncompressed_InUnderHalfTheObjectLayout()
    {
        var lines = Enumerable.Range(1, 3).ToDictionary(i => $"id:{536365 * 10 + i}", i => new SourceLine
        {
            LineKey = $"id:{536365 * 10 + i}",
            Line = new OrderLine { ProductId = $"8512{i}A", ProductName = "WHITE HANGING HEART T-LIGHT HOLDER", Quantity = 6, UnitPrice = 2.55m, Discount = 0m, Amount = 15.30m },
            OrderTime = T0, CustomerId = "17850", Region = "EMEA", Country = "United Kingdom", Currency = "GBP", Arrival = 1000 + i,
        }, StringComparer.Ordinal);
        var order = new OrderState { OrderId = "536365", LastIngest = T0, Lines = lines };
        foreach (var i in Enumerable.Range(0, 3))
        {
            order.BronzeRefs.Add(new BronzeRef(12, i, RecordOutcome.Applied));
        }

        var compact = StatePayload.Encode(order);
        var objects = MemoryPack.MemoryPackSerializer.Serialize(
            new OrderRowBeforeCompactLines { BronzeRefs = order.BronzeRefs, LastIngest = T0, OrderId = "536365", Lines = lines }, MemoryPack.MemoryPackSerializerOptions.Utf8);

        Assert.Equal(5, compact[0]); // plain: not worth compressing
        Assert.True(compact.Length * 2 < objects.Length, $"{compact.Length} bytes compact, {objects.Length} as objects");
    }

    [Fact]
    public void CustomerRow_RoundTripsCompactly_AndTheEarlierLayoutStillReads()
    {
        var orders = new Dictionary<string, CustomerOrder>(StringComparer.Ordinal)
        {
            ["536365"] = new(new DateTimeOffset(2026, 3, 1, 8, 26, 0, TimeSpan.FromHours(-5)), "NA", 139.12m),
            ["536366"] = new(new DateTimeOffset(2026, 3, 1, 8, 28, 0, TimeSpan.FromHours(-5)), "NA", -22.2m),
            ["C536379"] = new(T0, "EMEA", 0m),
            ["536380"] = new(T0.AddDays(1), "EMEA", 12345678901234567.89m),
            ["536381"] = new(T0.AddDays(2), "NA", 0.001m),
        };
        var customer = new CustomerState { Orders = orders };

        var payload = StatePayload.Encode(customer);
        var back = StatePayload.Decode<CustomerState>(serializer, payload).Orders;

        Assert.Equal(orders, back);
        Assert.All(orders, o => Assert.Equal((o.Value.OrderTime.Offset, o.Value.Sales.Scale), (back[o.Key].OrderTime.Offset, back[o.Key].Sales.Scale)));
        Assert.Equal(LiveCustomer.From("17850", customer).ToMetrics(), LiveCustomer.From("17850", StatePayload.Decode<CustomerState>(serializer, payload)).ToMetrics());

        var before = new byte[] { 5 }.Concat(MemoryPack.MemoryPackSerializer.Serialize(new CustomerRowBeforeCompactOrders { Orders = orders }, MemoryPack.MemoryPackSerializerOptions.Utf8)).ToArray();
        Assert.Equal(orders, StatePayload.Decode<CustomerState>(serializer, before).Orders);
        Assert.True(payload.Length * 3 < before.Length * 2, $"{payload.Length} bytes compact, {before.Length} as objects");
    }

    [Fact]
    public void LiveCustomer_IsWrittenInTheCustomerRowLayout_AndReadsBackAfterChangesInPlace()
    {
        var orders = new Dictionary<string, CustomerOrder>(StringComparer.Ordinal)
        {
            ["536365"] = new(new DateTimeOffset(2026, 3, 1, 8, 26, 0, TimeSpan.FromHours(-5)), "NA", 139.12m),
            ["536366"] = new(T0, "EMEA", -22.2m),
            ["536367"] = new(T0.AddDays(1), "EMEA", 0.001m),
        };
        var live = LiveCustomer.From("17850", new CustomerState { Orders = new(orders, StringComparer.Ordinal) });

        // Byte for byte the row a CustomerState with the same orders, in the same order, is stored as.
        Assert.Equal(StatePayload.Encode(new CustomerState { Orders = orders }), StatePayload.Encode(live));

        // Changed in place (update, removal, additions, removal of an order it does not have): the same changes on a map.
        CustomerOrder Order(int day, string region, decimal sales) => new(T0.AddDays(day), region, sales);
        var changes = new (string OrderId, CustomerOrder? Contribution)[]
        {
            ("536366", Order(3, "APAC", 10m)), ("536365", null), ("C9", Order(-1, "LATAM", -5.5m)), ("536368", Order(2, "NA", 1m)), ("nope", null),
        };
        foreach (var (orderId, contribution) in changes)
        {
            live.Set(orderId, contribution);
            if (contribution is null)
            {
                orders.Remove(orderId);
            }
            else
            {
                orders[orderId] = contribution;
            }
        }

        var back = StatePayload.Decode<CustomerState>(serializer, StatePayload.Encode(live)).Orders;
        Assert.Equal(orders.OrderBy(o => o.Key, StringComparer.Ordinal), back.OrderBy(o => o.Key, StringComparer.Ordinal));
        Assert.Equal(orders.Count, live.Count);
    }

    [Fact]
    public void LiveCustomer_Metrics_AreTheIndependentAggregates_AndTiesGoToTheLargerOrderId()
    {
        var live = new LiveCustomer("c-1");
        Assert.Null(live.ToMetrics());

        var orders = new (string Id, DateTimeOffset Time, string Region, decimal Sales)[]
        {
            ("o-2", T0.AddHours(5), "NA", 12.5m), ("o-9", T0, "EMEA", 3m), ("o-3", T0.AddHours(5), "APAC", -1.25m), ("o-1", T0.AddHours(1), "LATAM", 100m),
        };
        foreach (var order in orders)
        {
            live.Set(order.Id, new CustomerOrder(order.Time, order.Region, order.Sales));
        }

        // Latest time T0+5h is shared by o-2 and o-3: the larger id (o-3) gives the region.
        Assert.Equal(new CustomerMetrics("c-1", "APAC", 4, 114.25m, T0, T0.AddHours(5)), live.ToMetrics());

        live.Set("o-3", null);
        Assert.Equal(new CustomerMetrics("c-1", "NA", 3, 115.5m, T0, T0.AddHours(5)), live.ToMetrics());

        foreach (var order in orders)
        {
            live.Set(order.Id, null);
        }

        Assert.Null(live.ToMetrics());
    }

    [Fact]
    public void LargeRow_IsCompressed_AndReadsBackWhole()
    {
        var chunk = new BronzeChunk { Source = "shop", File = "a.csv", IngestTime = T0 };
        for (var i = 0; i < 2000; i++)
        {
            chunk.Records.Add(new BronzeRecord(i + 2, $"o-{i % 97},p-{i % 13},Mug {i % 13},2,9.50,{T0:O}", $"o-{i % 97}", i % 50 == 0 ? RecordOutcome.Quarantined : null, i % 50 == 0 ? "bad" : null));
        }

        var payload = StatePayload.Encode(chunk);
        var raw = chunk.Records.Sum(r => r.Raw.Length);
        Assert.True(payload.Length < raw / 2, $"{payload.Length} bytes stored for {raw} characters of raw text");

        var back = StatePayload.Decode<BronzeChunk>(serializer, payload);
        Assert.Equal((chunk.Source, chunk.File, chunk.IngestTime), (back.Source, back.File, back.IngestTime));
        Assert.Equal(chunk.Records, back.Records);
    }

    [Fact]
    public void RowInOrleansFormat_StillReads_WithItsBronzeRecords()
    {
        var legacy = new OrderState { CurrentEvent = Event("e-1", 1), OrderId = "o-1", EventIds = ["e-1"] };
        legacy.LegacyBronze = [new BronzeEntry(new RecordOrigin("landing", "a.jsonl", 4), T0, "{\"event_id\":\"e-1\"}", RecordOutcome.Applied, null)];
        var payload = new byte[] { 0 }.Concat(serializer.SerializeToArray(legacy)).ToArray();

        var back = StatePayload.Decode<OrderState>(serializer, payload);

        Assert.Equal(legacy.LegacyBronze, back.LegacyBronze);
        Assert.Equal("e-1", back.Current!.EventId);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(9)]
    public void RowInAnUnknownOrRetiredFormat_IsRefused(byte format)
    {
        var payload = StatePayload.Encode(new OrderState { OrderId = "o-1" });
        payload[0] = format;

        var error = Assert.Throws<InvalidDataException>(() => StatePayload.Decode<OrderState>(serializer, payload));
        Assert.Contains($"format {format}", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The member layout of <see cref="OrderState"/> before its lines were stored compactly (rows written then must still read).</summary>
[MemoryPack.MemoryPackable]
internal sealed partial class OrderRowBeforeCompactLines
{
    public List<BronzeEntry>? LegacyBronze { get; set; }
    public List<BronzeRef> BronzeRefs { get; set; } = [];
    public DateTimeOffset LastIngest { get; set; }
    public HashSet<string>? EventIds { get; set; }
    public OrderEvent? CurrentEvent { get; set; }
    public string? OrderId { get; set; }
    public Dictionary<string, SourceLine>? Lines { get; set; }
}

/// <summary>The member layout of <see cref="CustomerState"/> before its orders were stored compactly.</summary>
[MemoryPack.MemoryPackable]
internal sealed partial class CustomerRowBeforeCompactOrders
{
    public Dictionary<string, CustomerOrder> Orders { get; set; } = [];
}
