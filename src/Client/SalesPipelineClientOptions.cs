namespace SalesPipeline.Client;

/// <summary>How the SDK reaches a SalesPipeline cluster.</summary>
public sealed class SalesPipelineClientOptions
{
    /// <summary>Gateway endpoints as <c>host:port</c>. Default <c>127.0.0.1:30000</c>, the embedded silo.</summary>
    public List<string> Gateways { get; set; } = ["127.0.0.1:30000"];

    /// <summary>Must match the silo's <c>Orleans:ClusterId</c>.</summary>
    public string ClusterId { get; set; } = "sales-pipeline";

    /// <summary>How long a call may take before it fails; long exports need more than Orleans' default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Must match the silo's <c>Orleans:ServiceId</c>.</summary>
    public string ServiceId { get; set; } = "sales-pipeline";
}
