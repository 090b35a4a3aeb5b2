using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SalesPipeline.Delta;

/// <summary>Spark's JSON schema representation, as used by <c>metaData.schemaString</c>.</summary>
internal static partial class SchemaJson
{
    public static string ToJson(DeltaSchema schema) => StructNode(schema.Fields).ToJsonString();

    public static string TypeToJson(DeltaDataType type) => TypeNode(type).ToJsonString();

    private static JsonNode TypeNode(DeltaDataType type) => type switch
    {
        DeltaPrimitiveType p => JsonValue.Create(p.TypeName),
        DeltaDecimalType d => JsonValue.Create(d.TypeName),
        DeltaStructType s => StructNode(s.Fields),
        DeltaArrayType a => new JsonObject { ["type"] = "array", ["elementType"] = TypeNode(a.ElementType), ["containsNull"] = a.ContainsNull },
        DeltaMapType m => new JsonObject
        {
            ["type"] = "map", ["keyType"] = TypeNode(m.KeyType), ["valueType"] = TypeNode(m.ValueType), ["valueContainsNull"] = m.ValueContainsNull,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.GetType().Name, "Unknown Delta type."),
    };

    private static JsonObject StructNode(IReadOnlyList<DeltaField> fields)
    {
        var arr = new JsonArray();
        foreach (var f in fields)
        {
            arr.Add(new JsonObject
            {
                ["name"] = f.Name,
                ["type"] = TypeNode(f.Type),
                ["nullable"] = f.Nullable,
                ["metadata"] = f.Metadata?.DeepClone() ?? new JsonObject(),
            });
        }
        return new JsonObject { ["type"] = "struct", ["fields"] = arr };
    }

    public static DeltaSchema Parse(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new DeltaProtocolException($"Invalid schemaString: {ex.Message}", ex); }
        if (node is not JsonObject o || (string?)o["type"] != "struct")
            throw new DeltaProtocolException("schemaString is not a struct type.");
        return new DeltaSchema(ParseFields(o));
    }

    private static List<DeltaField> ParseFields(JsonObject structNode)
    {
        var result = new List<DeltaField>();
        foreach (var f in structNode["fields"]?.AsArray() ?? [])
        {
            var fo = f!.AsObject();
            var name = (string?)fo["name"] ?? throw new DeltaProtocolException("Schema field without a name.");
            var type = ParseType(fo["type"] ?? throw new DeltaProtocolException($"Schema field '{name}' has no type."));
            var nullable = (bool?)fo["nullable"] ?? true;
            var meta = fo["metadata"] as JsonObject;
            result.Add(new DeltaField(name, type, nullable, meta is null ? null : (JsonObject)meta.DeepClone()));
        }
        return result;
    }

    public static DeltaDataType ParseType(JsonNode node)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var name))
        {
            switch (name)
            {
                case "string": return DeltaDataType.String;
                case "long": return DeltaDataType.Long;
                case "integer": return DeltaDataType.Integer;
                case "short": return DeltaDataType.Short;
                case "byte": return DeltaDataType.Byte;
                case "float": return DeltaDataType.Float;
                case "double": return DeltaDataType.Double;
                case "boolean": return DeltaDataType.Boolean;
                case "binary": return DeltaDataType.Binary;
                case "date": return DeltaDataType.Date;
                case "timestamp": return DeltaDataType.Timestamp;
                case "timestamp_ntz": return DeltaDataType.TimestampNtz;
            }
            var m = DecimalRegex().Match(name);
            if (m.Success)
                return DeltaDataType.Decimal(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            if (name == "decimal") return DeltaDataType.Decimal(10, 0);
            throw new DeltaUnsupportedFeatureException($"data type '{name}'", $"The table uses the data type '{name}', which this reader does not support.");
        }
        var o = node.AsObject();
        return (string?)o["type"] switch
        {
            "struct" => new DeltaStructType(ParseFields(o)),
            "array" => new DeltaArrayType(ParseType(o["elementType"]!), (bool?)o["containsNull"] ?? true),
            "map" => new DeltaMapType(ParseType(o["keyType"]!), ParseType(o["valueType"]!), (bool?)o["valueContainsNull"] ?? true),
            var t => throw new DeltaUnsupportedFeatureException($"data type '{t}'", $"The table uses the data type '{t}', which this reader does not support."),
        };
    }

    [GeneratedRegex(@"^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$")]
    private static partial Regex DecimalRegex();
}
