using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
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
