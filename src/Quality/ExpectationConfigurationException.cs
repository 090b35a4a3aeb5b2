namespace SalesPipeline.Quality;

/// <summary>
/// An expectation cannot be compiled: its condition does not parse, names an unknown field or mixes types, its action is
/// unknown, or its name is missing or repeated. The message names the rule and, for condition errors, the 1-based
/// character position in the condition, e.g.
/// <c>expectation 'price_ok': unknown field 'unit_prce' at position 1 (…)</c>.
/// </summary>
public sealed class ExpectationConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    public ExpectationConfigurationException(string message) : base(message) { }

    /// <summary>Creates the error with a cause.</summary>
    public ExpectationConfigurationException(string message, Exception inner) : base(message, inner) { }

    internal ExpectationConfigurationException(string message, string? ruleName, string? condition, int? position, Exception? inner = null)
        : base(message, inner)
    {
        RuleName = ruleName;
        Condition = condition;
        Position = position;
    }

    /// <summary>The name of the offending expectation, when it has one.</summary>
    public string? RuleName { get; }

    /// <summary>The condition text, when the error is in the condition.</summary>
    public string? Condition { get; }

    /// <summary>The 1-based character position in <see cref="Condition"/> the error points at, when it is in the condition.</summary>
    public int? Position { get; }
}
