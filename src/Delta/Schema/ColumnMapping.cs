using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

/// <summary>Column mapping (PROTOCOL.md "Column Mapping"): the name a column has inside data files and partition values.</summary>
internal static class ColumnMapping
{
    public static string PhysicalName(DeltaField field) =>
        field.Metadata?["delta.columnMapping.physicalName"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : field.Name;
}
