using MemoryPack;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// The part of one ingestion chunk that falls to one partition, as carried on the raw-records stream:
/// its records packed into one MemoryPack buffer (<see cref="Pack"/>), which the stream copies and
/// serializes as plain bytes. Carried as objects, the records cost the stream provider a serialization, a
/// deep copy and a deserialization of every string with reference tracking, a fifth of the pipeline's CPU.
/// The partition acknowledges the batch to <see cref="Ack"/> once every record is through to Gold.
/// </summary>
[GenerateSerializer, Immutable, Alias("sp.IngestBatch")]
internal sealed record IngestBatch(
    [property: Id(0)] long ChunkId,
    [property: Id(1)] IIngestAckObserver Ack,
    [property: Id(2)] byte[] Records)
{
    public static byte[] Pack(List<RawRecord> records) => MemoryPackSerializer.Serialize(records, MemoryPackSerializerOptions.Utf8);

    public RawRecord[] Unpack() => MemoryPackSerializer.Deserialize<RawRecord[]>(Records, MemoryPackSerializerOptions.Utf8) ?? [];
}

/// <summary>Receives partition acknowledgements; implemented by the ingestion coordinator.</summary>
internal interface IIngestAckObserver : IGrainObserver
{
    Task BatchDoneAsync(long chunkId, int partition, BatchOutcome outcome);
}

/// <summary>What the records of one batch became.</summary>
[GenerateSerializer, Immutable, Alias("sp.BatchOutcome")]
internal sealed record BatchOutcome(
    [property: Id(0)] int Records,
    [property: Id(1)] int Applied,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] int Stale,
    [property: Id(4)] int Quarantined,
    [property: Id(5)] string? Error);
