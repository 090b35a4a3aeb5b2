using SalesPipeline.Quality.Conditions;

namespace SalesPipeline.Quality;

/// <summary>A compiled expectation of an <see cref="ExpectationSet"/>.</summary>
public sealed class ExpectationRule
{
    internal ExpectationRule(int index, string name, string condition, ExpectationAction action, Func<IFieldReader, Tri> predicate)
    {
        Index = index;
        Name = name;
        Condition = condition;
        Action = action;
        Predicate = predicate;
    }

    /// <summary>Position of the rule in <see cref="ExpectationSet.Rules"/>.</summary>
    public int Index { get; }

    /// <summary>The rule's name as declared.</summary>
    public string Name { get; }

    /// <summary>The condition as declared.</summary>
    public string Condition { get; }

    /// <summary>What happens to a record that fails the rule.</summary>
    public ExpectationAction Action { get; }

    internal Func<IFieldReader, Tri> Predicate { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Action.ToString().ToLowerInvariant()}): {Condition}";
}
