using MemoryPack;

namespace SalesPipeline.Abstractions.Model;

/// <summary>One raw record of an order's Bronze log, as received, with what became of it.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.BronzeEntry")]
public sealed partial record BronzeEntry(
    [property: Id(0)] RecordOrigin Origin,
    [property: Id(1)] DateTimeOffset IngestTime,
    [property: Id(2)] string Raw,
    [property: Id(3)] RecordOutcome Outcome,
    [property: Id(4)] string? Reason);
