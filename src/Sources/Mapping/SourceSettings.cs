using System.Text;
using SalesPipeline.Sources.Csv;

namespace SalesPipeline.Sources.Mapping;

/// <summary>A source's validated options in the form the readers use.</summary>
internal sealed record SourceSettings
{
    public required string Name { get; init; }
    public required LineSourceFormat Format { get; init; }

    /// <summary>Configured column name per field (index = <see cref="Field"/>), null when unmapped.</summary>
    public required string?[] ColumnOf { get; init; }

    public string? TimestampFormat { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public char Delimiter { get; init; } = ',';
    public bool Quotes { get; init; } = true;
    public bool Header { get; init; } = true;
    public required Encoding Encoding { get; init; }

    /// <summary>Builds the settings from options that passed validation.</summary>
    public static SourceSettings From(string name, LineSourceOptions options)
    {
        var columnOf = new string?[LineFields.All.Count];
        foreach (var (field, column) in options.Columns)
        {
            LineFields.TryParse(field, out var f);
            columnOf[(int)f] = column.Trim();
        }

        var csv = options.Csv ?? new CsvSourceOptions();
        return new SourceSettings
        {
            Name = name,
            Format = options.Format,
            ColumnOf = columnOf,
            TimestampFormat = options.TimestampFormat,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone.Trim()),
            Delimiter = CsvDialect.ParseDelimiter(csv.Delimiter) ?? ',',
            Quotes = CsvDialect.ParseQuote(csv.Quote) ?? true,
            Header = csv.Header,
            Encoding = CsvDialect.ResolveEncoding(csv.Encoding) ?? Encoding.UTF8,
        };
    }
}
