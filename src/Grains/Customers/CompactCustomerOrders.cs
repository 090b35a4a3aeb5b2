using System.Buffers;
using MemoryPack;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Customers;

/// <summary>Stores a customer's contributing orders in <see cref="CompactCustomerOrdersFormatter"/>'s layout.</summary>
internal sealed class CompactCustomerOrdersAttribute : MemoryPackCustomFormatterAttribute<CompactCustomerOrdersFormatter, Dictionary<string, CustomerOrder>?>
{
    public override CompactCustomerOrdersFormatter GetFormatter() => CompactCustomerOrdersFormatter.Instance;
}

/// <summary>
/// The stored form of a customer's orders. A customer's row is decoded and written again for each of their
/// orders; as MemoryPack objects each order took about 60 bytes (a 16-byte time, a 16-byte decimal, its region
/// again). Here: id, time and offset, sales in five bytes, and the region only when it differs from the previous
/// order's. Decoding gives orders of one region the same string instance.
/// </summary>
internal sealed class CompactCustomerOrdersFormatter : CompactMapFormatter<CustomerOrder>
{
    public static readonly CompactCustomerOrdersFormatter Instance = new();

    private const byte SameRegion = 1;

    protected override void WriteEntry<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, string orderId, CustomerOrder order, CustomerOrder? previous) =>
        WriteOrder(ref writer, orderId, order.OrderTime, order.Region, order.Sales, previous?.Region);

    /// <summary>Writes one order in this layout; <paramref name="previousRegion"/> is the region of the order written before it (null for the first).</summary>
    public static void WriteOrder<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, string orderId, DateTimeOffset orderTime, string region, decimal sales, string? previousRegion)
        where TBufferWriter : IBufferWriter<byte>
    {
        var same = previousRegion is not null && string.Equals(previousRegion, region, StringComparison.Ordinal);
        writer.WriteUnmanaged(same ? SameRegion : (byte)0, orderTime.Ticks, (short)orderTime.Offset.TotalMinutes);
        CompactFields.WriteText(ref writer, orderId);
        CompactFields.WriteDecimal(ref writer, sales);
        if (!same)
        {
            CompactFields.WriteText(ref writer, region);
        }
    }

    protected override (string Key, CustomerOrder Value) ReadEntry(ref MemoryPackReader reader, CustomerOrder? previous)
    {
        reader.ReadUnmanaged(out byte flags, out long ticks, out short offsetMinutes);
        var orderId = CompactFields.ReadText(ref reader)!;
        var sales = CompactFields.ReadDecimal(ref reader);
        var region = (flags & SameRegion) != 0 && previous is not null ? previous.Region : CompactFields.ReadText(ref reader)!;
        return (orderId, new CustomerOrder(new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes)), region, sales));
    }
}
