namespace SalesPipeline.Quality.Conditions;

/// <summary>A SQL boolean: true, false or unknown (NULL).</summary>
internal enum Tri : byte
{
    False = 0,
    True = 1,
    Unknown = 2,
}

internal static class TriLogic
{
    public static Tri Of(bool value) => value ? Tri.True : Tri.False;

    public static Tri Of(bool? value) => value switch { true => Tri.True, false => Tri.False, null => Tri.Unknown };

    public static bool? ToNullable(Tri value) => value switch { Tri.True => true, Tri.False => false, _ => null };

    public static Tri Not(Tri value) => value switch { Tri.True => Tri.False, Tri.False => Tri.True, _ => Tri.Unknown };

    // Kleene logic, as SQL: FALSE decides an AND and TRUE decides an OR even when the other side is unknown.
    public static Func<IFieldReader, Tri> And(Func<IFieldReader, Tri> left, Func<IFieldReader, Tri> right) => record =>
    {
        var l = left(record);
        if (l == Tri.False)
            return Tri.False;
        var r = right(record);
        if (r == Tri.False)
            return Tri.False;
        return l == Tri.True && r == Tri.True ? Tri.True : Tri.Unknown;
    };

    public static Func<IFieldReader, Tri> Or(Func<IFieldReader, Tri> left, Func<IFieldReader, Tri> right) => record =>
    {
        var l = left(record);
        if (l == Tri.True)
            return Tri.True;
        var r = right(record);
        if (r == Tri.True)
            return Tri.True;
        return l == Tri.False && r == Tri.False ? Tri.False : Tri.Unknown;
    };

    public static Func<IFieldReader, Tri> Not(Func<IFieldReader, Tri> operand) => record => Not(operand(record));
}
