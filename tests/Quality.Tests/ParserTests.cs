using SalesPipeline.Quality.Conditions;
using static SalesPipeline.Quality.Tests.Conditions;

namespace SalesPipeline.Quality.Tests;

public sealed class ParserTests
{
    [Theory]
    [InlineData("a OR b AND c", "(a OR (b AND c))")]
    [InlineData("a AND b OR c", "((a AND b) OR c)")]
    [InlineData("NOT a AND b", "((NOT a) AND b)")]
    [InlineData("NOT a OR NOT b", "((NOT a) OR (NOT b))")]
    [InlineData("NOT NOT a", "(NOT (NOT a))")]
    [InlineData("NOT a = b", "(NOT (a = b))")]
    [InlineData("a = b AND c <> d", "((a = b) AND (c <> d))")]
    [InlineData("a + b * c > d - e / f", "((a + (b * c)) > (d - (e / f)))")]
    [InlineData("a - b - c = 0", "(((a - b) - c) = 0)")]
    [InlineData("a / b * c = 0", "(((a / b) * c) = 0)")]
    [InlineData("-a * b = 0", "(((-a) * b) = 0)")]
    [InlineData("a - -b = 0", "((a - (-b)) = 0)")]
    public void Parser_Precedence_BindsAsSql(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Theory]
    [InlineData("(a OR b) AND c", "((a OR b) AND c)")]
    [InlineData("(a + b) * c = 1", "(((a + b) * c) = 1)")]
    [InlineData("((((a))))", "a")]
    [InlineData("NOT (a AND b)", "(NOT (a AND b))")]
    public void Parser_Parentheses_OverridePrecedence(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Theory]
    [InlineData("a and b Or NOT c", "((a AND b) OR (NOT c))")]
    [InlineData("x is null", "(x IS NULL)")]
    [InlineData("x Is Not Null", "(x IS NOT NULL)")]
    [InlineData("x in (1, 2)", "(x IN (1, 2))")]
    [InlineData("x not between 1 and 2", "(x NOT BETWEEN 1 AND 2)")]
    [InlineData("s not like 'a%'", "(s NOT LIKE 'a%')")]
    [InlineData("p = true or q = False", "((p = TRUE) OR (q = FALSE))")]
    [InlineData("coalesce(x, 0) > 0", "(COALESCE(x, 0) > 0)")]
    public void Parser_Keywords_AreCaseInsensitive(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Theory]
    [InlineData("x IN (1, 2, 3)", "(x IN (1, 2, 3))")]
    [InlineData("x IN (1)", "(x IN (1))")]
    [InlineData("x NOT IN ('a', NULL)", "(x NOT IN ('a', NULL))")]
    [InlineData("x + 1 IN (y * 2, 3)", "((x + 1) IN ((y * 2), 3))")]
    [InlineData("x IN (1, 2) AND y IN (3)", "((x IN (1, 2)) AND (y IN (3)))")]
    [InlineData("NOT x IN (1)", "(NOT (x IN (1)))")]
    public void Parser_InLists_Parse(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Theory]
    [InlineData("x IS NULL OR y IS NOT NULL", "((x IS NULL) OR (y IS NOT NULL))")]
    [InlineData("x + 1 IS NULL", "((x + 1) IS NULL)")]
    [InlineData("NOT x IS NULL", "(NOT (x IS NULL))")]
    public void Parser_IsNull_Parses(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Theory]
    [InlineData("x BETWEEN 1 AND 2 AND y", "((x BETWEEN 1 AND 2) AND y)")]
    [InlineData("x BETWEEN y - 1 AND y + 1", "(x BETWEEN (y - 1) AND (y + 1))")]
    [InlineData("NOT x BETWEEN 1 AND 2 OR p", "((NOT (x BETWEEN 1 AND 2)) OR p)")]
    public void Parser_Between_TakesItsOwnAnd(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("42", "42")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("1.50", "1.50")]
    [InlineData(".5", "0.5")]
    [InlineData("1e3", "1000")]
    [InlineData("2.5E-2", "0.025")]
    [InlineData("1E+2", "100")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Parser_NumberLiterals_AreExactDecimals(string literal, string expected)
    {
        var syntax = Assert.IsType<NumberLiteral>(Parser.Parse(literal));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), syntax.Value);
    }

    [Theory]
    [InlineData("'abc'", "abc")]
    [InlineData("''", "")]
    [InlineData("'it''s'", "it's")]
    [InlineData("''''", "'")]
    [InlineData("'a''''b'", "a''b")]
    [InlineData("'  spaced  '", "  spaced  ")]
    [InlineData("'NOT AND OR'", "NOT AND OR")]
    [InlineData("'100%_\\'", "100%_\\")]
    public void Parser_StringLiterals_UnescapeDoubledQuotes(string literal, string expected)
    {
        var syntax = Assert.IsType<StringLiteral>(Parser.Parse(literal));
        Assert.Equal(expected, syntax.Value);
    }

    [Theory]
    [InlineData("NULL")]
    [InlineData("null")]
    public void Parser_Null_IsNullLiteral(string literal) => Assert.IsType<NullLiteral>(Parser.Parse(literal));

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    public void Parser_Booleans_AreLiterals(string literal, bool expected) =>
        Assert.Equal(expected, Assert.IsType<BooleanLiteral>(Parser.Parse(literal)).Value);

    [Theory]
    [InlineData("x != 1", "(x <> 1)")]
    [InlineData("x == 1", "(x = 1)")]
    [InlineData("x<=1", "(x <= 1)")]
    [InlineData("x>=1", "(x >= 1)")]
    [InlineData("x<>1", "(x <> 1)")]
    [InlineData("x<1", "(x < 1)")]
    [InlineData("x>+1", "(x > 1)")]
    [InlineData("quantity*unit_price>0", "((quantity * unit_price) > 0)")]
    [InlineData("  x\t=\n1  ", "(x = 1)")]
    public void Parser_Operators_TokenizeWithOrWithoutSpaces(string condition, string expected) =>
        Assert.Equal(expected, Parse(condition));

    [Fact]
    public void Parser_Positions_PointAtOperatorsAndOperands()
    {
        var syntax = Assert.IsType<BinaryOperation>(Parser.Parse("quantity > 0"));
        Assert.Equal(10, syntax.Position);
        Assert.Equal(1, syntax.Left.Position);
        Assert.Equal(12, syntax.Right.Position);
    }

    [Fact]
    public void Parser_CanonicalForm_ReparsesToItself()
    {
        const string condition = "NOT (s LIKE 'a''b%' OR x NOT IN (1, -2.5)) AND ts BETWEEN '2024-01-01' AND '2024-12-31' OR y IS NOT NULL";
        var canonical = Parse(condition);
        Assert.Equal(canonical, Parse(canonical));
    }
}
