namespace SalesPipeline.Abstractions.Streaming;

/// <summary>Stream provider names and namespaces, in one place so silo, grains and tests agree.</summary>
public static class StreamNames
{
    /// <summary>The stream provider that carries raw records from sources to the order partitions.</summary>
    public const string Provider = "sales";

    /// <summary>Namespace of the raw-record streams; the stream key is the ingest partition number.</summary>
    public const string RawRecords = "raw-records";
}
