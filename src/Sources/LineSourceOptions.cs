namespace SalesPipeline.Sources;

/// <summary>File format of a source.</summary>
public enum LineSourceFormat
{
    /// <summary>JSON Lines order events (docs/order-events.md); read by the JSON Lines parser, not by this library.</summary>
    Jsonl = 0,

    /// <summary>Delimited text, one order line per row.</summary>
    Csv = 1,

    /// <summary>Apache Parquet, one order line per row.</summary>
    Parquet = 2,
}

/// <summary>
/// One source of order files, bound from <c>SalesPipeline:Sources:&lt;name&gt;</c> (docs/sources.md).
/// A CSV or Parquet source holds exports of order lines whose columns the user names: <see cref="Columns"/>
/// maps pipeline fields to them.
/// </summary>
public sealed class LineSourceOptions
{
    /// <summary>Landing folder of the source's files (subfolders included).</summary>
    public string? Path { get; set; }

    /// <summary>File format (<c>jsonl</c>, <c>csv</c> or <c>parquet</c>). Default <c>jsonl</c>.</summary>
    public LineSourceFormat Format { get; set; } = LineSourceFormat.Jsonl;

    /// <summary>
    /// Pipeline field → column of the file (see <see cref="LineFields"/>). Required for csv and parquet:
    /// <c>order_id</c>, <c>product_id</c>, <c>quantity</c>, <c>unit_price</c>, <c>order_time</c>. Column names
    /// match exactly, or else ignoring case. Columns no field names are kept per row as rescued data.
    /// </summary>
    public Dictionary<string, string> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// .NET custom date and time format of text timestamps (for example <c>dd/MM/yyyy HH:mm</c>), parsed with
    /// the invariant culture. When not set, ISO-8601 (<c>2026-03-01T10:00:00</c>, optional fraction, optional
    /// <c>Z</c> or offset, <c>T</c> or a space between date and time, or a date alone).
    /// </summary>
    public string? TimestampFormat { get; set; }

    /// <summary>
    /// IANA time zone of timestamps written without an offset (default <c>UTC</c>). Every order time is
    /// expressed in this zone: it carries the zone's offset at that instant, so its date is the calendar date
    /// in the source's zone.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>CSV dialect; ignored by other formats.</summary>
    public CsvSourceOptions Csv { get; set; } = new();
}

/// <summary>Dialect of a CSV source.</summary>
public sealed class CsvSourceOptions
{
    /// <summary>Field separator, one character (default <c>,</c>); <c>\t</c> or <c>tab</c> for a tab.</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>
    /// Quote character (default <c>"</c>, doubled inside a quoted field to stand for itself). The only other
    /// value is empty: quotes are then ordinary characters.
    /// </summary>
    public string Quote { get; set; } = "\"";

    /// <summary>
    /// Whether the first row names the columns (default true). Without a header the columns are named by
    /// their 1-based position, <c>1</c>, <c>2</c>, …; a mapping may also say <c>column1</c>, <c>column2</c>, ….
    /// </summary>
    public bool Header { get; set; } = true;

    /// <summary>
    /// Text encoding (default <c>utf-8</c>): <c>utf-8</c>, <c>utf-16</c> (little endian), <c>utf-16be</c>,
    /// <c>utf-32</c>, <c>latin1</c> (<c>iso-8859-1</c>), <c>windows-1252</c>, <c>us-ascii</c>. A byte order
    /// mark at the start of a file wins over this setting.
    /// </summary>
    public string Encoding { get; set; } = "utf-8";
}
