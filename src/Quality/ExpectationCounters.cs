namespace SalesPipeline.Quality;

/// <summary>
/// Thread-safe per-rule counts for one <see cref="ExpectationSet"/>: record each outcome, snapshot whenever needed.
/// </summary>
public sealed class ExpectationCounters
{
    private readonly ExpectationSet _set;
    private readonly long[] _failed;
    private long _evaluated;

    /// <summary>Creates zeroed counters for the rules of <paramref name="set"/>.</summary>
    public ExpectationCounters(ExpectationSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        _set = set;
        _failed = new long[set.Rules.Count];
    }

    /// <summary>Records the outcome of one record; every rule of the set was evaluated for it.</summary>
    /// <exception cref="ArgumentException">The outcome comes from another set.</exception>
    public void Record(in ExpectationOutcome outcome)
    {
        // Evaluated before failed, and Snapshot reads failed before evaluated, so a snapshot never shows more
        // failures than evaluations.
        Interlocked.Increment(ref _evaluated);
        if (outcome.Passed)
            return;
        foreach (var rule in outcome.FailedRules)
        {
            if (rule.Index >= _failed.Length || !ReferenceEquals(_set.Rules[rule.Index], rule))
                throw new ArgumentException($"Rule '{rule.Name}' does not belong to this counter's expectation set.", nameof(outcome));
            Interlocked.Increment(ref _failed[rule.Index]);
        }
    }

    /// <summary>The counts of every rule, in declaration order.</summary>
    public IReadOnlyList<ExpectationMetrics> Snapshot()
    {
        var failed = new long[_failed.Length];
        for (var i = 0; i < failed.Length; i++)
            failed[i] = Interlocked.Read(ref _failed[i]);
        var evaluated = Interlocked.Read(ref _evaluated);
        var metrics = new ExpectationMetrics[failed.Length];
        for (var i = 0; i < metrics.Length; i++)
        {
            var rule = _set.Rules[i];
            metrics[i] = new ExpectationMetrics(rule.Name, rule.Action, evaluated, evaluated - failed[i], failed[i]);
        }
        return metrics;
    }
}
