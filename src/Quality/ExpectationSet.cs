using SalesPipeline.Quality.Conditions;

namespace SalesPipeline.Quality;

/// <summary>
/// Expectations compiled once against a <see cref="FieldSchema"/> and evaluated together per record. Immutable and
/// safe to share between threads.
/// </summary>
/// <remarks>
/// A record passes a rule only when the condition is TRUE; FALSE and NULL (unknown) both fail it, as a Spark filter
/// does for DLT's <c>expect_or_drop</c>. To combine global and per-source expectations, compile their concatenation:
/// names must be unique across both.
/// </remarks>
public sealed class ExpectationSet
{
    // Above this many rules the per-call failure flags go to the heap instead of the stack.
    private const int MaxStackRules = 256;

    private readonly ExpectationRule[] _rules;

    private ExpectationSet(FieldSchema schema, ExpectationRule[] rules)
    {
        Schema = schema;
        _rules = rules;
    }

    /// <summary>The schema the conditions were compiled against; its ordinals are what the reader receives.</summary>
    public FieldSchema Schema { get; }

    /// <summary>The rules in declaration order.</summary>
    public IReadOnlyList<ExpectationRule> Rules => _rules;

    /// <summary>Compiles expectations against a schema.</summary>
    /// <exception cref="ExpectationConfigurationException">
    /// A name is empty or repeated (case-insensitive), an action is not warn/drop/quarantine/fail, or a condition does
    /// not parse, names an unknown field or is ill-typed. The message names the rule and the position in the condition.
    /// </exception>
    public static ExpectationSet Compile(FieldSchema schema, params IEnumerable<ExpectationDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(definitions);
        var rules = new List<ExpectationRule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in definitions)
        {
            var number = rules.Count + 1;
            if (definition is null)
                throw new ExpectationConfigurationException($"expectation #{number}: definition is null", null, null, null);
            if (string.IsNullOrWhiteSpace(definition.Name))
                throw new ExpectationConfigurationException($"expectation #{number}: name is empty", null, definition.Condition, null);
            var name = definition.Name;
            if (!names.Add(name))
                throw new ExpectationConfigurationException($"expectation '{name}': the name is declared more than once (names are case-insensitive)", name, definition.Condition, null);
            var action = ParseAction(name, definition);
            if (string.IsNullOrWhiteSpace(definition.Condition))
                throw new ExpectationConfigurationException($"expectation '{name}': condition is empty", name, definition.Condition, null);

            Condition condition;
            try
            {
                condition = Condition.Compile(definition.Condition, schema);
            }
            catch (ConditionException e)
            {
                throw new ExpectationConfigurationException($"expectation '{name}': {e.Message}", name, definition.Condition, e.Position, e);
            }
            rules.Add(new ExpectationRule(rules.Count, name, definition.Condition, action, condition.Predicate));
        }
        return new ExpectationSet(schema, rules.ToArray());
    }

    /// <summary>
    /// Evaluates every rule against one record. Allocates nothing when all rules pass; otherwise one array of the
    /// failed rules.
    /// </summary>
    /// <param name="record">The record's fields, by the ordinals of <see cref="Schema"/>.</param>
    public ExpectationOutcome Evaluate(IFieldReader record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var rules = _rules;
        Span<bool> failed = rules.Length <= MaxStackRules ? stackalloc bool[rules.Length] : new bool[rules.Length];
        var failures = 0;
        var action = ExpectationAction.None;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Predicate(record) == Tri.True)
                continue;
            failed[i] = true;
            failures++;
            if (rules[i].Action > action)
                action = rules[i].Action;
        }
        if (failures == 0)
            return default;

        var failedRules = new ExpectationRule[failures];
        for (int i = 0, j = 0; j < failures; i++)
        {
            if (failed[i])
                failedRules[j++] = rules[i];
        }
        return new ExpectationOutcome(action, failedRules);
    }

    private static ExpectationAction ParseAction(string name, ExpectationDefinition definition)
    {
        var text = definition.Action?.Trim();
        if (string.Equals(text, "warn", StringComparison.OrdinalIgnoreCase))
            return ExpectationAction.Warn;
        if (string.Equals(text, "drop", StringComparison.OrdinalIgnoreCase))
            return ExpectationAction.Drop;
        if (string.Equals(text, "quarantine", StringComparison.OrdinalIgnoreCase))
            return ExpectationAction.Quarantine;
        if (string.Equals(text, "fail", StringComparison.OrdinalIgnoreCase))
            return ExpectationAction.Fail;
        var shown = string.IsNullOrWhiteSpace(definition.Action) ? "no action" : $"unknown action '{definition.Action}'";
        throw new ExpectationConfigurationException(
            $"expectation '{name}': {shown} (expected warn, drop, quarantine or fail)", name, definition.Condition, null);
    }
}
