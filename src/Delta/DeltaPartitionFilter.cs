using System.Globalization;

namespace SalesPipeline.Delta;

/// <summary>
/// A predicate on partition columns: a conjunction of "column = value" or "column IN (values)" terms
/// (null matches the null partition). Used by replaceWhere overwrites and deletes.
/// </summary>
public sealed class DeltaPartitionFilter
{
    private readonly List<(string Column, object?[] Values)> _terms = [];

    private DeltaPartitionFilter() { }

    /// <summary>column = value.</summary>
    public static DeltaPartitionFilter Where(string column, object? value) => new DeltaPartitionFilter().And(column, value);

    /// <summary>column IN (values).</summary>
    public static DeltaPartitionFilter WhereIn(string column, params object?[] values) => new DeltaPartitionFilter().AndIn(column, values);

    /// <summary>Adds "AND column = value".</summary>
    public DeltaPartitionFilter And(string column, object? value) => AndIn(column, value);

    /// <summary>Adds "AND column IN (values)".</summary>
    public DeltaPartitionFilter AndIn(string column, params object?[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(values);
        _terms.Add((column, values));
        return this;
    }

    internal IReadOnlyList<(string Column, object?[] Values)> Terms => _terms;

    /// <summary>Checks that every column is a partition column of the table.</summary>
    internal void Validate(IReadOnlyList<string> partitionColumns)
    {
        foreach (var (c, _) in _terms)
        {
            if (!partitionColumns.Contains(c, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"'{c}' is not a partition column (partition columns: {string.Join(", ", partitionColumns)}); only partition predicates are supported.");
        }
    }

    /// <summary>True when the serialized partition values of a file satisfy every term.</summary>
    internal bool Matches(IReadOnlyDictionary<string, string?> partitionValues, DeltaSchema schema)
    {
        foreach (var (c, values) in _terms)
        {
            var field = schema.Find(c)!;
            var key = partitionValues.Keys.FirstOrDefault(k => string.Equals(k, c, StringComparison.OrdinalIgnoreCase));
            var actual = key is null ? null : PartitionCodec.Parse(partitionValues[key], field.Type);
            var hit = false;
            foreach (var v in values)
            {
                var expected = v is null ? null : ValueConvert.Coerce(v, field.Type, field.Name);
                if (Equals(expected, actual)) { hit = true; break; }
            }
            if (!hit) return false;
        }
        return true;
    }

    /// <summary>True when a row (table-schema order) satisfies every term.</summary>
    internal bool MatchesRow(object?[] row, DeltaSchema schema)
    {
        foreach (var (c, values) in _terms)
        {
            var i = schema.IndexOf(c);
            var field = schema.Fields[i];
            var actual = row[i] is null ? null : ValueConvert.Coerce(row[i], field.Type, field.Name);
            if (actual is string s && s.Length == 0) actual = null;
            if (!values.Any(v => Equals(v is null ? null : ValueConvert.Coerce(v, field.Type, field.Name), actual))) return false;
        }
        return true;
    }

    /// <summary>SQL text, as recorded in commitInfo.operationParameters.</summary>
    public override string ToString() => string.Join(" AND ", _terms.Select(t => t.Values.Length == 1
        ? t.Values[0] is null ? $"{t.Column} IS NULL" : $"{t.Column} = {Literal(t.Values[0])}"
        : $"{t.Column} IN ({string.Join(", ", t.Values.Select(Literal))})"));

    private static string Literal(object? v) => v switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateOnly d => $"DATE'{d:yyyy-MM-dd}'",
        DateTime dt => $"TIMESTAMP'{dt:yyyy-MM-dd HH:mm:ss.ffffff}'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
