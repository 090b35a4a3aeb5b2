namespace SalesPipeline.Quality.Conditions;

/// <summary>A condition parsed, type-checked and compiled against a schema.</summary>
internal sealed class Condition
{
    private Condition(string text, Syntax syntax, Func<IFieldReader, Tri> predicate)
    {
        Text = text;
        Syntax = syntax;
        Predicate = predicate;
    }

    public string Text { get; }

    public Syntax Syntax { get; }

    /// <summary>The condition's SQL value for a record; a record passes only on <see cref="Tri.True"/>.</summary>
    public Func<IFieldReader, Tri> Predicate { get; }

    /// <exception cref="ConditionException">The condition does not parse or does not type-check.</exception>
    public static Condition Compile(string text, FieldSchema schema)
    {
        var syntax = Parser.Parse(text);
        var start = text.Length - text.TrimStart().Length + 1;
        return new Condition(text, syntax, ConditionCompiler.Compile(syntax, schema, start));
    }

    public Tri Evaluate(IFieldReader record) => Predicate(record);
}
