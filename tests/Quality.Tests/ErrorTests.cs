using static SalesPipeline.Quality.Tests.Conditions;

namespace SalesPipeline.Quality.Tests;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("quantity >", "expected a value, field or '(' but found end of condition at position 11")]
    [InlineData("(quantity > 0", "expected ')' but found end of condition at position 14")]
    [InlineData("quantity > 0)", "expected an operator or end of condition but found ')' at position 13")]
    [InlineData("quantity > 0 region", "expected an operator or end of condition but found 'region' at position 14")]
    [InlineData("quantity > 0 AND", "expected a value, field or '(' but found end of condition at position 17")]
    [InlineData("AND quantity > 0", "expected a value, field or '(' but found 'AND' at position 1")]
    [InlineData("region = 'EU", "unterminated string literal at position 10")]
    [InlineData("quantity # 1", "unexpected character '#' at position 10")]
    [InlineData("quantity IN 1", "expected '(' after IN but found '1' at position 13")]
    [InlineData("quantity IN (1, 2", "expected ',' or ')' in the IN list but found end of condition at position 18")]
    [InlineData("quantity IN ()", "expected a value, field or '(' but found ')' at position 14")]
    [InlineData("quantity IS 5", "expected NULL or NOT after IS but found '5' at position 13")]
    [InlineData("quantity IS NOT 5", "expected NULL after IS NOT but found '5' at position 17")]
    [InlineData("quantity NOT 5", "expected IN, BETWEEN or LIKE after NOT but found '5' at position 14")]
    [InlineData("quantity BETWEEN 1 OR 2", "expected AND in BETWEEN but found 'OR' at position 20")]
    [InlineData("quantity > 1e", "malformed number '1e': the exponent has no digits at position 13")]
    [InlineData("quantity > 1e99", "number 1e99 is out of range at position 12")]
    [InlineData("quantity < 1 < 2", "expected an operator or end of condition but found '<' at position 14")]
    [InlineData("region = 'it''s", "unterminated string literal at position 10")]
    [InlineData("", "condition is empty at position 1")]
    [InlineData("   ", "condition is empty at position 1")]
    public void Syntax_Errors_SayWhatAndWhere(string condition, string expected) =>
        Assert.Equal(expected, CompileError(condition, FieldSchema.Pipeline));

    [Theory]
    [InlineData("region > 5", "operator '>' cannot compare text with number at position 8")]
    [InlineData("quantity = 'abc'", "operator '=' cannot compare number with text at position 10")]
    [InlineData("quantity != region", "operator '!=' cannot compare number with text at position 10")]
    [InlineData("NOT quantity", "NOT expects a boolean operand but found number at position 1")]
    [InlineData("quantity + 1", "condition must be a boolean expression but is number at position 1")]
    [InlineData("  region", "condition must be a boolean expression but is text at position 3")]
    [InlineData("region + 1 > 0", "operator '+' expects numbers but the left operand is text at position 8")]
    [InlineData("1 * order_time > 0", "operator '*' expects numbers but the right operand is timestamp at position 3")]
    [InlineData("-region = 'a'", "operator '-' expects a number but found text at position 1")]
    [InlineData("quantity AND TRUE", "AND expects boolean operands but the left operand is number at position 10")]
    [InlineData("TRUE or region", "OR expects boolean operands but the right operand is text at position 6")]
    [InlineData("order_time > 'yesterday'", "'yesterday' is not an ISO-8601 timestamp or date (e.g. '2024-05-01' or '2024-05-01T13:45:00Z') at position 14")]
    [InlineData("order_time > '2024-13-01'", "'2024-13-01' is not an ISO-8601 timestamp or date (e.g. '2024-05-01' or '2024-05-01T13:45:00Z') at position 14")]
    [InlineData("order_time > quantity", "operator '>' cannot compare timestamp with number at position 12")]
    [InlineData("order_time = region", "operator '=' cannot compare timestamp with text at position 12")]
    [InlineData("quantity IN (1, 'a')", "IN list item 2 is text but the tested value is number at position 17")]
    [InlineData("region BETWEEN 1 AND 2", "BETWEEN cannot compare text with number at position 8")]
    [InlineData("quantity LIKE 'a%'", "LIKE expects text but the tested value is number at position 10")]
    [InlineData("region LIKE 5", "LIKE expects a text pattern but the pattern is number at position 13")]
    [InlineData("LENGTH(quantity) > 1", "LENGTH expects text but argument 1 is number at position 8")]
    [InlineData("ABS(region) > 1", "ABS expects a number but argument 1 is text at position 5")]
    [InlineData("LENGTH(region, 1) > 1", "LENGTH expects 1 argument but got 2 at position 1")]
    [InlineData("COALESCE(quantity, region) > 1", "COALESCE arguments must have one type but argument 2 is text and another is number at position 20")]
    [InlineData("COALESCE() > 1", "COALESCE expects at least 1 argument but got 0 at position 1")]
    [InlineData("FOO(1) = 1", "unknown function 'FOO' at position 1 (known functions: ABS, COALESCE, LENGTH, LOWER, TRIM, UPPER)")]
    [InlineData("quantity = NULL", "NULL operand of '=' always gives NULL at position 12 (use IS NULL or IS NOT NULL to test for NULL)")]
    [InlineData("NULL <> region", "NULL operand of '<>' always gives NULL at position 1 (use IS NULL or IS NOT NULL to test for NULL)")]
    [InlineData("quantity + NULL > 0", "NULL operand of '+' always gives NULL at position 12 (use IS NULL or IS NOT NULL to test for NULL)")]
    public void Type_Errors_AreCompileErrors(string condition, string expected) =>
        Assert.Equal(expected, CompileError(condition, FieldSchema.Pipeline));

    [Fact]
    public void Syntax_DeepNesting_IsRejectedNotOverflowed()
    {
        Assert.Equal("condition is nested more than 200 levels deep at position 801", CompileError(string.Concat(Enumerable.Repeat("NOT ", 300)) + "p"));
        Assert.Equal("condition is nested more than 200 levels deep at position 201", CompileError(new string('(', 300) + "p" + new string(')', 300)));
        Assert.Equal(true, Eval(new string('(', 200) + "p" + new string(')', 200), ("p", true)));
    }

    [Fact]
    public void Type_BooleanOrdering_IsRejected() =>
        Assert.Equal("operator '<' cannot order boolean values (use = or <>) at position 3", CompileError("p < q"));

    [Fact]
    public void UnknownField_NamesRuleFieldPositionAndKnownFields()
    {
        var error = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            FieldSchema.Pipeline,
            new ExpectationDefinition("quantity_ok", "quantity > 0", "drop"),
            new ExpectationDefinition("price_ok", "unit_prce >= 0", "warn")));

        Assert.StartsWith("expectation 'price_ok': unknown field 'unit_prce' at position 1 (did you mean 'unit_price'? known fields: order_id, line_id, event_id, ", error.Message);
        Assert.EndsWith(", order_time, event_time)", error.Message);
        Assert.Equal("price_ok", error.RuleName);
        Assert.Equal(1, error.Position);
        Assert.Equal("unit_prce >= 0", error.Condition);
    }

    [Fact]
    public void UnknownField_FarFromAnyName_ListsKnownFieldsOnly()
    {
        var error = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            Schema, new ExpectationDefinition("r", "x > 0 AND warehouse = 'a'", "warn")));
        Assert.Equal("expectation 'r': unknown field 'warehouse' at position 11 (known fields: x, y, z, s, t, ts, ts2, p, q)", error.Message);
        Assert.Equal(11, error.Position);
    }

    [Fact]
    public void SyntaxError_ThroughSet_NamesRuleAndPosition()
    {
        var error = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            FieldSchema.Pipeline, new ExpectationDefinition("status_ok", "status IN ('paid', 'placed'", "fail")));
        Assert.Equal("expectation 'status_ok': expected ',' or ')' in the IN list but found end of condition at position 28", error.Message);
        Assert.Equal(28, error.Position);
    }

    [Theory]
    [InlineData("dorp", "expectation 'r': unknown action 'dorp' (expected warn, drop, quarantine or fail)")]
    [InlineData("none", "expectation 'r': unknown action 'none' (expected warn, drop, quarantine or fail)")]
    [InlineData("expect_or_drop", "expectation 'r': unknown action 'expect_or_drop' (expected warn, drop, quarantine or fail)")]
    [InlineData("", "expectation 'r': no action (expected warn, drop, quarantine or fail)")]
    public void UnknownAction_IsConfigurationErrorNamingRule(string action, string expected)
    {
        var error = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            Schema, new ExpectationDefinition("r", "x > 0", action)));
        Assert.Equal(expected, error.Message);
        Assert.Equal("r", error.RuleName);
        Assert.Null(error.Position);
    }

    [Fact]
    public void DuplicateNames_CaseInsensitive_AreRejected()
    {
        var error = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            Schema,
            new ExpectationDefinition("Positive", "x > 0", "warn"),
            new ExpectationDefinition("positive", "y > 0", "drop")));
        Assert.Equal("expectation 'positive': the name is declared more than once (names are case-insensitive)", error.Message);
        Assert.Equal("positive", error.RuleName);
    }

    [Fact]
    public void EmptyNameOrCondition_AreRejected()
    {
        var noName = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            Schema, new ExpectationDefinition("a", "x > 0", "warn"), new ExpectationDefinition(" ", "x > 0", "warn")));
        Assert.Equal("expectation #2: name is empty", noName.Message);

        var noCondition = Assert.Throws<ExpectationConfigurationException>(() => ExpectationSet.Compile(
            Schema, new ExpectationDefinition("a", "  ", "warn")));
        Assert.Equal("expectation 'a': condition is empty", noCondition.Message);
    }

    [Theory]
    [InlineData("order id")]
    [InlineData("1st")]
    [InlineData("and")]
    [InlineData("")]
    public void Schema_NonIdentifierNames_AreRejected(string name) =>
        Assert.Throws<ArgumentException>(() => new FieldSchema(new SchemaField(name, FieldType.Text)));

    [Fact]
    public void Schema_DuplicateNames_AreRejected() =>
        Assert.Throws<ArgumentException>(() => new FieldSchema(new SchemaField("a", FieldType.Text), new SchemaField("A", FieldType.Number)));
}
