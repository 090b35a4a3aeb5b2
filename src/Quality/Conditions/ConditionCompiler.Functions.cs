namespace SalesPipeline.Quality.Conditions;

internal sealed partial class ConditionCompiler
{
    private const string KnownFunctions = "(known functions: ABS, COALESCE, LENGTH, LOWER, TRIM, UPPER)";

    private Operand Function(FunctionCall call)
    {
        var name = call.Name.ToUpperInvariant();
        var arguments = call.Arguments.Select(Compile).ToArray();
        var constant = arguments.All(a => a.IsConstant);
        var position = call.Position;
        switch (name)
        {
            case "LENGTH":
                var length = TextArgument(name, call, arguments);
                return Operand.Number(record => length(record) is { } s ? CountCharacters(s) : null, position, constant);
            case "LOWER":
                var lower = TextArgument(name, call, arguments);
                return Operand.Text(record => lower(record)?.ToLowerInvariant(), position, constant);
            case "UPPER":
                var upper = TextArgument(name, call, arguments);
                return Operand.Text(record => upper(record)?.ToUpperInvariant(), position, constant);
            case "TRIM":
                var trim = TextArgument(name, call, arguments);
                return Operand.Text(record => trim(record)?.Trim(), position, constant);
            case "ABS":
                ExpectArguments(name, call, arguments, 1);
                var argument = arguments[0];
                RejectNull(argument, name);
                if (argument.Kind != ValueKind.Number)
                    throw new ConditionException($"{name} expects a number but argument 1 is {argument.Kind.Describe()}", argument.Position);
                var abs = argument.AsNumber();
                return Operand.Number(record => abs(record) is { } x ? Math.Abs(x) : null, position, constant);
            case "COALESCE":
                return Coalesce(call, arguments, constant);
            default:
                throw new ConditionException($"unknown function '{call.Name}'", position, KnownFunctions);
        }
    }

    private static Func<IFieldReader, string?> TextArgument(string name, FunctionCall call, Operand[] arguments)
    {
        ExpectArguments(name, call, arguments, 1);
        var argument = arguments[0];
        RejectNull(argument, name);
        if (argument.Kind != ValueKind.Text)
            throw new ConditionException($"{name} expects text but argument 1 is {argument.Kind.Describe()}", argument.Position);
        return argument.AsText();
    }

    private static void ExpectArguments(string name, FunctionCall call, Operand[] arguments, int count)
    {
        if (arguments.Length != count)
            throw new ConditionException($"{name} expects {count} argument{(count == 1 ? "" : "s")} but got {arguments.Length}", call.Position);
    }

    /// <summary>The first argument that is not NULL. All arguments have one type; a string literal may stand for a timestamp.</summary>
    private static Operand Coalesce(FunctionCall call, Operand[] arguments, bool constant)
    {
        if (arguments.Length == 0)
            throw new ConditionException("COALESCE expects at least 1 argument but got 0", call.Position);
        var typed = arguments.FirstOrDefault(a => a.Kind != ValueKind.Null && a.StringLiteral is null)
            ?? arguments.FirstOrDefault(a => a.Kind != ValueKind.Null);
        if (typed is null)
            return Operand.Null(call.Position);
        var kind = typed.Kind;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = arguments[i];
            arguments[i] = Coerce(argument, kind, $"COALESCE arguments must have one type but argument {i + 1} is {argument.Kind.Describe()} and another is {kind.Describe()}");
        }

        var position = call.Position;
        switch (kind)
        {
            case ValueKind.Number:
                var numbers = arguments.Select(a => a.AsNumber()).ToArray();
                return Operand.Number(record => First(numbers, record), position, constant);
            case ValueKind.Timestamp:
                var timestamps = arguments.Select(a => a.AsTimestamp()).ToArray();
                return Operand.Timestamp(record => First(timestamps, record), position, constant);
            case ValueKind.Text:
                var texts = arguments.Select(a => a.AsText()).ToArray();
                return Operand.Text(record =>
                {
                    foreach (var text in texts)
                    {
                        if (text(record) is { } value)
                            return value;
                    }
                    return null;
                }, position, constant);
            default:
                var booleans = arguments.Select(a => a.AsBoolean()).ToArray();
                return Operand.Boolean(record =>
                {
                    foreach (var boolean in booleans)
                    {
                        var value = boolean(record);
                        if (value != Tri.Unknown)
                            return value;
                    }
                    return Tri.Unknown;
                }, position, constant);
        }
    }

    private static T? First<T>(Func<IFieldReader, T?>[] candidates, IFieldReader record) where T : struct
    {
        foreach (var candidate in candidates)
        {
            if (candidate(record) is { } value)
                return value;
        }
        return null;
    }

    private Operand Like(LikeTest like)
    {
        var what = like.Negated ? "NOT LIKE" : "LIKE";
        var operand = Compile(like.Operand);
        var pattern = Compile(like.Pattern);
        RejectNull(operand, what);
        RejectNull(pattern, what);
        if (operand.Kind != ValueKind.Text)
            throw new ConditionException($"{what} expects text but the tested value is {operand.Kind.Describe()}", like.Position);
        if (pattern.Kind != ValueKind.Text)
            throw new ConditionException($"{what} expects a text pattern but the pattern is {pattern.Kind.Describe()}", pattern.Position);

        var text = operand.AsText();
        var patternText = pattern.AsText();
        Func<IFieldReader, Tri> test;
        if (pattern.IsConstant)
        {
            if (Operand.Constant(patternText) is { } constantPattern)
            {
                var compiled = LikePattern.Parse(constantPattern);
                test = record => text(record) is { } s ? TriLogic.Of(compiled.IsMatch(s)) : Tri.Unknown;
            }
            else
            {
                test = static _ => Tri.Unknown;
            }
        }
        else
        {
            test = record => text(record) is { } s && patternText(record) is { } p
                ? TriLogic.Of(LikePattern.Parse(p).IsMatch(s))
                : Tri.Unknown;
        }
        if (like.Negated)
            test = TriLogic.Not(test);
        return Operand.Boolean(test, like.Position, operand.IsConstant && pattern.IsConstant);
    }

    /// <summary>Characters as Spark counts them: Unicode code points (a surrogate pair is one).</summary>
    private static decimal CountCharacters(string s)
    {
        var count = s.Length;
        for (var i = 1; i < s.Length; i++)
        {
            if (char.IsLowSurrogate(s[i]) && char.IsHighSurrogate(s[i - 1]))
                count--;
        }
        return count;
    }
}
