using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

/// <summary>A column of a Delta table.</summary>
/// <param name="Name">Column name as written in the schema.</param>
/// <param name="Type">Column type.</param>
/// <param name="Nullable">Whether the column may hold nulls.</param>
/// <param name="Metadata">Column metadata (the schema's <c>metadata</c> object); null means empty.</param>
public sealed record DeltaField(string Name, DeltaDataType Type, bool Nullable = true, JsonObject? Metadata = null);

/// <summary>The top-level schema of a Delta table (a struct).</summary>
public sealed class DeltaSchema
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a schema; names must be unique regardless of case (a protocol rule).</summary>
    public DeltaSchema(IEnumerable<DeltaField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields.ToArray();
        _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Fields.Count; i++)
        {
            if (!_index.TryAdd(Fields[i].Name, i))
                throw new ArgumentException($"Duplicate column name '{Fields[i].Name}' (names are case-insensitive in Delta).", nameof(fields));
        }
    }

    /// <summary>Creates a schema from fields.</summary>
    public DeltaSchema(params DeltaField[] fields) : this((IEnumerable<DeltaField>)fields) { }

    /// <summary>Columns in order.</summary>
    public IReadOnlyList<DeltaField> Fields { get; }

    /// <summary>Index of a column (case-insensitive), or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>The column with this name (case-insensitive), or null.</summary>
    public DeltaField? Find(string name) => _index.TryGetValue(name, out var i) ? Fields[i] : null;

    /// <summary>The Spark-compatible <c>schemaString</c>.</summary>
    public string ToJson() => SchemaJson.ToJson(this);

    /// <summary>Parses a <c>schemaString</c>.</summary>
    public static DeltaSchema FromJson(string json) => SchemaJson.Parse(json);

    /// <inheritdoc />
    public override string ToString() => ToJson();
}
