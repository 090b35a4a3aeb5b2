namespace SalesPipeline.Quality;

/// <summary>Counts of one expectation at a point in time (a plain, serializable snapshot).</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Action">The rule's action.</param>
/// <param name="Evaluated">Records checked against the rule.</param>
/// <param name="Passed">Records whose condition was TRUE.</param>
/// <param name="Failed">Records whose condition was FALSE or NULL.</param>
public sealed record ExpectationMetrics(string Name, ExpectationAction Action, long Evaluated, long Passed, long Failed);
