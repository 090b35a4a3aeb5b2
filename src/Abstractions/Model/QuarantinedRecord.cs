namespace SalesPipeline.Abstractions.Model;

/// <summary>A record that failed a rule or could not be parsed, with the reason and its raw text.</summary>
[GenerateSerializer, Immutable, Alias("sp.QuarantinedRecord")]
public sealed record QuarantinedRecord
{
    [Id(0)] public long Id { get; init; }
    [Id(1)] public required RecordOrigin Origin { get; init; }
    [Id(2)] public string? OrderId { get; init; }
    [Id(3)] public required string Reason { get; init; }

    /// <summary>The expectation (rule) that quarantined it; null for built-in parse and contract rules.</summary>
    [Id(4)] public string? Rule { get; init; }

    /// <summary>The raw line, cut to the line limit when longer (see <see cref="RawBytes"/>).</summary>
    [Id(5)] public required string Raw { get; init; }

    /// <summary>Length in bytes of the original line.</summary>
    [Id(6)] public long RawBytes { get; init; }
    [Id(7)] public DateTimeOffset IngestTime { get; init; }
}
