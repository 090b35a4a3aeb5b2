using System.Buffers;
using System.Buffers.Binary;
using CommunityToolkit.HighPerformance.Buffers;
using K4os.Compression.LZ4;
using MemoryPack;
using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Gold;
using SalesPipeline.Grains.Orders;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The stored form of a state row: a format byte, then the row in MemoryPack's binary form (strings as
/// UTF-8) — LZ4-compressed from <see cref="CompressFrom"/> bytes on: Bronze chunks (raw text, which compresses
/// several times over) and the largest orders and customers (docs/benchmarks.md).
/// Rows written before MemoryPack (Orleans' serializer, formats 0 and 1) still read. Formats 2 to 4 were
/// MemoryPack layouts of development builds (they stored derived properties); they are refused, not misread.
/// </summary>
internal static class StatePayload
{
    private const byte OrleansPlain = 0;
    private const byte OrleansLz4 = 1;
    private const byte Plain = 5;

    /// <summary>LZ4 block after the uncompressed length (little-endian int32).</summary>
    private const byte Lz4 = 6;

    /// <summary>
    /// Rows from this size on are compressed: Bronze chunks, the largest orders and customers.
    /// Most orders and customers stay plain: an order's lines are stored compactly (<see cref="CompactLinesFormatter"/>),
    /// and compressing costs CPU (every call starts by clearing LZ4's table; orders' compression was a twentieth of
    /// a csv run). With 256 bytes and orders' lines as MemoryPack objects, most orders were compressed; with 2 KiB
    /// then, the csv bench ran 5 % slower and peaked 10 % higher in memory (docs/benchmarks.md).
    /// </summary>
    private const int CompressFrom = 512;

    private static readonly MemoryPackSerializerOptions Options = MemoryPackSerializerOptions.Utf8;

    /// <summary>
    /// Registers the MemoryPack formatter of every stored type (each registers those of its collections and
    /// arrays too) before anything here encodes or decodes. Left to first use, registration races: MemoryPack
    /// marks a type registered before it stores its formatter, so a second thread can find it registered and get
    /// no formatter (Cysharp/MemoryPack#458). It showed as a NullReferenceException when sixteen customer shards
    /// decoded their first rows at once after a restart. The runtime runs this once, on one thread.
    /// </summary>
    static StatePayload()
    {
        MemoryPackFormatterProvider.Register<OrderEvent>();
        MemoryPackFormatterProvider.Register<OrderLine>();
        MemoryPackFormatterProvider.Register<SourceLine>();
        MemoryPackFormatterProvider.Register<RecordOrigin>();
        MemoryPackFormatterProvider.Register<BronzeEntry>();
        MemoryPackFormatterProvider.Register<CustomerMetrics>();
        MemoryPackFormatterProvider.Register<BronzeChunk>();
        MemoryPackFormatterProvider.Register<BronzeRecord>();
        MemoryPackFormatterProvider.Register<BronzeRef>();
        MemoryPackFormatterProvider.Register<OrderState>();
        MemoryPackFormatterProvider.Register<CustomerOrder>();
        MemoryPackFormatterProvider.Register<CustomerState>();
        MemoryPackFormatterProvider.Register(new LiveCustomerFormatter());
        MemoryPackFormatterProvider.Register<GoldFigures>();
        MemoryPackFormatterProvider.Register<RegionDayState>();
        MemoryPackFormatterProvider.Register<ProductState>();
    }

    /// <summary>Encodes <paramref name="state"/> into <paramref name="arena"/>; the bytes are valid until the arena is disposed.</summary>
    public static ReadOnlyMemory<byte> Encode<T>(T state, PayloadArena arena)
    {
        using var buffer = Serialize(state);
        var serialized = buffer.WrittenSpan;
        var target = arena.Reserve(EncodedBound(serialized));
        return arena.Commit(target, Frame(serialized, target.Span));
    }

    /// <summary>Encodes <paramref name="state"/> into an array of its own (the rows that caches keep in their stored form).</summary>
    public static byte[] Encode<T>(T state)
    {
        using var buffer = Serialize(state);
        var serialized = buffer.WrittenSpan;
        var target = ArrayPool<byte>.Shared.Rent(EncodedBound(serialized));
        try
        {
            return target.AsSpan(0, Frame(serialized, target)).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(target);
        }
    }

    /// <summary>The format byte <see cref="Plain"/>, then the MemoryPack bytes of <paramref name="state"/>.</summary>
    private static ArrayPoolBufferWriter<byte> Serialize<T>(T state)
    {
        var buffer = new ArrayPoolBufferWriter<byte>();
        buffer.GetSpan(1)[0] = Plain;
        buffer.Advance(1);
        MemoryPackSerializer.Serialize(buffer, state, Options);
        return buffer;
    }

    private static int EncodedBound(ReadOnlySpan<byte> serialized) =>
        serialized.Length - 1 < CompressFrom ? serialized.Length : 5 + LZ4Codec.MaximumOutputSize(serialized.Length - 1);

    /// <summary>Writes the stored form of <paramref name="serialized"/> (plain, or LZ4 behind its length) to <paramref name="target"/>; returns its length.</summary>
    private static int Frame(ReadOnlySpan<byte> serialized, Span<byte> target)
    {
        if (serialized.Length - 1 < CompressFrom)
        {
            serialized.CopyTo(target);
            return serialized.Length;
        }

        var body = serialized[1..];
        target[0] = Lz4;
        BinaryPrimitives.WriteInt32LittleEndian(target[1..], body.Length);
        return 5 + LZ4Codec.Encode(body, target[5..], LZ4Level.L00_FAST);
    }

    public static T Decode<T>(Serializer serializer, ReadOnlySpan<byte> payload)
    {
        var body = payload[1..];
        var state = payload[0] switch
        {
            Plain => MemoryPackSerializer.Deserialize<T>(body, Options),
            Lz4 => MemoryPackSerializer.Deserialize<T>(Unpack(body), Options),
            OrleansPlain => serializer.Deserialize<T>(body),
            OrleansLz4 => serializer.Deserialize<T>(LZ4Pickler.Unpickle(body)),
            var format => throw new InvalidDataException($"A stored {typeof(T).Name} has unknown format {format}."),
        };
        return state ?? throw new InvalidDataException($"A stored {typeof(T).Name} deserialized to null.");
    }

    private static byte[] Unpack(ReadOnlySpan<byte> framed)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(framed);
        var target = new byte[length];
        if (LZ4Codec.Decode(framed[4..], target) != length)
        {
            throw new InvalidDataException("A stored row's LZ4 block does not decode to its recorded length.");
        }

        return target;
    }
}

/// <summary>
/// Bytes of rows in segments rented from a pool (the row store's) and returned together: one commit's rows until
/// it is written, one cache generation's rows, one epoch's staged rows. The segments are on the large object heap
/// and reused, so rows kept for seconds or for the whole run are neither copied from generation to generation by the
/// garbage collector nor traced one by one. Not thread-safe: one arena per serializing thread or per owner.
/// </summary>
internal sealed class PayloadArena(ArrayPool<byte> pool, int segmentSize = PayloadArena.SegmentSize) : IDisposable
{
    public const int SegmentSize = 1 << 20;
    private readonly List<byte[]> segments = [];
    private byte[] current = [];
    private int used;

    /// <summary>Bytes of the rows committed to the arena.</summary>
    public long Bytes { get; private set; }

    public Memory<byte> Reserve(int length)
    {
        if (current.Length - used < length)
        {
            current = pool.Rent(Math.Max(length, segmentSize));
            segments.Add(current);
            used = 0;
        }

        return current.AsMemory(used, length);
    }

    public ReadOnlyMemory<byte> Commit(Memory<byte> reserved, int length)
    {
        used += length;
        Bytes += length;
        return reserved[..length];
    }

    /// <summary>A copy of <paramref name="payload"/> in the arena.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> payload)
    {
        var target = Reserve(payload.Length);
        payload.CopyTo(target.Span);
        return Commit(target, payload.Length);
    }

    public void Dispose()
    {
        foreach (var segment in segments)
        {
            pool.Return(segment);
        }

        segments.Clear();
        current = [];
    }
}
