using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static SalesPipeline.Quality.Tests.Conditions;

namespace SalesPipeline.Quality.Tests;

/// <summary>The evaluator against C#'s own decimal, string and DateTimeOffset operators as the oracle.</summary>
public sealed class PropertyTests
{
    // Small values collide often (so = and <> both get exercised); scaled values have several scales for one value;
    // the extremes exercise overflow.
    private static readonly Gen<decimal> Decimals = Gen.OneOf(
        Gen.Choose(-20, 20).Select(i => (decimal)i),
        from mantissa in Gen.Choose(-100_000, 100_000)
        from scale in Gen.Choose(0, 6)
        select new decimal(Math.Abs(mantissa), 0, 0, mantissa < 0, (byte)scale),
        Gen.Elements(decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 7922816251426433759354395.0335m, -0.0m));

    // Includes the LIKE wildcards, the escape and a quote, so escaping is exercised.
    private static readonly Gen<string> Texts = Gen.Elements('a', 'b', 'Z', '%', '_', '\\', '\'', 'é')
        .ArrayOf().Select(chars => new string(chars));

    private static readonly (string Symbol, Func<decimal, decimal, bool> Oracle)[] Comparisons =
    [
        ("=", (a, b) => a == b), ("<>", (a, b) => a != b), ("!=", (a, b) => a != b),
        ("<", (a, b) => a < b), ("<=", (a, b) => a <= b), (">", (a, b) => a > b), (">=", (a, b) => a >= b),
    ];

    [Property(MaxTest = 300)]
    public Property Comparison_Numbers_AgreeWithDecimalOperators() =>
        Prop.ForAll(Decimals.ToArbitrary(), Decimals.ToArbitrary(), (a, b) =>
        {
            var literal = b.ToString(CultureInfo.InvariantCulture);
            foreach (var (symbol, oracle) in Comparisons)
            {
                Assert.Equal(oracle(a, b), Eval($"x {symbol} y", ("x", a), ("y", b)));
                Assert.Equal(oracle(a, b), Eval($"x {symbol} {literal}", ("x", a)));
                Assert.Equal(oracle(b, a), Eval($"{literal} {symbol} x", ("x", a)));
                Assert.Equal(oracle(a, a), Eval($"x {symbol} y", ("x", a), ("y", a + 0.000m)));   // same value, other scale
            }
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Not_NonNullComparison_IsNegation() =>
        Prop.ForAll(Decimals.ToArbitrary(), Decimals.ToArbitrary(), (a, b) =>
        {
            foreach (var (symbol, oracle) in Comparisons)
            {
                Assert.Equal(!oracle(a, b), Eval($"NOT (x {symbol} y)", ("x", a), ("y", b)));
                Assert.Null(Eval($"NOT (x {symbol} y)", ("x", a), ("y", null)));
            }
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Arithmetic_AgreesWithDecimal_NullOnOverflowOrDivisionByZero() =>
        Prop.ForAll(Decimals.ToArbitrary(), Decimals.ToArbitrary(), (a, b) =>
        {
            foreach (var (symbol, oracle) in new (string, Func<decimal, decimal, decimal>)[]
                     { ("+", (p, q) => p + q), ("-", (p, q) => p - q), ("*", (p, q) => p * q), ("/", (p, q) => p / q) })
            {
                decimal? expected;
                try { expected = oracle(a, b); }
                catch (Exception e) when (e is OverflowException or DivideByZeroException) { expected = null; }

                if (expected is null)
                    Assert.Equal(true, Eval($"x {symbol} y IS NULL", ("x", a), ("y", b)));
                else
                    Assert.Equal(true, Eval($"x {symbol} y = z", ("x", a), ("y", b), ("z", expected)));
            }
            return true;
        });

    [Property(MaxTest = 200)]
    public Property In_ConstantList_AgreesWithContains() =>
        Prop.ForAll(Gen.Choose(-5, 5).NonEmptyListOf().ToArbitrary(), Gen.Choose(-5, 5).ToArbitrary(), (items, value) =>
        {
            var list = string.Join(", ", items);
            var expected = items.Contains(value);
            Assert.Equal(expected, Eval($"x IN ({list})", ("x", (decimal)value)));
            Assert.Equal(!expected, Eval($"x NOT IN ({list})", ("x", (decimal)value)));
            Assert.Equal(expected ? true : null, Eval($"x IN ({list}, NULL)", ("x", (decimal)value)));
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Like_EscapedFragment_AgreesWithOrdinalSearch() =>
        Prop.ForAll(Texts.ToArbitrary(), Texts.ToArbitrary(), (s, part) =>
        {
            var escaped = part.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal);
            Assert.Equal(s.Contains(part, StringComparison.Ordinal), Eval("s LIKE t", ("s", s), ("t", $"%{escaped}%")));
            Assert.Equal(s.StartsWith(part, StringComparison.Ordinal), Eval("s LIKE t", ("s", s), ("t", $"{escaped}%")));
            Assert.Equal(s.EndsWith(part, StringComparison.Ordinal), Eval("s LIKE t", ("s", s), ("t", $"%{escaped}")));
            Assert.Equal(s == part, Eval("s LIKE t", ("s", s), ("t", escaped)));
            Assert.Equal(true, Eval("s LIKE t", ("s", s), ("t", new string('_', s.Length))));
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Comparison_Text_AgreesWithOrdinalCompare() =>
        Prop.ForAll(Texts.ToArbitrary(), Texts.ToArbitrary(), (s, t) =>
        {
            var c = string.CompareOrdinal(s, t);
            Assert.Equal(c < 0, Eval("s < t", ("s", s), ("t", t)));
            Assert.Equal(c >= 0, Eval("s >= t", ("s", s), ("t", t)));
            Assert.Equal(c == 0, Eval("s = t", ("s", s), ("t", t)));
            Assert.Equal(c == 0, Eval($"s = '{t.Replace("'", "''", StringComparison.Ordinal)}'", ("s", s)));
            return true;
        });

    [Property(MaxTest = 300)]
    public Property Comparison_Timestamps_AgreeWithInstants() =>
        Prop.ForAll(Gen.Choose(-3, 3).Two().ToArbitrary(), Gen.Choose(-120, 120).Two().ToArbitrary(), (hours, minutes) =>
        {
            // Two instants a few minutes apart, shown in different offsets.
            var baseTime = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
            var a = baseTime.AddMinutes(minutes.Item1).ToOffset(TimeSpan.FromHours(hours.Item1));
            var b = baseTime.AddMinutes(minutes.Item2).ToOffset(TimeSpan.FromHours(hours.Item2));
            Assert.Equal(a.UtcTicks < b.UtcTicks, Eval("ts < ts2", ("ts", a), ("ts2", b)));
            Assert.Equal(a.UtcTicks == b.UtcTicks, Eval("ts = ts2", ("ts", a), ("ts2", b)));
            Assert.Equal(a.UtcTicks >= b.UtcTicks, Eval($"ts >= '{b.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}'", ("ts", a)));
            return true;
        });
}
