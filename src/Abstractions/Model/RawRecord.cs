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
}
