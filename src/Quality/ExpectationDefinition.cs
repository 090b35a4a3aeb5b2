namespace SalesPipeline.Quality;

/// <summary>An expectation as declared in configuration, before it is compiled.</summary>
/// <param name="Name">Unique name (case-insensitive) reported in counters, quarantine records and errors.</param>
/// <param name="Condition">A SQL-like boolean condition a record must satisfy, e.g. <c>quantity * unit_price &gt; 0</c>
/// (see <c>docs/expectations.md</c>).</param>
/// <param name="Action"><c>warn</c>, <c>drop</c>, <c>quarantine</c> or <c>fail</c> (case-insensitive).</param>
public sealed record ExpectationDefinition(string Name, string Condition, string Action);
