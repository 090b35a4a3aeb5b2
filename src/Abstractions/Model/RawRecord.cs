using MemoryPack;

namespace SalesPipeline.Abstractions.Model;

/// <summary>Where a raw record came from: source name, file (relative to the source folder) and 1-based line.</summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.RecordOrigin")]
public sealed partial record RecordOrigin(
    [property: Id(0)] string Source,
    [property: Id(1)] string File,
    [property: Id(2)] long Line);

/// <summary>
/// A record on its way to its order: where its raw text is kept (the Bronze chunk written by the
/// ingestion coordinator, and its index there) and the result of parsing it: a valid event or line, or a
/// rejection. The raw text itself does not travel: Bronze is written once, by chunk, and the order keeps
/// only the record's position and outcome. Rejected records that still name an order are routed to that
/// order's Bronze log.
/// </summary>
[GenerateSerializer, Immutable, Alias("sp.RawRecord")]
public sealed record RawRecord
{
    /// <summary>Number of the Bronze chunk that holds the record's raw text.</summary>
    [Id(0)] public required long Chunk { get; init; }

    /// <summary>Index of the record within its Bronze chunk.</summary>
    [Id(1)] public required int Index { get; init; }
    [Id(2)] public required DateTimeOffset IngestTime { get; init; }
    [Id(3)] public required string OrderId { get; init; }
    [Id(4)] public OrderEvent? Event { get; init; }

    /// <summary>True when a rule or a <c>quarantine</c> expectation rejected the record (the reason is in its Bronze chunk).</summary>
    [Id(5)] public bool Rejected { get; init; }

    /// <summary>For a line source (csv, parquet): the mapped, validated order line; null for order events.</summary>
    [Id(6)] public SourceLine? Line { get; init; }

    /// <summary>True when an expectation's <c>drop</c> action removed the record (kept in Bronze, ignored by Silver).</summary>
    [Id(7)] public bool Dropped { get; init; }
}

/// <summary>
/// One order line from a line source, with the order-level fields its row carried. Rows with the same
/// order_id form one order; <see cref="LineKey"/> identifies the line within it (line_id when mapped,
/// else source, file and row), so a row read twice is the same line.
/// </summary>
[MemoryPackable]
[GenerateSerializer, Immutable, Alias("sp.SourceLine")]
public sealed partial record SourceLine
{
    [Id(0)] public required string LineKey { get; init; }
    [Id(1)] public required OrderLine Line { get; init; }

    /// <summary>Order time carrying the source time zone's offset: its clock date is the order date.</summary>
    [Id(2)] public required DateTimeOffset OrderTime { get; init; }
    [Id(3)] public string? CustomerId { get; init; }
    [Id(4)] public required string Region { get; init; }
    [Id(5)] public string? Country { get; init; }
    [Id(6)] public required string Currency { get; init; }

    /// <summary>The row's status when the source maps one.</summary>
    [Id(7)] public OrderStatus? Status { get; init; }

    /// <summary>Arrival order of the line within its source (file order, then row): the latest row's order fields win.</summary>
    [Id(8)] public required long Arrival { get; init; }
}

/// <summary>How a record ended up once it reached its order.</summary>
[GenerateSerializer, Alias("sp.RecordOutcome")]
public enum RecordOutcome
{
    /// <summary>Became the order's current version.</summary>
    Applied = 0,

    /// <summary>Same event_id seen before for this order.</summary>
    Duplicate = 1,

    /// <summary>Older than the current version; kept in Bronze, ignored by Silver.</summary>
    Stale = 2,

    /// <summary>Failed a rule; kept in Bronze and quarantine.</summary>
    Quarantined = 3,

    /// <summary>Removed by an expectation with the <c>drop</c> action; kept in Bronze, counted, ignored by Silver.</summary>
    Dropped = 4,
}
