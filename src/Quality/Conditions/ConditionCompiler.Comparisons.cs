using System.Globalization;

namespace SalesPipeline.Quality.Conditions;

internal enum ComparisonOperator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

internal sealed partial class ConditionCompiler
{
    // ISO-8601 date or date-time; 'T' or a space between; optional fraction and offset (none means UTC).
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd' 'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
    ];

    private Operand Comparison(BinaryOperation operation)
    {
        var left = Compile(operation.Left);
        var right = Compile(operation.Right);
        var symbol = $"'{operation.Symbol}'";
        RejectNull(left, symbol);
        RejectNull(right, symbol);
        var kind = Unify(ref left, ref right, operation.Position, $"operator {symbol} cannot compare");
        var op = operation.Operator switch
        {
            BinaryOperator.Equal => ComparisonOperator.Equal,
            BinaryOperator.NotEqual => ComparisonOperator.NotEqual,
            BinaryOperator.Less => ComparisonOperator.Less,
            BinaryOperator.LessOrEqual => ComparisonOperator.LessOrEqual,
            BinaryOperator.Greater => ComparisonOperator.Greater,
            _ => ComparisonOperator.GreaterOrEqual,
        };
        if (kind == ValueKind.Boolean && op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
            throw new ConditionException($"operator {symbol} cannot order boolean values (use = or <>)", operation.Position);
        return Operand.Boolean(Compare(kind, left, right, op), operation.Position, left.IsConstant && right.IsConstant);
    }

    private Operand In(InList list)
    {
        var operand = Compile(list.Operand);
        RejectNull(operand, list.Negated ? "NOT IN" : "IN");
        var items = list.Items.Select(Compile).ToArray();
        if (operand.StringLiteral is not null && items.Any(i => i.Kind == ValueKind.Timestamp))
            operand = TimestampLiteral(operand);
        var kind = operand.Kind;
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            items[i] = Coerce(item, kind, $"IN list item {i + 1} is {item.Kind.Describe()} but the tested value is {kind.Describe()}");
        }

        var constantItems = items.All(i => i.IsConstant);
        var test = kind switch
        {
            ValueKind.Number => In(operand.AsNumber(), items.Select(i => i.AsNumber()).ToArray(), constantItems),
            ValueKind.Timestamp => In(operand.AsTimestamp(), items.Select(i => i.AsTimestamp()).ToArray(), constantItems),
            ValueKind.Boolean => In(operand.AsNullableBoolean(), items.Select(i => i.AsNullableBoolean()).ToArray(), constantItems),
            _ => InText(operand.AsText(), items.Select(i => i.AsText()).ToArray(), constantItems),
        };
        if (list.Negated)
            test = TriLogic.Not(test);
        return Operand.Boolean(test, list.Position, operand.IsConstant && constantItems);
    }

    private Operand Between(BetweenTest between)
    {
        var what = between.Negated ? "NOT BETWEEN" : "BETWEEN";
        var operand = Compile(between.Operand);
        var low = Compile(between.Low);
        var high = Compile(between.High);
        RejectNull(operand, what);
        RejectNull(low, what);
        RejectNull(high, what);
        // Unify with both bounds; a string-literal operand may only turn into a timestamp at the second bound, so the
        // first bound is unified again.
        Unify(ref operand, ref low, between.Position, $"{what} cannot compare");
        Unify(ref operand, ref high, between.Position, $"{what} cannot compare");
        var kind = Unify(ref operand, ref low, between.Position, $"{what} cannot compare");
        if (kind == ValueKind.Boolean)
            throw new ConditionException($"{what} cannot order boolean values", between.Position);

        // x BETWEEN a AND b is x >= a AND x <= b, with the same NULL semantics; NOT BETWEEN negates it.
        var test = TriLogic.And(
            Compare(kind, operand, low, ComparisonOperator.GreaterOrEqual),
            Compare(kind, operand, high, ComparisonOperator.LessOrEqual));
        if (between.Negated)
            test = TriLogic.Not(test);
        return Operand.Boolean(test, between.Position, operand.IsConstant && low.IsConstant && high.IsConstant);
    }

    /// <summary>
    /// Makes both sides the same type: equal types as they are; a string literal next to a timestamp is parsed as a
    /// timestamp; anything else is a type error.
    /// </summary>
    private static ValueKind Unify(ref Operand left, ref Operand right, int position, string what)
    {
        if (left.Kind == right.Kind)
            return left.Kind;
        if (left.Kind == ValueKind.Timestamp && right.StringLiteral is not null)
        {
            right = TimestampLiteral(right);
            return ValueKind.Timestamp;
        }
        if (right.Kind == ValueKind.Timestamp && left.StringLiteral is not null)
        {
            left = TimestampLiteral(left);
            return ValueKind.Timestamp;
        }
        throw new ConditionException($"{what} {left.Kind.Describe()} with {right.Kind.Describe()}", position);
    }

    private static Operand Coerce(Operand operand, ValueKind target, string message)
    {
        if (operand.Kind == target || operand.Kind == ValueKind.Null)
            return operand;
        if (target == ValueKind.Timestamp && operand.StringLiteral is not null)
            return TimestampLiteral(operand);
        throw new ConditionException(message, operand.Position);
    }

    private static Operand TimestampLiteral(Operand literal)
    {
        var text = literal.StringLiteral!;
        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            throw new ConditionException($"'{text}' is not an ISO-8601 timestamp or date (e.g. '2024-05-01' or '2024-05-01T13:45:00Z')", literal.Position);
        DateTimeOffset? value = parsed;
        return Operand.Timestamp(_ => value, literal.Position, isConstant: true);
    }

    private static Func<IFieldReader, Tri> Compare(ValueKind kind, Operand left, Operand right, ComparisonOperator op) => kind switch
    {
        ValueKind.Number => Compare(left.AsNumber(), right.AsNumber(), left.IsConstant, right.IsConstant, op),
        ValueKind.Timestamp => Compare(left.AsTimestamp(), right.AsTimestamp(), left.IsConstant, right.IsConstant, op),
        ValueKind.Boolean => Compare(left.AsNullableBoolean(), right.AsNullableBoolean(), left.IsConstant, right.IsConstant, op),
        _ => CompareText(left.AsText(), right.AsText(), left.IsConstant, right.IsConstant, op),
    };

    private static Func<IFieldReader, Tri> Compare<T>(
        Func<IFieldReader, T?> left, Func<IFieldReader, T?> right, bool leftConstant, bool rightConstant, ComparisonOperator op)
        where T : struct, IComparable<T>
    {
        if (leftConstant && !rightConstant)
            return Compare(right, left, rightConstant, leftConstant, Flip(op));
        if (rightConstant)
        {
            // The common shape (field op literal): capture the literal's value instead of calling a delegate for it.
            if (Operand.Constant(right) is not { } constant)
                return static _ => Tri.Unknown;
            return record => left(record) is { } value ? Test(value.CompareTo(constant), op) : Tri.Unknown;
        }
        return record => left(record) is { } a && right(record) is { } b ? Test(a.CompareTo(b), op) : Tri.Unknown;
    }

    private static Func<IFieldReader, Tri> CompareText(
        Func<IFieldReader, string?> left, Func<IFieldReader, string?> right, bool leftConstant, bool rightConstant, ComparisonOperator op)
    {
        if (leftConstant && !rightConstant)
            return CompareText(right, left, rightConstant, leftConstant, Flip(op));
        if (rightConstant)
        {
            if (Operand.Constant(right) is not { } constant)
                return static _ => Tri.Unknown;
            return record => left(record) is { } value ? TestText(value, constant, op) : Tri.Unknown;
        }
        return record => left(record) is { } a && right(record) is { } b ? TestText(a, b, op) : Tri.Unknown;
    }

    private static Tri TestText(string a, string b, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => TriLogic.Of(string.Equals(a, b)),
        ComparisonOperator.NotEqual => TriLogic.Of(!string.Equals(a, b)),
        _ => Test(string.CompareOrdinal(a, b), op),
    };

    private static Tri Test(int comparison, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => TriLogic.Of(comparison == 0),
        ComparisonOperator.NotEqual => TriLogic.Of(comparison != 0),
        ComparisonOperator.Less => TriLogic.Of(comparison < 0),
        ComparisonOperator.LessOrEqual => TriLogic.Of(comparison <= 0),
        ComparisonOperator.Greater => TriLogic.Of(comparison > 0),
        _ => TriLogic.Of(comparison >= 0),
    };

    private static ComparisonOperator Flip(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };

    // SQL IN: TRUE when some item equals the value; otherwise NULL when the value or some item is NULL; else FALSE.
    private static Func<IFieldReader, Tri> In<T>(Func<IFieldReader, T?> value, Func<IFieldReader, T?>[] items, bool constantItems)
        where T : struct, IEquatable<T>
    {
        if (constantItems)
        {
            var set = new HashSet<T>();
            var hasNull = false;
            foreach (var item in items)
            {
                if (Operand.Constant(item) is { } constant)
                    set.Add(constant);
                else
                    hasNull = true;
            }
            var notFound = hasNull ? Tri.Unknown : Tri.False;
            return record => value(record) is { } v ? (set.Contains(v) ? Tri.True : notFound) : Tri.Unknown;
        }
        return record =>
        {
            if (value(record) is not { } v)
                return Tri.Unknown;
            var result = Tri.False;
            foreach (var item in items)
            {
                if (item(record) is not { } candidate)
                    result = Tri.Unknown;
                else if (v.Equals(candidate))
                    return Tri.True;
            }
            return result;
        };
    }

    private static Func<IFieldReader, Tri> InText(Func<IFieldReader, string?> value, Func<IFieldReader, string?>[] items, bool constantItems)
    {
        if (constantItems)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            var hasNull = false;
            foreach (var item in items)
            {
                if (Operand.Constant(item) is { } constant)
                    set.Add(constant);
                else
                    hasNull = true;
            }
            var notFound = hasNull ? Tri.Unknown : Tri.False;
            return record => value(record) is { } v ? (set.Contains(v) ? Tri.True : notFound) : Tri.Unknown;
        }
        return record =>
        {
            if (value(record) is not { } v)
                return Tri.Unknown;
            var result = Tri.False;
            foreach (var item in items)
            {
                if (item(record) is not { } candidate)
                    result = Tri.Unknown;
                else if (string.Equals(v, candidate))
                    return Tri.True;
            }
            return result;
        };
    }
}
