namespace SalesPipeline.Quality.Conditions;

/// <summary>A condition error at a position; <see cref="ExpectationSet"/> wraps it with the rule's name.</summary>
internal sealed class ConditionException(string description, int position, string? detail = null)
    : Exception(detail is null ? $"{description} at position {position}" : $"{description} at position {position} {detail}")
{
    public string Description { get; } = description;

    /// <summary>1-based character position in the condition.</summary>
    public int Position { get; } = position;
}
