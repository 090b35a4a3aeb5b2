using MemoryPack;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Orders;

/// <summary>Stores an order's lines in <see cref="CompactLinesFormatter"/>'s layout.</summary>
internal sealed class CompactLinesAttribute : MemoryPackCustomFormatterAttribute<CompactLinesFormatter, Dictionary<string, SourceLine>?>
{
    public override CompactLinesFormatter GetFormatter() => CompactLinesFormatter.Instance;
}

/// <summary>
/// The stored form of an order's lines. The lines of an order nearly always carry the same order fields
/// (time, customer, region, country, currency, status); as MemoryPack objects each line repeated them, with
/// its key twice and three 16-byte decimals, and the row was three times the size of the raw lines it came
/// from until LZ4 halved it (the compression was a twentieth of a csv run's CPU). Here a line whose order fields
/// equal the previous line's says so in one byte, the key is written once, decimals of up to 32 bits take five
/// bytes and strings a two-byte length, so most orders fit under <see cref="Persistence.StatePayload"/>'s
/// compression threshold. Decoding gives lines with the same order fields the same string instances.
/// </summary>
internal sealed class CompactLinesFormatter : CompactMapFormatter<SourceLine>
{
    public static readonly CompactLinesFormatter Instance = new();

    private const byte SameOrderFields = 1;
    private const byte HasRescued = 2;

    /// <summary>Writes a line; its key (the map's) is its <see cref="SourceLine.LineKey"/>.</summary>
    protected override void WriteEntry<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, string key, SourceLine line, SourceLine? previous)
    {
        var same = previous is not null && SameOrder(previous, line);
        var rescued = line.Line.Rescued;
        writer.WriteUnmanaged((byte)((same ? SameOrderFields : 0) | (rescued is not null ? HasRescued : 0)));
        CompactFields.WriteText(ref writer, line.LineKey);
        var item = line.Line;
        CompactFields.WriteText(ref writer, item.ProductId);
        CompactFields.WriteText(ref writer, item.ProductName);
        writer.WriteUnmanaged(item.Quantity, line.Arrival);
        CompactFields.WriteDecimal(ref writer, item.UnitPrice);
        CompactFields.WriteDecimal(ref writer, item.Discount);
        CompactFields.WriteDecimal(ref writer, item.Amount);
        if (!same)
        {
            writer.WriteUnmanaged(line.OrderTime.Ticks, (short)line.OrderTime.Offset.TotalMinutes, (byte)(line.Status is { } status ? (int)status + 1 : 0));
            CompactFields.WriteText(ref writer, line.CustomerId);
            CompactFields.WriteText(ref writer, line.Region);
            CompactFields.WriteText(ref writer, line.Country);
            CompactFields.WriteText(ref writer, line.Currency);
        }

        if (rescued is not null)
        {
            writer.WriteUnmanaged(rescued.Count);
            foreach (var (column, text) in rescued)
            {
                CompactFields.WriteText(ref writer, column);
                CompactFields.WriteText(ref writer, text);
            }
        }
    }

    protected override (string Key, SourceLine Value) ReadEntry(ref MemoryPackReader reader, SourceLine? previous)
    {
        reader.ReadUnmanaged(out byte flags);
        var key = CompactFields.ReadText(ref reader)!;
        var productId = CompactFields.ReadText(ref reader)!;
        var productName = CompactFields.ReadText(ref reader);
        reader.ReadUnmanaged(out int quantity, out long arrival);
        var unitPrice = CompactFields.ReadDecimal(ref reader);
        var discount = CompactFields.ReadDecimal(ref reader);
        var amount = CompactFields.ReadDecimal(ref reader);
        DateTimeOffset orderTime;
        string? customerId, country;
        string region, currency;
        OrderStatus? status;
        if ((flags & SameOrderFields) != 0 && previous is not null)
        {
            (orderTime, customerId, region, country, currency, status) =
                (previous.OrderTime, previous.CustomerId, previous.Region, previous.Country, previous.Currency, previous.Status);
        }
        else
        {
            reader.ReadUnmanaged(out long ticks, out short offsetMinutes, out byte statusCode);
            orderTime = new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
            status = statusCode == 0 ? null : (OrderStatus)(statusCode - 1);
            customerId = CompactFields.ReadText(ref reader);
            region = CompactFields.ReadText(ref reader)!;
            country = CompactFields.ReadText(ref reader);
            currency = CompactFields.ReadText(ref reader)!;
        }

        Dictionary<string, string>? rescued = null;
        if ((flags & HasRescued) != 0)
        {
            reader.ReadUnmanaged(out int columns);
            rescued = new Dictionary<string, string>(columns, StringComparer.Ordinal);
            for (var c = 0; c < columns; c++)
            {
                var column = CompactFields.ReadText(ref reader)!;
                rescued[column] = CompactFields.ReadText(ref reader)!;
            }
        }

        return (key, new SourceLine
        {
            LineKey = key,
            Line = new OrderLine
            {
                ProductId = productId,
                ProductName = productName,
                Quantity = quantity,
                UnitPrice = unitPrice,
                Discount = discount,
                Amount = amount,
                Rescued = rescued,
            },
            OrderTime = orderTime,
            CustomerId = customerId,
            Region = region,
            Country = country,
            Currency = currency,
            Status = status,
            Arrival = arrival,
        });
    }

    private static bool SameOrder(SourceLine a, SourceLine b) =>
        a.OrderTime.EqualsExact(b.OrderTime) &&
        a.Status == b.Status &&
        string.Equals(a.CustomerId, b.CustomerId, StringComparison.Ordinal) &&
        string.Equals(a.Region, b.Region, StringComparison.Ordinal) &&
        string.Equals(a.Country, b.Country, StringComparison.Ordinal) &&
        string.Equals(a.Currency, b.Currency, StringComparison.Ordinal);
}
