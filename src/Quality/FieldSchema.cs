using SalesPipeline.Quality.Conditions;

namespace SalesPipeline.Quality;

/// <summary>A field that conditions can refer to.</summary>
/// <param name="Name">An identifier (letter or <c>_</c>, then letters, digits or <c>_</c>), not a keyword of the condition language.</param>
/// <param name="Type">The field's type.</param>
public sealed record SchemaField(string Name, FieldType Type);

/// <summary>
/// The fields conditions can refer to, in ordinal order: the ordinal of a field is its index here and is what
/// <see cref="IFieldReader"/> receives. Names are case-insensitive.
/// </summary>
public sealed class FieldSchema
{
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a schema; names must be unique regardless of case.</summary>
    /// <exception cref="ArgumentException">A name is not an identifier, is a keyword, or is repeated.</exception>
    public FieldSchema(params IEnumerable<SchemaField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields.ToArray();
        for (var i = 0; i < Fields.Count; i++)
        {
            var field = Fields[i] ?? throw new ArgumentException($"Field {i} is null.", nameof(fields));
            if (!Lexer.IsIdentifier(field.Name))
                throw new ArgumentException($"Field name '{field.Name}' is not an identifier or is a keyword of the condition language.", nameof(fields));
            if (!Enum.IsDefined(field.Type))
                throw new ArgumentException($"Field '{field.Name}' has an unknown type {field.Type}.", nameof(fields));
            if (!_ordinals.TryAdd(field.Name, i))
                throw new ArgumentException($"Duplicate field name '{field.Name}' (names are case-insensitive).", nameof(fields));
        }
    }

    /// <summary>
    /// The fields of a sales line in the pipeline, with ordinals given by <see cref="PipelineFields"/>: text
    /// <c>order_id, line_id, event_id, product_id, product_name, customer_id, region, country, currency, status,
    /// channel</c>; number <c>quantity, unit_price, discount, line_amount, sequence</c>; timestamp <c>order_time,
    /// event_time</c>.
    /// </summary>
    public static FieldSchema Pipeline { get; } = new(
        new SchemaField("order_id", FieldType.Text),
        new SchemaField("line_id", FieldType.Text),
        new SchemaField("event_id", FieldType.Text),
        new SchemaField("product_id", FieldType.Text),
        new SchemaField("product_name", FieldType.Text),
        new SchemaField("customer_id", FieldType.Text),
        new SchemaField("region", FieldType.Text),
        new SchemaField("country", FieldType.Text),
        new SchemaField("currency", FieldType.Text),
        new SchemaField("status", FieldType.Text),
        new SchemaField("channel", FieldType.Text),
        new SchemaField("quantity", FieldType.Number),
        new SchemaField("unit_price", FieldType.Number),
        new SchemaField("discount", FieldType.Number),
        new SchemaField("line_amount", FieldType.Number),
        new SchemaField("sequence", FieldType.Number),
        new SchemaField("order_time", FieldType.Timestamp),
        new SchemaField("event_time", FieldType.Timestamp));

    /// <summary>Fields in ordinal order.</summary>
    public IReadOnlyList<SchemaField> Fields { get; }

    /// <summary>The ordinal of a field (case-insensitive), or false when there is none.</summary>
    public bool TryGetOrdinal(string name, out int ordinal) => _ordinals.TryGetValue(name, out ordinal);

    /// <summary>The ordinal of a field (case-insensitive).</summary>
    /// <exception cref="ArgumentException">There is no such field.</exception>
    public int GetOrdinal(string name) =>
        _ordinals.TryGetValue(name, out var ordinal) ? ordinal : throw new ArgumentException($"Unknown field '{name}'.", nameof(name));
}
