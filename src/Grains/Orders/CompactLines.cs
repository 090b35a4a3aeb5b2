using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using MemoryPack;
using SalesPipeline.Abstractions.Model;

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
internal sealed class CompactLinesFormatter : MemoryPackFormatter<Dictionary<string, SourceLine>?>
{
    public static readonly CompactLinesFormatter Instance = new();

    private const byte SameOrderFields = 1;
    private const byte HasRescued = 2;

    /// <summary>Length prefix of a null string; <see cref="LongText"/> announces a 32-bit length.</summary>
    private const ushort NullText = ushort.MaxValue;
    private const ushort LongText = ushort.MaxValue - 1;

    /// <summary>Decimal prefix byte for a value that does not fit 32 bits (the 16 bytes follow).</summary>
    private const byte WideDecimal = 0x40;

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref Dictionary<string, SourceLine>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        writer.WriteCollectionHeader(value.Count);
        SourceLine? previous = null;
        foreach (var line in value.Values)
        {
            var same = previous is not null && SameOrder(previous, line);
            var rescued = line.Line.Rescued;
            writer.WriteUnmanaged((byte)((same ? SameOrderFields : 0) | (rescued is not null ? HasRescued : 0)));
            WriteText(ref writer, line.LineKey);
            var item = line.Line;
            WriteText(ref writer, item.ProductId);
            WriteText(ref writer, item.ProductName);
            writer.WriteUnmanaged(item.Quantity, line.Arrival);
            WriteDecimal(ref writer, item.UnitPrice);
            WriteDecimal(ref writer, item.Discount);
            WriteDecimal(ref writer, item.Amount);
            if (!same)
            {
                writer.WriteUnmanaged(line.OrderTime.Ticks, (short)line.OrderTime.Offset.TotalMinutes, (byte)(line.Status is { } status ? (int)status + 1 : 0));
                WriteText(ref writer, line.CustomerId);
                WriteText(ref writer, line.Region);
                WriteText(ref writer, line.Country);
                WriteText(ref writer, line.Currency);
            }

            if (rescued is not null)
            {
                writer.WriteUnmanaged(rescued.Count);
                foreach (var (column, text) in rescued)
                {
                    WriteText(ref writer, column);
                    WriteText(ref writer, text);
                }
            }

            previous = line;
        }
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref Dictionary<string, SourceLine>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count))
        {
            value = null;
            return;
        }

        var lines = new Dictionary<string, SourceLine>(count, StringComparer.Ordinal);
        SourceLine? previous = null;
        for (var i = 0; i < count; i++)
        {
            reader.ReadUnmanaged(out byte flags);
            var key = ReadText(ref reader)!;
            var productId = ReadText(ref reader)!;
            var productName = ReadText(ref reader);
            reader.ReadUnmanaged(out int quantity, out long arrival);
            var unitPrice = ReadDecimal(ref reader);
            var discount = ReadDecimal(ref reader);
            var amount = ReadDecimal(ref reader);
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
                customerId = ReadText(ref reader);
                region = ReadText(ref reader)!;
                country = ReadText(ref reader);
                currency = ReadText(ref reader)!;
            }

            Dictionary<string, string>? rescued = null;
            if ((flags & HasRescued) != 0)
            {
                reader.ReadUnmanaged(out int columns);
                rescued = new Dictionary<string, string>(columns, StringComparer.Ordinal);
                for (var c = 0; c < columns; c++)
                {
                    var column = ReadText(ref reader)!;
                    rescued[column] = ReadText(ref reader)!;
                }
            }

            var line = new SourceLine
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
            };
            lines[key] = line;
            previous = line;
        }

        value = lines;
    }

    private static bool SameOrder(SourceLine a, SourceLine b) =>
        a.OrderTime.EqualsExact(b.OrderTime) &&
        a.Status == b.Status &&
        string.Equals(a.CustomerId, b.CustomerId, StringComparison.Ordinal) &&
        string.Equals(a.Region, b.Region, StringComparison.Ordinal) &&
        string.Equals(a.Country, b.Country, StringComparison.Ordinal) &&
        string.Equals(a.Currency, b.Currency, StringComparison.Ordinal);

    private static void WriteText<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, string? text)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (text is null)
        {
            writer.WriteUnmanaged(NullText);
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes < LongText)
        {
            writer.WriteUnmanaged((ushort)bytes);
        }
        else
        {
            writer.WriteUnmanaged(LongText, bytes);
        }

        if (bytes > 0)
        {
            Encoding.UTF8.GetBytes(text, MemoryMarshal.CreateSpan(ref writer.GetSpanReference(bytes), bytes));
            writer.Advance(bytes);
        }
    }

    private static string? ReadText(ref MemoryPackReader reader)
    {
        reader.ReadUnmanaged(out ushort prefix);
        if (prefix == NullText)
        {
            return null;
        }

        var bytes = (int)prefix;
        if (prefix == LongText)
        {
            reader.ReadUnmanaged(out bytes);
        }

        if (bytes == 0)
        {
            return "";
        }

        var text = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpan(ref reader.GetSpanReference(bytes), bytes));
        reader.Advance(bytes);
        return text;
    }

    /// <summary>A sign-and-scale byte and the low 32 bits, or <see cref="WideDecimal"/> and all 16 bytes.</summary>
    private static void WriteDecimal<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, decimal value)
        where TBufferWriter : IBufferWriter<byte>
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[1] == 0 && bits[2] == 0)
        {
            var scale = (byte)((bits[3] >> 16) & 0xFF);
            writer.WriteUnmanaged((byte)(scale | (bits[3] < 0 ? 0x80 : 0)), bits[0]);
        }
        else
        {
            writer.WriteUnmanaged(WideDecimal, value);
        }
    }

    private static decimal ReadDecimal(ref MemoryPackReader reader)
    {
        reader.ReadUnmanaged(out byte head);
        if (head == WideDecimal)
        {
            reader.ReadUnmanaged(out decimal wide);
            return wide;
        }

        reader.ReadUnmanaged(out int low);
        return new decimal(low, 0, 0, (head & 0x80) != 0, (byte)(head & 0x3F));
    }
}
