namespace SalesPipeline.Delta;

/// <summary>Base class of the errors this library raises about a Delta table.</summary>
public class DeltaException : Exception
{
    /// <summary>Creates the error.</summary>
    public DeltaException(string message) : base(message) { }
    /// <summary>Creates the error with a cause.</summary>
    public DeltaException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The table's log is malformed or violates the protocol.</summary>
public sealed class DeltaProtocolException : DeltaException
{
    /// <summary>Creates the error.</summary>
    public DeltaProtocolException(string message) : base(message) { }
    /// <summary>Creates the error with a cause.</summary>
    public DeltaProtocolException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The table needs a protocol feature this library does not implement; nothing was read or written.</summary>
public sealed class DeltaUnsupportedFeatureException(string feature, string message) : DeltaException(message)
{
    /// <summary>The feature's name, e.g. <c>deletionVectors</c> or <c>columnMapping</c>.</summary>
    public string Feature { get; } = feature;
}

/// <summary>A concurrent commit conflicts with this transaction; re-read the table and decide again.</summary>
public sealed class DeltaConcurrencyException(string message, long conflictingVersion) : DeltaException(message)
{
    /// <summary>The version written by the other writer that conflicts.</summary>
    public long ConflictingVersion { get; } = conflictingVersion;
}

/// <summary>The data does not match the table schema (missing column, wrong type, null in a non-nullable column).</summary>
public sealed class DeltaSchemaMismatchException(string message) : DeltaException(message);

/// <summary>The table (or the requested version) does not exist.</summary>
public sealed class DeltaTableNotFoundException(string message) : DeltaException(message);
