namespace SalesPipeline.Abstractions.Model;

/// <summary>Where a raw record came from: source name, file (relative to the source folder) and 1-based line.</summary>
[GenerateSerializer, Immutable, Alias("sp.RecordOrigin")]
public sealed record RecordOrigin(
    [property: Id(0)] string Source,
    [property: Id(1)] string File,
    [property: Id(2)] long Line);

/// <summary>
/// A record as received (Bronze) together with the result of parsing it: either a valid event or a
/// rejection reason. Rejected records that still name an order are routed to that order's Bronze log.
/// </summary>
[GenerateSerializer, Immutable, Alias("sp.RawRecord")]
public sealed record RawRecord
{
    [Id(0)] public required RecordOrigin Origin { get; init; }
    [Id(1)] public required DateTimeOffset IngestTime { get; init; }
    [Id(2)] public required string Raw { get; init; }
    [Id(3)] public required string OrderId { get; init; }
    [Id(4)] public OrderEvent? Event { get; init; }
    [Id(5)] public string? Rejection { get; init; }

    /// <summary>For a line source (csv, parquet): the mapped, validated order line; null for order events.</summary>
    [Id(6)] public SourceLine? Line { get; init; }

    /// <summary>The expectation whose <c>drop</c> action removed the record (kept in Bronze, ignored by Silver).</summary>
    [Id(7)] public string? DroppedBy { get; init; }
}

/// <summary>
/// One order line from a line source, with the order-level fields its row carried. Rows with the same
/// order_id form one order; <see cref="LineKey"/> identifies the line within it (line_id when mapped,
/// else source, file and row), so a row read twice is the same line.
/// </summary>
[GenerateSerializer, Immutable, Alias("sp.SourceLine")]
public sealed record SourceLine
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
