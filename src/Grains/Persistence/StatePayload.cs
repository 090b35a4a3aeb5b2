using K4os.Compression.LZ4;
using Orleans.Serialization;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The stored form of a state row: a format byte, then Orleans' binary serialization — LZ4-compressed when
/// the row is large enough for compression to pay. Large order rows are mostly the raw text of their
/// Bronze records, which compresses several times over; for a small row, LZ4's fixed cost per call
/// (clearing its hash table) is more than SQLite saves on the bytes (docs/benchmarks.md).
/// </summary>
internal static class StatePayload
{
    private const byte Plain = 0;
    private const byte Lz4 = 1;
    private const int CompressFrom = 2048;

    public static byte[] Encode<T>(Serializer serializer, T state)
    {
        var serialized = serializer.SerializeToArray(state);
        if (serialized.Length < CompressFrom)
        {
            var plain = new byte[serialized.Length + 1];
            plain[0] = Plain;
            serialized.CopyTo(plain, 1);
            return plain;
        }

        var compressed = LZ4Pickler.Pickle(serialized, LZ4Level.L00_FAST);
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
            Plain => serializer.Deserialize<T>(body),
            Lz4 => serializer.Deserialize<T>(LZ4Pickler.Unpickle(body)),
            var format => throw new InvalidDataException($"A stored {typeof(T).Name} has unknown format {format}."),
        };
        return state ?? throw new InvalidDataException($"A stored {typeof(T).Name} deserialized to null.");
    }
}
