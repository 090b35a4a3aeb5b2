namespace SalesPipeline.Quality;

/// <summary>
/// What happens to a record that does not pass an expectation. Values are ordered by severity, so the action for a
/// record is the maximum over the rules it failed: <see cref="Fail"/> &gt; <see cref="Quarantine"/> &gt;
/// <see cref="Drop"/> &gt; <see cref="Warn"/>.
/// </summary>
public enum ExpectationAction
{
    /// <summary>No rule failed (only appears in an <see cref="ExpectationOutcome"/>; not a valid rule action).</summary>
    None = 0,

    /// <summary>Keep the record and count the failure (DLT <c>expect</c>).</summary>
    Warn = 1,

    /// <summary>Remove the record and count it (DLT <c>expect_or_drop</c>).</summary>
    Drop = 2,

    /// <summary>Remove the record, store it aside with the rule's name, and count it.</summary>
    Quarantine = 3,

    /// <summary>Stop the source (DLT <c>expect_or_fail</c>).</summary>
    Fail = 4,
}
