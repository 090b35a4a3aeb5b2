using SalesPipeline.Quality.Conditions;

namespace SalesPipeline.Quality.Tests;

/// <summary>A record held as boxed values by ordinal; a getter of the wrong type throws (InvalidCastException).</summary>
internal sealed class TestRecord(FieldSchema schema) : IFieldReader
{
    private readonly object?[] _values = new object?[schema.Fields.Count];

    public TestRecord Set(string name, object? value)
    {
        _values[schema.GetOrdinal(name)] = value;
        return this;
    }

    public decimal? GetNumber(int ordinal) => (decimal?)_values[ordinal];
    public string? GetText(int ordinal) => (string?)_values[ordinal];
    public DateTimeOffset? GetTimestamp(int ordinal) => (DateTimeOffset?)_values[ordinal];
    public bool? GetBoolean(int ordinal) => (bool?)_values[ordinal];
}

internal static class Conditions
{
    /// <summary>x, y, z: number; s, t: text; ts, ts2: timestamp; p, q: boolean.</summary>
    public static readonly FieldSchema Schema = new(
        new SchemaField("x", FieldType.Number),
        new SchemaField("y", FieldType.Number),
        new SchemaField("z", FieldType.Number),
        new SchemaField("s", FieldType.Text),
        new SchemaField("t", FieldType.Text),
        new SchemaField("ts", FieldType.Timestamp),
        new SchemaField("ts2", FieldType.Timestamp),
        new SchemaField("p", FieldType.Boolean),
        new SchemaField("q", FieldType.Boolean));

    /// <summary>The condition's SQL value (null = unknown) for a record of <see cref="Schema"/> with the given fields set.</summary>
    public static bool? Eval(string condition, params (string Name, object? Value)[] values) => Eval(Schema, condition, values);

    public static bool? Eval(FieldSchema schema, string condition, params (string Name, object? Value)[] values)
    {
        var record = new TestRecord(schema);
        foreach (var (name, value) in values)
            record.Set(name, value);
        return TriLogic.ToNullable(Condition.Compile(condition, schema).Evaluate(record));
    }

    /// <summary>The canonical, fully parenthesized form of the parsed condition.</summary>
    public static string Parse(string condition) => Parser.Parse(condition).ToString();

    /// <summary>The compile error's message (without the rule prefix ExpectationSet adds).</summary>
    public static string CompileError(string condition, FieldSchema? schema = null) =>
        Assert.Throws<ConditionException>(() => Condition.Compile(condition, schema ?? Schema)).Message;

    public static DateTimeOffset Timestamp(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
