using System.Globalization;
using SalesPipeline.Sources.Csv;

namespace SalesPipeline.Sources;

/// <summary>
/// Checks a source's options. Every message names the configuration key, for example
/// <c>SalesPipeline:Sources:shop:Columns:quantity: required for a csv source</c>.
/// </summary>
public static class LineSourceOptionsValidator
{
    /// <summary>Configuration section of all sources.</summary>
    public const string SectionName = "SalesPipeline:Sources";

    /// <summary>Returns the problems of <paramref name="options"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string name, LineSourceOptions options) => Validate(name, options, requirePath: true);

    /// <summary>Throws when <paramref name="options"/> are not valid.</summary>
    /// <exception cref="LineSourceConfigurationException">With every problem found, one per line.</exception>
    public static void ThrowIfInvalid(string name, LineSourceOptions options)
    {
        var errors = Validate(name, options);
        if (errors.Count > 0)
        {
            throw new LineSourceConfigurationException(string.Join(Environment.NewLine, errors));
        }
    }

    internal static string Key(string name, string option) => $"{SectionName}:{name}:{option}";

    internal static List<string> Validate(string name, LineSourceOptions options, bool requirePath)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (requirePath && string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add($"{Key(name, nameof(options.Path))}: required (the source's landing folder)");
        }

        if (!Enum.IsDefined(options.Format))
        {
            errors.Add($"{Key(name, nameof(options.Format))}: unknown format '{(int)options.Format}' (use jsonl, csv or parquet)");
            return errors;
        }

        var columns = options.Columns ?? [];
        if (options.Format == LineSourceFormat.Jsonl)
        {
            if (columns.Count > 0)
            {
                errors.Add($"{Key(name, nameof(options.Columns))}: only csv and parquet sources map columns; jsonl follows docs/order-events.md");
            }

            return errors;
        }

        var format = options.Format.ToString().ToLowerInvariant();
        var mapped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, column) in columns)
        {
            var key = Key(name, $"{nameof(options.Columns)}:{field}");
            if (!LineFields.TryParse(field, out _))
            {
                errors.Add($"{key}: unknown pipeline field '{field}' (known: {string.Join(", ", LineFields.All)})");
            }
            else if (string.IsNullOrWhiteSpace(column))
            {
                errors.Add($"{key}: the column name is empty");
            }
            else
            {
                mapped.Add(field.Trim());
            }
        }

        foreach (var field in LineFields.Required.Where(f => !mapped.Contains(f)))
        {
            errors.Add($"{Key(name, $"{nameof(options.Columns)}:{field}")}: required for a {format} source (the column holding {field})");
        }

        if (string.IsNullOrWhiteSpace(options.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone.Trim(), out _))
        {
            errors.Add($"{Key(name, nameof(options.TimeZone))}: unknown time zone '{options.TimeZone}' (use an IANA id such as UTC or Europe/Berlin)");
        }

        if (options.TimestampFormat is { } timestampFormat && !TimestampFormatWorks(timestampFormat))
        {
            errors.Add($"{Key(name, nameof(options.TimestampFormat))}: '{timestampFormat}' is not a usable .NET custom date and time format (for example dd/MM/yyyy HH:mm)");
        }

        if (options.Format == LineSourceFormat.Csv)
        {
            ValidateCsv(name, options.Csv ?? new CsvSourceOptions(), errors);
        }

        return errors;
    }

    private static void ValidateCsv(string name, CsvSourceOptions csv, List<string> errors)
    {
        var quote = CsvDialect.ParseQuote(csv.Quote);
        if (quote is null)
        {
            errors.Add($"{Key(name, "Csv:Quote")}: '{csv.Quote}' is not supported (use \" or an empty value for no quoting)");
        }

        if (CsvDialect.ParseDelimiter(csv.Delimiter) is not { } delimiter)
        {
            errors.Add($"{Key(name, "Csv:Delimiter")}: '{csv.Delimiter}' must be one character (\\t or tab for a tab)");
        }
        else if (CsvDialect.CheckDelimiter(delimiter) is { } problem)
        {
            errors.Add($"{Key(name, "Csv:Delimiter")}: '{csv.Delimiter}' {problem}");
        }

        if (CsvDialect.ResolveEncoding(csv.Encoding) is null)
        {
            errors.Add($"{Key(name, "Csv:Encoding")}: unknown encoding '{csv.Encoding}' (use {string.Join(", ", CsvDialect.EncodingNames)})");
        }
    }

    private static bool TimestampFormatWorks(string format)
    {
        // A format that cannot round-trip a known instant cannot parse the files either.
        var sample = new DateTime(2026, 11, 28, 13, 45, 30, 123);
        try
        {
            if (string.IsNullOrWhiteSpace(format))
            {
                return false;
            }

            var text = new DateTimeOffset(sample, TimeSpan.FromHours(1)).ToString(format, CultureInfo.InvariantCulture);
            return DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
