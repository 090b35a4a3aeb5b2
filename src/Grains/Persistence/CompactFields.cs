using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using MemoryPack;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// Field encodings of the compact row layouts (an order's lines, a customer's orders): strings behind a two-byte
/// length instead of MemoryPack's eight-byte header, decimals of up to 32 bits in five bytes instead of sixteen.
/// </summary>
internal static class CompactFields
{
    /// <summary>Length prefix of a null string; <see cref="LongText"/> announces a 32-bit length.</summary>
    private const ushort NullText = ushort.MaxValue;
    private const ushort LongText = ushort.MaxValue - 1;

    /// <summary>Decimal prefix byte for a value that does not fit 32 bits (the 16 bytes follow).</summary>
    private const byte WideDecimal = 0x40;

    public static void WriteText<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, string? text)
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

    public static string? ReadText(ref MemoryPackReader reader)
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
    public static void WriteDecimal<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, decimal value)
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

    public static decimal ReadDecimal(ref MemoryPackReader reader)
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

/// <summary>
/// A map stored compactly: MemoryPack's collection header (or its null header), then each entry in the subclass's
/// layout, which may refer to the previous entry (fields an entry shares with it are not written again).
/// </summary>
internal abstract class CompactMapFormatter<TValue> : MemoryPackFormatter<Dictionary<string, TValue>?>
    where TValue : class
{
    public sealed override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref Dictionary<string, TValue>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        writer.WriteCollectionHeader(value.Count);
        TValue? previous = null;
        foreach (var (key, entry) in value)
        {
            WriteEntry(ref writer, key, entry, previous);
            previous = entry;
        }
    }

    public sealed override void Deserialize(ref MemoryPackReader reader, scoped ref Dictionary<string, TValue>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count))
        {
            value = null;
            return;
        }

        var map = new Dictionary<string, TValue>(count, StringComparer.Ordinal);
        TValue? previous = null;
        for (var i = 0; i < count; i++)
        {
            var (key, entry) = ReadEntry(ref reader, previous);
            map[key] = entry;
            previous = entry;
        }

        value = map;
    }

    /// <summary>Writes one entry; <paramref name="previous"/> is the entry written before it, null for the first.</summary>
    protected abstract void WriteEntry<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, string key, TValue value, TValue? previous)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>Reads one entry; <paramref name="previous"/> is the entry read before it, null for the first.</summary>
    protected abstract (string Key, TValue Value) ReadEntry(ref MemoryPackReader reader, TValue? previous);
}
