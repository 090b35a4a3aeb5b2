namespace SalesPipeline.Quality;

/// <summary>
/// Reads the fields of the record being checked, by the ordinal the field has in the <see cref="FieldSchema"/> the
/// expectations were compiled against. A <c>null</c> result is SQL NULL.
/// </summary>
/// <remarks>
/// Only the getter matching the field's declared <see cref="FieldType"/> is called. Implement it on a class and reuse
/// one instance per thread (for example an adapter whose current record is swapped per line): a struct would be boxed
/// on every evaluation.
/// </remarks>
public interface IFieldReader
{
    /// <summary>The value of a <see cref="FieldType.Number"/> field, or null.</summary>
    decimal? GetNumber(int ordinal);

    /// <summary>The value of a <see cref="FieldType.Text"/> field, or null.</summary>
    string? GetText(int ordinal);

    /// <summary>The value of a <see cref="FieldType.Timestamp"/> field, or null.</summary>
    DateTimeOffset? GetTimestamp(int ordinal);

    /// <summary>The value of a <see cref="FieldType.Boolean"/> field, or null.</summary>
    bool? GetBoolean(int ordinal);
}
