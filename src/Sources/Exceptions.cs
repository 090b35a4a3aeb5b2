namespace SalesPipeline.Sources;

/// <summary>A line source's options are not valid; the message names the option.</summary>
public sealed class LineSourceConfigurationException(string message) : Exception(message);

/// <summary>
/// A file cannot be read at all (not Parquet, corrupt, unreadable): a per-file failure, never a crash. Rows
/// that cannot be mapped are not errors; they come back with a rejection.
/// </summary>
public sealed class LineFileException(string path, string message, Exception? inner = null)
    : IOException($"{System.IO.Path.GetFileName(path)}: {message}", inner)
{
    /// <summary>The file that failed.</summary>
    public string FilePath { get; } = path;
}
