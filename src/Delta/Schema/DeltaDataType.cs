namespace SalesPipeline.Delta;

/// <summary>A Delta column type (the Spark SQL type names the protocol uses).</summary>
public abstract class DeltaDataType
{
    private protected DeltaDataType() { }

    /// <summary>UTF-8 string.</summary>
    public static DeltaPrimitiveType String { get; } = new("string");
    /// <summary>64-bit signed integer.</summary>
    public static DeltaPrimitiveType Long { get; } = new("long");
    /// <summary>32-bit signed integer.</summary>
    public static DeltaPrimitiveType Integer { get; } = new("integer");
    /// <summary>16-bit signed integer.</summary>
    public static DeltaPrimitiveType Short { get; } = new("short");
    /// <summary>8-bit signed integer.</summary>
    public static DeltaPrimitiveType Byte { get; } = new("byte");
    /// <summary>Single-precision float.</summary>
    public static DeltaPrimitiveType Float { get; } = new("float");
    /// <summary>Double-precision float.</summary>
    public static DeltaPrimitiveType Double { get; } = new("double");
    /// <summary>Boolean.</summary>
    public static DeltaPrimitiveType Boolean { get; } = new("boolean");
    /// <summary>Binary.</summary>
    public static DeltaPrimitiveType Binary { get; } = new("binary");
    /// <summary>Calendar date, read as <see cref="DateOnly"/>.</summary>
    public static DeltaPrimitiveType Date { get; } = new("date");
    /// <summary>UTC timestamp with microsecond precision, read as <see cref="DateTime"/> of kind UTC.</summary>
    public static DeltaPrimitiveType Timestamp { get; } = new("timestamp");
    /// <summary>Timestamp without time zone (table feature <c>timestampNtz</c>), read as <see cref="DateTime"/> of kind Unspecified.</summary>
    public static DeltaPrimitiveType TimestampNtz { get; } = new("timestamp_ntz");

    /// <summary>A decimal type; precision 1..38, scale 0..precision.</summary>
    public static DeltaDecimalType Decimal(int precision, int scale) => new(precision, scale);

    /// <summary>The protocol's JSON name (for primitives) or a short description.</summary>
    public abstract string TypeName { get; }

    /// <inheritdoc />
    public override string ToString() => SchemaJson.TypeToJson(this);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeltaDataType other && ToString() == other.ToString();

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}

/// <summary>A primitive type such as <c>long</c> or <c>timestamp</c>.</summary>
public sealed class DeltaPrimitiveType : DeltaDataType
{
    internal DeltaPrimitiveType(string name) => TypeName = name;

    /// <inheritdoc />
    public override string TypeName { get; }
}

/// <summary><c>decimal(precision, scale)</c>.</summary>
public sealed class DeltaDecimalType : DeltaDataType
{
    internal DeltaDecimalType(int precision, int scale)
    {
        if (precision is < 1 or > 38) throw new ArgumentOutOfRangeException(nameof(precision), precision, "Decimal precision must be 1..38.");
        if (scale < 0 || scale > precision) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Decimal scale must be 0..precision.");
        Precision = precision;
        Scale = scale;
    }

    /// <summary>Total digits.</summary>
    public int Precision { get; }
    /// <summary>Digits after the point.</summary>
    public int Scale { get; }
    /// <inheritdoc />
    public override string TypeName => $"decimal({Precision},{Scale})";
}

/// <summary>A struct; read as <c>IReadOnlyDictionary&lt;string, object?&gt;</c>.</summary>
public sealed class DeltaStructType(IReadOnlyList<DeltaField> fields) : DeltaDataType
{
    /// <summary>Fields in order.</summary>
    public IReadOnlyList<DeltaField> Fields { get; } = fields;
    /// <inheritdoc />
    public override string TypeName => "struct";
}

/// <summary>An array; read as <c>IReadOnlyList&lt;object?&gt;</c>.</summary>
public sealed class DeltaArrayType(DeltaDataType elementType, bool containsNull) : DeltaDataType
{
    /// <summary>Element type.</summary>
    public DeltaDataType ElementType { get; } = elementType;
    /// <summary>Whether elements may be null.</summary>
    public bool ContainsNull { get; } = containsNull;
    /// <inheritdoc />
    public override string TypeName => "array";
}

/// <summary>A map; read as <c>IReadOnlyList&lt;KeyValuePair&lt;object, object?&gt;&gt;</c> in file order.</summary>
public sealed class DeltaMapType(DeltaDataType keyType, DeltaDataType valueType, bool valueContainsNull) : DeltaDataType
{
    /// <summary>Key type.</summary>
    public DeltaDataType KeyType { get; } = keyType;
    /// <summary>Value type.</summary>
    public DeltaDataType ValueType { get; } = valueType;
    /// <summary>Whether values may be null.</summary>
    public bool ValueContainsNull { get; } = valueContainsNull;
    /// <inheritdoc />
    public override string TypeName => "map";
}
