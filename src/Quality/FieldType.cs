namespace SalesPipeline.Quality;

/// <summary>The type of a field that conditions can refer to.</summary>
public enum FieldType
{
    /// <summary>A <see cref="decimal"/> (money and quantities are never floating point).</summary>
    Number,

    /// <summary>A <see cref="string"/>, compared ordinally (case-sensitive, culture-independent).</summary>
    Text,

    /// <summary>A <see cref="DateTimeOffset"/>, compared as an instant.</summary>
    Timestamp,

    /// <summary>A <see cref="bool"/>.</summary>
    Boolean,
}
