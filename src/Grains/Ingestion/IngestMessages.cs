using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// The part of one ingestion chunk that falls to one partition, as carried on the raw-records stream (by
/// reference: the stream's in-process queues neither copy nor serialize it). The partition acknowledges it
/// to <see cref="Ack"/> once every record is through to Gold.
/// </summary>
[GenerateSerializer, Immutable, Alias("sp.IngestBatch")]
internal sealed record IngestBatch(
    [property: Id(0)] long ChunkId,
    [property: Id(1)] IIngestAckObserver Ack,
    [property: Id(2)] RawRecord[] Records);

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
