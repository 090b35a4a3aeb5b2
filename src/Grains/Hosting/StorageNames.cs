namespace SalesPipeline.Grains.Hosting;

/// <summary>Names of the grain storage providers the grains use.</summary>
internal static class StorageNames
{
    /// <summary>Orleans' ADO.NET provider, for control-plane state written outside ingestion.</summary>
    public const string Control = "control";

    /// <summary>Orleans' stream pub-sub store (implicit subscriptions only, so it stays empty).</summary>
    public const string PubSub = "PubSubStore";
}
