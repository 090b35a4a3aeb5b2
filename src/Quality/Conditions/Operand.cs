namespace SalesPipeline.Quality.Conditions;

/// <summary>The static type of a compiled expression; <see cref="Null"/> is the type of the literal NULL.</summary>
internal enum ValueKind { Null, Boolean, Number, Text, Timestamp }

/// <summary>
/// A compiled, type-checked expression: a delegate over the record whose signature follows <see cref="Kind"/>
/// (<see cref="Tri"/> for boolean, <c>decimal?</c>, <c>string?</c>, <c>DateTimeOffset?</c>). An expression without
/// fields is evaluated once at compile time and becomes a constant.
/// </summary>
internal sealed class Operand
{
    private static readonly Func<IFieldReader, Tri> UnknownBoolean = static _ => Tri.Unknown;
    private static readonly Func<IFieldReader, decimal?> NullNumber = static _ => null;
    private static readonly Func<IFieldReader, string?> NullText = static _ => null;
    private static readonly Func<IFieldReader, DateTimeOffset?> NullTimestamp = static _ => null;

    private readonly Delegate _evaluate;

    private Operand(ValueKind kind, Delegate evaluate, int position, bool isConstant, string? stringLiteral = null)
    {
        Kind = kind;
        _evaluate = evaluate;
        Position = position;
        IsConstant = isConstant;
        StringLiteral = stringLiteral;
    }

    public ValueKind Kind { get; }

    /// <summary>Where errors about this expression point.</summary>
    public int Position { get; }

    /// <summary>The expression reads no field.</summary>
    public bool IsConstant { get; }

    /// <summary>The value when the expression is a string literal as written (which may stand for a timestamp).</summary>
    public string? StringLiteral { get; }

    public static Operand Null(int position) => new(ValueKind.Null, UnknownBoolean, position, isConstant: true);

    public static Operand Literal(string value, int position) => new(ValueKind.Text, (Func<IFieldReader, string?>)(_ => value), position, true, value);

    public static Operand Boolean(Func<IFieldReader, Tri> evaluate, int position, bool isConstant) =>
        new(ValueKind.Boolean, isConstant ? Fold(evaluate) : evaluate, position, isConstant);

    public static Operand Number(Func<IFieldReader, decimal?> evaluate, int position, bool isConstant) =>
        new(ValueKind.Number, isConstant ? Fold(evaluate) : evaluate, position, isConstant);

    public static Operand Text(Func<IFieldReader, string?> evaluate, int position, bool isConstant) =>
        new(ValueKind.Text, isConstant ? Fold(evaluate) : evaluate, position, isConstant);

    public static Operand Timestamp(Func<IFieldReader, DateTimeOffset?> evaluate, int position, bool isConstant) =>
        new(ValueKind.Timestamp, isConstant ? Fold(evaluate) : evaluate, position, isConstant);

    public Func<IFieldReader, Tri> AsBoolean() => Kind == ValueKind.Null ? UnknownBoolean : As<Tri>(ValueKind.Boolean);

    public Func<IFieldReader, bool?> AsNullableBoolean()
    {
        var evaluate = AsBoolean();
        return record => TriLogic.ToNullable(evaluate(record));
    }

    public Func<IFieldReader, decimal?> AsNumber() => Kind == ValueKind.Null ? NullNumber : As<decimal?>(ValueKind.Number);

    public Func<IFieldReader, string?> AsText() => Kind == ValueKind.Null ? NullText : As<string?>(ValueKind.Text);

    public Func<IFieldReader, DateTimeOffset?> AsTimestamp() => Kind == ValueKind.Null ? NullTimestamp : As<DateTimeOffset?>(ValueKind.Timestamp);

    /// <summary>The value of a constant expression.</summary>
    public static T Constant<T>(Func<IFieldReader, T> evaluate) => evaluate(ConstantReader.Instance);

    private Func<IFieldReader, T> As<T>(ValueKind expected) =>
        Kind == expected ? (Func<IFieldReader, T>)_evaluate : throw new InvalidOperationException($"A {Kind} expression was used as {expected}.");

    private static Func<IFieldReader, T> Fold<T>(Func<IFieldReader, T> evaluate)
    {
        var value = Constant(evaluate);
        return _ => value;
    }

    /// <summary>Stands in for a record when a constant expression is evaluated at compile time.</summary>
    private sealed class ConstantReader : IFieldReader
    {
        public static readonly ConstantReader Instance = new();

        public decimal? GetNumber(int ordinal) => throw NoFields();
        public string? GetText(int ordinal) => throw NoFields();
        public DateTimeOffset? GetTimestamp(int ordinal) => throw NoFields();
        public bool? GetBoolean(int ordinal) => throw NoFields();

        private static InvalidOperationException NoFields() => new("A constant expression read a field.");
    }
}

internal static class ValueKindExtensions
{
    public static string Describe(this ValueKind kind) => kind switch
    {
        ValueKind.Null => "NULL",
        ValueKind.Boolean => "boolean",
        ValueKind.Number => "number",
        ValueKind.Text => "text",
        _ => "timestamp",
    };

    public static ValueKind ToValueKind(this FieldType type) => type switch
    {
        FieldType.Number => ValueKind.Number,
        FieldType.Text => ValueKind.Text,
        FieldType.Timestamp => ValueKind.Timestamp,
        _ => ValueKind.Boolean,
    };
}
