using System.Globalization;

namespace SalesPipeline.Quality.Conditions;

internal enum BinaryOperator
{
    Or, And,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    Add, Subtract, Multiply, Divide,
}

internal enum UnaryOperator { Not, Negate }

/// <summary>
/// A parsed condition. <see cref="Position"/> is where errors about the node point: the operator of an operation, the
/// first character of a literal, field or function. <c>ToString()</c> prints a fully parenthesized canonical form.
/// </summary>
internal abstract record Syntax(int Position);

internal sealed record NumberLiteral(decimal Value, int Position) : Syntax(Position)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed record StringLiteral(string Value, int Position) : Syntax(Position)
{
    public override string ToString() => $"'{Value.Replace("'", "''", StringComparison.Ordinal)}'";
}

internal sealed record BooleanLiteral(bool Value, int Position) : Syntax(Position)
{
    public override string ToString() => Value ? "TRUE" : "FALSE";
}

internal sealed record NullLiteral(int Position) : Syntax(Position)
{
    public override string ToString() => "NULL";
}

internal sealed record FieldReference(string Name, int Position) : Syntax(Position)
{
    public override string ToString() => Name;
}

internal sealed record FunctionCall(string Name, IReadOnlyList<Syntax> Arguments, int Position) : Syntax(Position)
{
    public override string ToString() => $"{Name.ToUpperInvariant()}({string.Join(", ", Arguments)})";
}

internal sealed record UnaryOperation(UnaryOperator Operator, Syntax Operand, int Position) : Syntax(Position)
{
    public override string ToString() => Operator == UnaryOperator.Not ? $"(NOT {Operand})" : $"(-{Operand})";
}

// Symbol: the operator as written (!= or <>), for messages.
internal sealed record BinaryOperation(BinaryOperator Operator, Syntax Left, Syntax Right, int Position, string Symbol) : Syntax(Position)
{
    public override string ToString() => $"({Left} {CanonicalSymbol(Operator)} {Right})";

    public static string CanonicalSymbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "OR",
        BinaryOperator.And => "AND",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        _ => "/",
    };
}

internal sealed record IsNullTest(Syntax Operand, bool Negated, int Position) : Syntax(Position)
{
    public override string ToString() => Negated ? $"({Operand} IS NOT NULL)" : $"({Operand} IS NULL)";
}

internal sealed record InList(Syntax Operand, IReadOnlyList<Syntax> Items, bool Negated, int Position) : Syntax(Position)
{
    public override string ToString() => $"({Operand} {(Negated ? "NOT IN" : "IN")} ({string.Join(", ", Items)}))";
}

internal sealed record BetweenTest(Syntax Operand, Syntax Low, Syntax High, bool Negated, int Position) : Syntax(Position)
{
    public override string ToString() => $"({Operand} {(Negated ? "NOT BETWEEN" : "BETWEEN")} {Low} AND {High})";
}

internal sealed record LikeTest(Syntax Operand, Syntax Pattern, bool Negated, int Position) : Syntax(Position)
{
    public override string ToString() => $"({Operand} {(Negated ? "NOT LIKE" : "LIKE")} {Pattern})";
}
