using static SalesPipeline.Quality.Tests.Conditions;

namespace SalesPipeline.Quality.Tests;

public sealed class EvaluatorTests
{
    // SQL's (Kleene) truth tables, written out: null stands for UNKNOWN.
    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(true, null, null)]
    [InlineData(false, true, false)]
    [InlineData(false, false, false)]
    [InlineData(false, null, false)]
    [InlineData(null, true, null)]
    [InlineData(null, false, false)]
    [InlineData(null, null, null)]
    public void And_ThreeValued_FollowsSqlTruthTable(bool? p, bool? q, bool? expected) =>
        Assert.Equal(expected, Eval("p AND q", ("p", p), ("q", q)));

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, null, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    [InlineData(false, null, null)]
    [InlineData(null, true, true)]
    [InlineData(null, false, null)]
    [InlineData(null, null, null)]
    public void Or_ThreeValued_FollowsSqlTruthTable(bool? p, bool? q, bool? expected) =>
        Assert.Equal(expected, Eval("p OR q", ("p", p), ("q", q)));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(null, null)]
    public void Not_ThreeValued_FollowsSqlTruthTable(bool? p, bool? expected) =>
        Assert.Equal(expected, Eval("NOT p", ("p", p)));

    [Theory]
    [InlineData("NULL AND FALSE", false)]
    [InlineData("NULL AND TRUE", null)]
    [InlineData("NULL OR TRUE", true)]
    [InlineData("NULL OR FALSE", null)]
    [InlineData("NOT NULL", null)]
    [InlineData("NULL", null)]
    [InlineData("TRUE", true)]
    [InlineData("NULL IS NULL", true)]
    public void Literals_NullAsBoolean_IsUnknown(string condition, bool? expected) =>
        Assert.Equal(expected, Eval(condition));

    [Theory]
    [InlineData("x = 1")]
    [InlineData("x <> 1")]
    [InlineData("x < 1")]
    [InlineData("x >= 1")]
    [InlineData("x + 1 > 0")]
    [InlineData("-x < 0")]
    [InlineData("x * 0 = 0")]
    [InlineData("x IN (1, 2)")]
    [InlineData("x NOT IN (1, 2)")]
    [InlineData("x BETWEEN 0 AND 10")]
    [InlineData("x NOT BETWEEN 0 AND 10")]
    [InlineData("ABS(x) >= 0")]
    [InlineData("1 < x")]
    public void Comparisons_NullNumber_AreUnknown(string condition) =>
        Assert.Null(Eval(condition, ("x", null)));

    [Theory]
    [InlineData("s = 'a'")]
    [InlineData("s <> 'a'")]
    [InlineData("s LIKE '%'")]
    [InlineData("s NOT LIKE 'a'")]
    [InlineData("LENGTH(s) >= 0")]
    [InlineData("s = t")]
    public void Comparisons_NullText_AreUnknown(string condition) =>
        Assert.Null(Eval(condition, ("s", null), ("t", "a")));

    [Theory]
    [InlineData(null, null, true, true)]
    [InlineData(0, null, false, true)]
    [InlineData(null, "", true, false)]
    [InlineData(0, "a", false, false)]
    public void IsNull_DistinguishesNullFromValue(int? x, string? s, bool xIsNull, bool sIsNull)
    {
        var values = new (string, object?)[] { ("x", x is null ? null : (decimal)x.Value), ("s", s) };
        Assert.Equal(xIsNull, Eval("x IS NULL", values));
        Assert.Equal(!xIsNull, Eval("x IS NOT NULL", values));
        Assert.Equal(sIsNull, Eval("s IS NULL", values));
        Assert.Equal(!sIsNull, Eval("s IS NOT NULL", values));
    }

    [Fact]
    public void IsNull_BooleanAndTimestamp_SeeNull()
    {
        Assert.Equal(true, Eval("p IS NULL AND ts IS NULL", ("p", null), ("ts", null)));
        Assert.Equal(true, Eval("p IS NOT NULL AND ts IS NOT NULL", ("p", false), ("ts", DateTimeOffset.UnixEpoch)));
    }

    [Theory]
    [InlineData("2 + 3 * 4 = 14")]
    [InlineData("(2 + 3) * 4 = 20")]
    [InlineData("10 - 4 - 3 = 3")]
    [InlineData("8 / 2 / 2 = 2")]
    [InlineData("-2 * 3 = -6")]
    [InlineData("- (2 - 5) = 3")]
    [InlineData("2 - -2 = 4")]
    [InlineData("7 / 2 = 3.5")]
    [InlineData("1e3 = 1000")]
    [InlineData("1.50 = 1.5")]
    [InlineData("0.1 + 0.2 = 0.3")]
    [InlineData("1 / 3 * 3 <> 1")]
    [InlineData("ABS(-2.5) = 2.5")]
    public void Arithmetic_Constants_AreExactDecimal(string condition) =>
        Assert.Equal(true, Eval(condition));

    [Fact]
    public void Arithmetic_DecimalFields_AreExact()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point.
        Assert.Equal(true, Eval("x + y = 0.3", ("x", 0.1m), ("y", 0.2m)));
        Assert.Equal(true, Eval("x + y = z", ("x", 0.1m), ("y", 0.2m), ("z", 0.3m)));
        Assert.Equal(true, Eval("x * y = 19.99", ("x", 1999m), ("y", 0.01m)));
    }

    [Theory]
    [InlineData("2", "1.5", true)]
    [InlineData("0", "5", false)]
    [InlineData("3", "-1", false)]
    [InlineData(null, "5", null)]
    [InlineData("2", null, null)]
    public void Arithmetic_QuantityTimesPrice_ComparesWithZero(string? quantity, string? price, bool? expected) =>
        Assert.Equal(expected, Eval(FieldSchema.Pipeline, "quantity * unit_price > 0", ("quantity", Number(quantity)), ("unit_price", Number(price))));

    [Fact]
    public void Arithmetic_DivisionByZero_IsNull()
    {
        Assert.Null(Eval("x / y > 0", ("x", 1m), ("y", 0m)));
        Assert.Equal(true, Eval("x / y IS NULL", ("x", 1m), ("y", 0m)));
        Assert.Equal(true, Eval("1 / 0 IS NULL"));
        Assert.Equal(true, Eval("x / y = 0.5", ("x", 1m), ("y", 2m)));
    }

    [Fact]
    public void Arithmetic_Overflow_IsNull()
    {
        Assert.Equal(true, Eval("x * x IS NULL", ("x", decimal.MaxValue)));
        Assert.Equal(true, Eval("x + x IS NULL", ("x", decimal.MaxValue)));
        Assert.Equal(true, Eval("-x - x IS NULL", ("x", decimal.MaxValue)));
        Assert.Equal(true, Eval("x / 0.1 IS NULL", ("x", decimal.MaxValue)));
    }

    [Fact]
    public void Text_Comparisons_AreOrdinalAndCaseSensitive()
    {
        Assert.Equal(false, Eval("s = 'emea'", ("s", "EMEA")));
        Assert.Equal(true, Eval("LOWER(s) = 'emea'", ("s", "EMEA")));
        Assert.Equal(true, Eval("s < 'a'", ("s", "Z")));           // 'Z' (U+005A) sorts before 'a' (U+0061)
        Assert.Equal(true, Eval("s > 'Zebra'", ("s", "apple")));
        Assert.Equal(true, Eval("s < 'ab'", ("s", "a")));
        Assert.Equal(true, Eval("s = t", ("s", "x"), ("t", "x")));
        Assert.Equal(true, Eval("s <> ''", ("s", " ")));
    }

    [Fact]
    public void Timestamps_CompareAsInstants()
    {
        var at = Timestamp("2024-05-01T10:00:00+02:00");
        Assert.Equal(true, Eval("ts = '2024-05-01T08:00:00Z'", ("ts", at)));
        Assert.Equal(true, Eval("ts = '2024-05-01 08:00:00'", ("ts", at)));          // no offset means UTC
        Assert.Equal(true, Eval("ts = '2024-05-01T09:00:00+01:00'", ("ts", at)));
        Assert.Equal(true, Eval("ts >= '2024-05-01'", ("ts", at)));                   // a date is midnight UTC
        Assert.Equal(false, Eval("ts < '2024-05-01'", ("ts", at)));
        Assert.Equal(true, Eval("ts < '2024-05-01T08:00:00.0000001Z'", ("ts", at)));
        Assert.Equal(true, Eval("'2024-05-02' > ts", ("ts", at)));
        Assert.Equal(true, Eval("ts BETWEEN '2024-05-01' AND '2024-05-01T23:59:59.9999999Z'", ("ts", at)));
        Assert.Equal(true, Eval("ts IN ('2024-01-01', '2024-05-01T08:00Z')", ("ts", at)));
        Assert.Equal(true, Eval("ts < ts2", ("ts", at), ("ts2", Timestamp("2024-05-01T08:30:00Z"))));
        Assert.Equal(true, Eval("COALESCE(ts, '2020-01-01') = '2020-01-01'", ("ts", null)));
        Assert.Null(Eval("ts > '2024-01-01'", ("ts", null)));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(null, null)]
    public void In_ConstantList_MatchesMembers(int? x, bool? expected) =>
        Assert.Equal(expected, Eval("x IN (1, 2, 3.0)", ("x", (decimal?)x)));

    [Theory]
    [InlineData(1, true, false)]   // found: IN is TRUE
    [InlineData(2, null, null)]    // not found but the list holds NULL: unknown either way
    [InlineData(null, null, null)]
    public void In_ListWithNull_IsUnknownWhenNotFound(int? x, bool? inExpected, bool? notInExpected)
    {
        Assert.Equal(inExpected, Eval("x IN (1, NULL)", ("x", (decimal?)x)));
        Assert.Equal(notInExpected, Eval("x NOT IN (1, NULL)", ("x", (decimal?)x)));
    }

    [Fact]
    public void In_FieldItems_EvaluatePerRecord()
    {
        Assert.Equal(true, Eval("x IN (y, z)", ("x", 5m), ("y", 1m), ("z", 5m)));
        Assert.Equal(false, Eval("x IN (y, z)", ("x", 5m), ("y", 1m), ("z", 2m)));
        Assert.Null(Eval("x IN (y, z)", ("x", 5m), ("y", null), ("z", 2m)));
        Assert.Equal(true, Eval("x IN (y, z)", ("x", 5m), ("y", null), ("z", 5m)));
        Assert.Equal(true, Eval("s NOT IN (t, 'b')", ("s", "a"), ("t", "c")));
    }

    [Fact]
    public void In_TextAndBoolean_UseEquality()
    {
        Assert.Equal(true, Eval("s IN ('EU', 'US')", ("s", "US")));
        Assert.Equal(false, Eval("s IN ('EU', 'US')", ("s", "us")));
        Assert.Equal(true, Eval("s NOT IN ('EU', 'US')", ("s", "APAC")));
        Assert.Equal(true, Eval("p IN (TRUE)", ("p", true)));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(5, true)]
    [InlineData(0, false)]
    [InlineData(11, false)]
    [InlineData(null, null)]
    public void Between_IsInclusive(int? x, bool? expected)
    {
        Assert.Equal(expected, Eval("x BETWEEN 1 AND 10", ("x", (decimal?)x)));
        Assert.Equal(expected is null ? null : !expected, Eval("x NOT BETWEEN 1 AND 10", ("x", (decimal?)x)));
    }

    [Fact]
    public void Between_NullBound_IsUnknownUnlessTheOtherBoundDecides()
    {
        Assert.Null(Eval("x BETWEEN y AND 10", ("x", 5m), ("y", null)));
        Assert.Equal(false, Eval("x BETWEEN y AND 10", ("x", 50m), ("y", null)));   // x <= 10 is FALSE, so the AND is FALSE
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "a%", true)]
    [InlineData("abc", "%c", true)]
    [InlineData("abc", "%b%", true)]
    [InlineData("abc", "a_c", true)]
    [InlineData("abc", "___", true)]
    [InlineData("abc", "__", false)]
    [InlineData("abc", "ABC", false)]
    [InlineData("", "%", true)]
    [InlineData("", "_", false)]
    [InlineData("a%c", "a\\%c", true)]
    [InlineData("abc", "a\\%c", false)]
    [InlineData("a_c", "a\\_c", true)]
    [InlineData("abc", "a\\_c", false)]
    [InlineData("ab\\", "ab\\", true)]
    [InlineData("mississippi", "%iss%ipp%", true)]
    [InlineData("mississippi", "m%%i", true)]
    [InlineData("mississippi", "%sip_", false)]
    public void Like_Wildcards_MatchAsSql(string s, string pattern, bool expected)
    {
        var literal = pattern.Replace("'", "''", StringComparison.Ordinal);
        Assert.Equal(expected, Eval($"s LIKE '{literal}'", ("s", s)));
        Assert.Equal(!expected, Eval($"s NOT LIKE '{literal}'", ("s", s)));
        Assert.Equal(expected, Eval("s LIKE t", ("s", s), ("t", pattern)));   // pattern from a field
    }

    [Fact]
    public void Functions_ComputeAsDocumented()
    {
        Assert.Equal(true, Eval("LENGTH(s) = 5", ("s", "héllo")));
        Assert.Equal(true, Eval("LENGTH(s) = 1", ("s", "😀")));                // one code point, two UTF-16 units
        Assert.Equal(true, Eval("LENGTH(s) = 0", ("s", "")));
        Assert.Equal(true, Eval("TRIM(s) = 'a b'", ("s", "  a b \t")));
        Assert.Equal(true, Eval("UPPER(s) = 'EMEA' AND lower(s) = 'emea'", ("s", "eMeA")));
        Assert.Equal(true, Eval("ABS(x) = 3 AND ABS(y) = 3", ("x", -3m), ("y", 3m)));
        Assert.Equal(true, Eval("COALESCE(x, y, 0) = 7", ("x", null), ("y", 7m)));
        Assert.Equal(true, Eval("COALESCE(x, y, 0) = 0", ("x", null), ("y", null)));
        Assert.Equal(true, Eval("COALESCE(s, 'none') = 'none'", ("s", null)));
        Assert.Equal(true, Eval("COALESCE(p, q)", ("p", null), ("q", true)));
        Assert.Null(Eval("LOWER(s) = 'a'", ("s", null)));
    }

    [Fact]
    public void Fields_Names_AreCaseInsensitive()
    {
        Assert.Equal(true, Eval(FieldSchema.Pipeline, "QUANTITY > 0 AND Unit_Price > 0", ("quantity", 1m), ("unit_price", 2m)));
    }

    [Fact]
    public void Booleans_FieldsAndLiterals_Compare()
    {
        Assert.Equal(true, Eval("p", ("p", true)));
        Assert.Equal(false, Eval("p", ("p", false)));
        Assert.Equal(true, Eval("p = TRUE AND q <> TRUE", ("p", true), ("q", false)));
        Assert.Equal(true, Eval("p = q", ("p", false), ("q", false)));
        Assert.Null(Eval("p = TRUE", ("p", null)));
    }

    private static decimal? Number(string? text) =>
        text is null ? null : decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
