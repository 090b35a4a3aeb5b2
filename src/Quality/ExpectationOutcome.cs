namespace SalesPipeline.Quality;

/// <summary>
/// The result of checking one record against an <see cref="ExpectationSet"/>. The default value means every rule
/// passed; that case allocates nothing.
/// </summary>
public readonly struct ExpectationOutcome
{
    private readonly ExpectationRule[]? _failed;

    internal ExpectationOutcome(ExpectationAction action, ExpectationRule[] failed)
    {
        Action = action;
        _failed = failed;
    }

    /// <summary>The most severe action among the failed rules, or <see cref="ExpectationAction.None"/> when all passed.</summary>
    public ExpectationAction Action { get; }

    /// <summary>Every rule passed.</summary>
    public bool Passed => _failed is null;

    /// <summary>The record stays in the stream: nothing failed, or only <see cref="ExpectationAction.Warn"/> rules did.</summary>
    public bool KeepsRecord => Action <= ExpectationAction.Warn;

    /// <summary>The rules the record failed, in declaration order; empty when it passed.</summary>
    public IReadOnlyList<ExpectationRule> FailedRules => _failed ?? [];

    /// <summary>
    /// The first failed rule (in declaration order) whose action is <see cref="Action"/>: the rule to name when the
    /// record is quarantined or the source fails. Null when the record passed.
    /// </summary>
    public ExpectationRule? DecidingRule
    {
        get
        {
            if (_failed is null)
                return null;
            foreach (var rule in _failed)
            {
                if (rule.Action == Action)
                    return rule;
            }
            return null;
        }
    }
}
