namespace SalesPipeline.Quality.Conditions;

/// <summary>
/// Type-checks a parsed condition against a <see cref="FieldSchema"/> and turns it into nested closures, once. Field
/// names become ordinals, literals and field-free sub-expressions become constants, constant IN lists become hash sets
/// and constant LIKE patterns are pre-parsed, so evaluating a record allocates nothing (except LOWER/UPPER/TRIM,
/// which build strings, and LIKE with a non-constant pattern).
/// </summary>
internal sealed partial class ConditionCompiler
{
    private readonly FieldSchema _schema;

    private ConditionCompiler(FieldSchema schema) => _schema = schema;

    // start: position of the condition's first character, where a non-boolean condition is reported.
    public static Func<IFieldReader, Tri> Compile(Syntax syntax, FieldSchema schema, int start)
    {
        var operand = new ConditionCompiler(schema).Compile(syntax);
        if (operand.Kind is not (ValueKind.Boolean or ValueKind.Null))
            throw new ConditionException($"condition must be a boolean expression but is {operand.Kind.Describe()}", start);
        return operand.AsBoolean();
    }

    private Operand Compile(Syntax syntax) => syntax switch
    {
        NumberLiteral number => Literal(number),
        StringLiteral text => Operand.Literal(text.Value, text.Position),
        BooleanLiteral boolean => Operand.Boolean(boolean.Value ? static _ => Tri.True : static _ => Tri.False, boolean.Position, isConstant: true),
        NullLiteral literal => Operand.Null(literal.Position),
        FieldReference field => Field(field),
        FunctionCall call => Function(call),
        UnaryOperation unary => Unary(unary),
        BinaryOperation { Operator: BinaryOperator.And or BinaryOperator.Or } logical => Logical(logical),
        BinaryOperation { Operator: BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide } arithmetic => Arithmetic(arithmetic),
        BinaryOperation comparison => Comparison(comparison),
        IsNullTest test => IsNull(test),
        InList list => In(list),
        BetweenTest between => Between(between),
        LikeTest like => Like(like),
        _ => throw new InvalidOperationException($"Unexpected syntax node {syntax.GetType().Name}."),
    };

    private static Operand Literal(NumberLiteral literal)
    {
        decimal? value = literal.Value;
        return Operand.Number(_ => value, literal.Position, isConstant: true);
    }

    private Operand Field(FieldReference reference)
    {
        if (!_schema.TryGetOrdinal(reference.Name, out var ordinal))
            throw UnknownField(reference);
        var position = reference.Position;
        return _schema.Fields[ordinal].Type switch
        {
            FieldType.Number => Operand.Number(record => record.GetNumber(ordinal), position, isConstant: false),
            FieldType.Text => Operand.Text(record => record.GetText(ordinal), position, isConstant: false),
            FieldType.Timestamp => Operand.Timestamp(record => record.GetTimestamp(ordinal), position, isConstant: false),
            _ => Operand.Boolean(record => TriLogic.Of(record.GetBoolean(ordinal)), position, isConstant: false),
        };
    }

    private ConditionException UnknownField(FieldReference reference)
    {
        var names = _schema.Fields.Select(f => f.Name).ToArray();
        var suggestion = names
            .Select(name => (name, distance: EditDistance(name.ToLowerInvariant(), reference.Name.ToLowerInvariant())))
            .Where(c => c.distance <= Math.Max(2, reference.Name.Length / 3))
            .OrderBy(c => c.distance)
            .Select(c => c.name)
            .FirstOrDefault();
        var known = names.Length == 0 ? "the schema has no fields" : $"known fields: {string.Join(", ", names)}";
        var detail = suggestion is null ? $"({known})" : $"(did you mean '{suggestion}'? {known})";
        return new ConditionException($"unknown field '{reference.Name}'", reference.Position, detail);
    }

    private Operand Unary(UnaryOperation unary)
    {
        var operand = Compile(unary.Operand);
        if (unary.Operator == UnaryOperator.Not)
        {
            if (operand.Kind is not (ValueKind.Boolean or ValueKind.Null))
                throw new ConditionException($"NOT expects a boolean operand but found {operand.Kind.Describe()}", unary.Position);
            return Operand.Boolean(TriLogic.Not(operand.AsBoolean()), unary.Position, operand.IsConstant);
        }

        RejectNull(operand, "'-'");
        if (operand.Kind != ValueKind.Number)
            throw new ConditionException($"operator '-' expects a number but found {operand.Kind.Describe()}", unary.Position);
        var value = operand.AsNumber();
        return Operand.Number(record => -value(record), unary.Position, operand.IsConstant);
    }

    private Operand Logical(BinaryOperation operation)
    {
        var left = Compile(operation.Left);
        var right = Compile(operation.Right);
        foreach (var (operand, side) in new[] { (left, "left"), (right, "right") })
        {
            if (operand.Kind is not (ValueKind.Boolean or ValueKind.Null))
                throw new ConditionException($"{operation.Symbol} expects boolean operands but the {side} operand is {operand.Kind.Describe()}", operation.Position);
        }
        var test = operation.Operator == BinaryOperator.And
            ? TriLogic.And(left.AsBoolean(), right.AsBoolean())
            : TriLogic.Or(left.AsBoolean(), right.AsBoolean());
        return Operand.Boolean(test, operation.Position, left.IsConstant && right.IsConstant);
    }

    private Operand Arithmetic(BinaryOperation operation)
    {
        var left = Compile(operation.Left);
        var right = Compile(operation.Right);
        foreach (var (operand, side) in new[] { (left, "left"), (right, "right") })
        {
            RejectNull(operand, $"'{operation.Symbol}'");
            if (operand.Kind != ValueKind.Number)
                throw new ConditionException($"operator '{operation.Symbol}' expects numbers but the {side} operand is {operand.Kind.Describe()}", operation.Position);
        }
        var l = left.AsNumber();
        var r = right.AsNumber();
        Func<IFieldReader, decimal?> evaluate = operation.Operator switch
        {
            BinaryOperator.Add => record => l(record) is { } a && r(record) is { } b ? Add(a, b) : null,
            BinaryOperator.Subtract => record => l(record) is { } a && r(record) is { } b ? Subtract(a, b) : null,
            BinaryOperator.Multiply => record => l(record) is { } a && r(record) is { } b ? Multiply(a, b) : null,
            _ => record => l(record) is { } a && r(record) is { } b ? Divide(a, b) : null,
        };
        return Operand.Number(evaluate, operation.Position, left.IsConstant && right.IsConstant);
    }

    // Overflow gives NULL rather than an exception, like division by zero: a bad record must not stop the evaluator.
    private static decimal? Add(decimal a, decimal b)
    {
        try { return a + b; }
        catch (OverflowException) { return null; }
    }

    private static decimal? Subtract(decimal a, decimal b)
    {
        try { return a - b; }
        catch (OverflowException) { return null; }
    }

    private static decimal? Multiply(decimal a, decimal b)
    {
        try { return a * b; }
        catch (OverflowException) { return null; }
    }

    private static decimal? Divide(decimal a, decimal b)
    {
        if (b == 0)
            return null;
        try { return a / b; }
        catch (OverflowException) { return null; }
    }

    private Operand IsNull(IsNullTest test)
    {
        var operand = Compile(test.Operand);
        var whenNull = test.Negated ? Tri.False : Tri.True;
        var whenValue = test.Negated ? Tri.True : Tri.False;
        Func<IFieldReader, Tri> evaluate;
        switch (operand.Kind)
        {
            case ValueKind.Number:
                var number = operand.AsNumber();
                evaluate = record => number(record).HasValue ? whenValue : whenNull;
                break;
            case ValueKind.Text:
                var text = operand.AsText();
                evaluate = record => text(record) is null ? whenNull : whenValue;
                break;
            case ValueKind.Timestamp:
                var timestamp = operand.AsTimestamp();
                evaluate = record => timestamp(record).HasValue ? whenValue : whenNull;
                break;
            default:
                var boolean = operand.AsBoolean();
                evaluate = record => boolean(record) == Tri.Unknown ? whenNull : whenValue;
                break;
        }
        return Operand.Boolean(evaluate, test.Position, operand.IsConstant);
    }

    /// <summary>A literal NULL where it can only ever give NULL is a mistake (<c>x = NULL</c> never holds): reject it.</summary>
    private static void RejectNull(Operand operand, string what)
    {
        if (operand.Kind == ValueKind.Null)
            throw new ConditionException($"NULL operand of {what} always gives NULL", operand.Position, "(use IS NULL or IS NOT NULL to test for NULL)");
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
