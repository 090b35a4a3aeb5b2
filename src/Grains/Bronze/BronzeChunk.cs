using MemoryPack;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Bronze;

/// <summary>
/// The Bronze layer's unit of storage: the records of one chunk of one file, as received, written once (in
/// the epoch that read them) under <see cref="Persistence.StateKeys.BronzeChunk"/>. Orders keep only
/// <see cref="BronzeRef"/>s into chunks, so an order's row is not rewritten with its raw records every time
/// it changes, and raw text does not travel on the streams.
/// </summary>
[MemoryPackable]
internal sealed partial class BronzeChunk
{
    public required string Source { get; init; }
    public required string File { get; init; }
    public required DateTimeOffset IngestTime { get; init; }

    /// <summary>Every record the chunk took, in file order (records that named no order too).</summary>
    public List<BronzeRecord> Records { get; init; } = [];
}

/// <summary>
/// One raw record: its 1-based line (or row) in the file, its text, its order (null when it named none) and,
/// when decided on reading, its verdict (quarantined or dropped) with the reason. The outcome of a valid
/// record (applied, duplicate, stale) is decided by its order and kept in the order's <see cref="BronzeRef"/>.
/// </summary>
[MemoryPackable]
internal sealed partial record BronzeRecord(long Line, string Raw, string? OrderId, RecordOutcome? Verdict, string? Reason);

/// <summary>Where one of an order's raw records is kept, and what became of it.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.BronzeRef")]
internal readonly partial record struct BronzeRef(
    [property: Id(0)] long Chunk,
    [property: Id(1)] int Index,
    [property: Id(2)] RecordOutcome Outcome);

/// <summary>Turns an order's Bronze references back into its records as received.</summary>
internal static class BronzeLog
{
    public static async Task<BronzeEntry[]> ReadAsync(Persistence.EpochRowStore store, Orders.OrderState order)
    {
        var entries = new List<BronzeEntry>((order.LegacyBronze?.Count ?? 0) + order.BronzeRefs.Count);
        entries.AddRange(order.LegacyBronze ?? []);
        var chunks = new Dictionary<long, BronzeChunk>();
        foreach (var reference in order.BronzeRefs)
        {
            if (!chunks.TryGetValue(reference.Chunk, out var chunk))
            {
                chunk = await store.ReadSharedAsync<BronzeChunk>(Persistence.StateKeys.BronzeChunk(reference.Chunk))
                    ?? throw new InvalidDataException($"Bronze chunk {reference.Chunk} is missing from the store.");
                chunks[reference.Chunk] = chunk;
            }

            entries.Add(ToEntry(chunk, chunk.Records[reference.Index], reference.Outcome));
        }

        return [.. entries];
    }

    public static BronzeEntry ToEntry(BronzeChunk chunk, BronzeRecord record, RecordOutcome outcome) =>
        new(new RecordOrigin(chunk.Source, chunk.File, record.Line), chunk.IngestTime, record.Raw, outcome, record.Reason);
}
