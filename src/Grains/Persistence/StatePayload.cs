using System.Buffers;
using K4os.Compression.LZ4;
using MemoryPack;
using Orleans.Serialization;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The stored form of a state row: a format byte, then the row in MemoryPack's binary form (strings as
/// UTF-8) — LZ4-compressed when the row is large enough for compression to pay. Large order rows are mostly
/// the raw text of their Bronze records, which compresses several times over; for a small row, LZ4's fixed
/// cost per call (clearing its hash table) is more than SQLite saves on the bytes (docs/benchmarks.md).
/// Rows written before MemoryPack (Orleans' serializer, formats 0 and 1) still read.
/// </summary>
internal static class StatePayload
{
    private const byte OrleansPlain = 0;
    private const byte OrleansLz4 = 1;
    private const byte Plain = 2;
    private const byte Lz4 = 3;
    private const int CompressFrom = 2048;

    private static readonly MemoryPackSerializerOptions Options = MemoryPackSerializerOptions.Utf8;

    public static byte[] Encode<T>(T state)
    {
        // Serialized behind the format byte into a pooled buffer: one exact-size array per row.
        using var buffer = new PooledBufferWriter();
        buffer.GetSpan(1)[0] = Plain;
        buffer.Advance(1);
        MemoryPackSerializer.Serialize(buffer, state, Options);
        var serialized = buffer.WrittenSpan;
        if (serialized.Length - 1 < CompressFrom)
        {
            return serialized.ToArray();
        }

        var compressed = LZ4Pickler.Pickle(serialized[1..], LZ4Level.L00_FAST);
        var framed = new byte[compressed.Length + 1];
        framed[0] = Lz4;
        compressed.CopyTo(framed, 1);
        return framed;
    }

    public static T Decode<T>(Serializer serializer, byte[] payload)
    {
        var body = new ReadOnlySpan<byte>(payload, 1, payload.Length - 1);
        var state = payload[0] switch
        {
            Plain => MemoryPackSerializer.Deserialize<T>(body, Options),
            Lz4 => MemoryPackSerializer.Deserialize<T>(LZ4Pickler.Unpickle(body), Options),
            OrleansPlain => serializer.Deserialize<T>(body),
            OrleansLz4 => serializer.Deserialize<T>(LZ4Pickler.Unpickle(body)),
            var format => throw new InvalidDataException($"A stored {typeof(T).Name} has unknown format {format}."),
        };
        return state ?? throw new InvalidDataException($"A stored {typeof(T).Name} deserialized to null.");
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from the shared pool, returned on dispose.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int written;

    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, written);

    public void Advance(int count) => written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsMemory(written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsSpan(written);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private void Ensure(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (needed > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
            buffer.AsSpan(0, written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
    }
}
