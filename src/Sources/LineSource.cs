using SalesPipeline.Sources.Csv;
using SalesPipeline.Sources.Mapping;
using SalesPipeline.Sources.Parquet;

namespace SalesPipeline.Sources;

/// <summary>
/// A validated csv or parquet source: opens its files for reading. Create one per configured source and
/// reuse it for all its files; it holds no file and is thread-safe.
/// </summary>
public sealed class LineSource
{
    private readonly SourceSettings settings;

    private LineSource(SourceSettings settings) => this.settings = settings;

    /// <summary>The source's name (for messages).</summary>
    public string Name => settings.Name;

    /// <summary>The source's format.</summary>
    public LineSourceFormat Format => settings.Format;

    /// <summary>Validates <paramref name="options"/> (except <see cref="LineSourceOptions.Path"/>) and prepares the source.</summary>
    /// <exception cref="LineSourceConfigurationException">The options are not valid, or the format is jsonl.</exception>
    public static LineSource Create(string name, LineSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        var errors = LineSourceOptionsValidator.Validate(name, options, requirePath: false);
        if (errors.Count > 0)
        {
            throw new LineSourceConfigurationException(string.Join(Environment.NewLine, errors));
        }

        if (options.Format == LineSourceFormat.Jsonl)
        {
            throw new LineSourceConfigurationException(
                $"{LineSourceOptionsValidator.Key(name, nameof(options.Format))}: jsonl sources are read by the JSON Lines parser, not as line sources");
        }

        return new LineSource(SourceSettings.From(name, options));
    }

    /// <summary>
    /// Opens <paramref name="filePath"/> positioned after <paramref name="startRow"/> data rows (0 = from the
    /// first). A start row past the end gives a reader at its end.
    /// </summary>
    /// <exception cref="LineFileException">The file cannot be opened or is not of the source's format.</exception>
    public async ValueTask<ILineFileReader> OpenAsync(string filePath, long startRow = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentOutOfRangeException.ThrowIfNegative(startRow);
        return settings.Format == LineSourceFormat.Csv
            ? await CsvLineFileReader.OpenAsync(filePath, settings, startRow, cancellationToken)
            : await ParquetLineFileReader.OpenAsync(filePath, settings, startRow, cancellationToken);
    }
}
