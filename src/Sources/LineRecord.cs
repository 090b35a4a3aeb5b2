namespace SalesPipeline.Sources;

/// <summary>
/// One order line read from a line source and mapped to pipeline fields. Parsed, not judged: rules such as
/// "quantity is not 0", "unit_price is not negative" or "the currency has a rate" belong to the pipeline.
/// </summary>
public sealed record LineRecord
{
    /// <summary>The order the line belongs to; lines with the same id form one order, across files too.</summary>
    public required string OrderId { get; init; }

    /// <summary>Id of the line within its order, when the source has one.</summary>
    public string? LineId { get; init; }

    public required string ProductId { get; init; }

    public string? ProductName { get; init; }

    /// <summary>Units; negative for a return.</summary>
    public required int Quantity { get; init; }

    public required decimal UnitPrice { get; init; }

    /// <summary>Absolute amount off the line; 0 when the source has none.</summary>
    public decimal Discount { get; init; }

    /// <summary>When the order was placed, carrying the source time zone's offset at that instant.</summary>
    public required DateTimeOffset OrderTime { get; init; }

    public string? CustomerId { get; init; }

    public string? Region { get; init; }

    public string? Country { get; init; }

    /// <summary>Currency code as written; null means the base currency.</summary>
    public string? Currency { get; init; }

    /// <summary>Status as written, lowercased; null when the source has none.</summary>
    public string? Status { get; init; }

    /// <summary>Calendar date of <see cref="OrderTime"/> in the source's time zone.</summary>
    public DateOnly OrderDate => DateOnly.FromDateTime(OrderTime.DateTime);
}

/// <summary>
/// One data row of a file: the line it maps to, or the reason it cannot be mapped.
/// Exactly one of <see cref="Line"/> and <see cref="Rejection"/> is set.
/// </summary>
/// <param name="RowNumber">1-based number of the data row in its file (the header does not count; blank rows do).</param>
/// <param name="Raw">The row as written: its text for CSV (without the line break), a compact JSON object of its values for Parquet.</param>
/// <param name="OrderId">The row's order id whenever it is readable, also for a rejected row.</param>
/// <param name="Line">The mapped line, or null when the row is rejected.</param>
/// <param name="Rejection">Why the row cannot be mapped (for example <c>column 'Qty' (quantity): '2,5' is not a number</c>).</param>
/// <param name="Rescued">Non-empty values of the columns no mapping uses (schema drift), by column name; null when none.</param>
public sealed record MappedRow(
    long RowNumber,
    string Raw,
    string? OrderId,
    LineRecord? Line,
    string? Rejection,
    IReadOnlyDictionary<string, string>? Rescued);

/// <summary>A chunk of consecutive rows of one file.</summary>
/// <param name="Rows">The rows read, in file order (blank rows are skipped and not listed).</param>
/// <param name="Position">Data rows of the file consumed so far: open the file again at this row to resume after the chunk.</param>
/// <param name="EndOfFile">True when the file has no rows after this chunk.</param>
public sealed record LineChunk(IReadOnlyList<MappedRow> Rows, long Position, bool EndOfFile);
