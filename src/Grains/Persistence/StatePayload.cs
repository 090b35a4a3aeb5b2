using K4os.Compression.LZ4;
using Orleans.Serialization;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The stored form of a state row: Orleans' binary serialization, LZ4-compressed. Order rows are mostly
/// the raw text of their Bronze records, which compresses several times over; writing fewer bytes is
/// cheaper for SQLite than the compression costs (docs/benchmarks.md).
/// </summary>
internal static class StatePayload
{
    public static byte[] Encode<T>(Serializer serializer, T state) =>
        LZ4Pickler.Pickle(serializer.SerializeToArray(state), LZ4Level.L00_FAST);

    public static T Decode<T>(Serializer serializer, byte[] payload) =>
        serializer.Deserialize<T>(LZ4Pickler.Unpickle(payload))
        ?? throw new InvalidDataException($"A stored {typeof(T).Name} deserialized to null.");
}
