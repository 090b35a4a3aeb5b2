using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

internal static class Stats
{
    public static long? NumRecords(string? stats)
    {
        if (stats is null) return null;
        try { return JsonNode.Parse(stats) is JsonObject o ? ActionJson.Long(o, "numRecords") : null; }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
