using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Parsing;
using SalesPipeline.Quality;
using SalesPipeline.Sources;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// Reads a chunk of a csv or parquet file of order lines: maps each row, applies the built-in rules
/// (a currency with a rate, a known status) and the expectations, and hands the lines to the chunk. A
/// line's key is its line_id when the source maps one, else source, file and row.
/// </summary>
internal sealed class LineFileChunks(ParseOptions rates, int chunkLines)
{
    private readonly ExpectationFields fields = new();

    public async Task ReadAsync(ChunkOutput output, FileCheckpoint position, long fileLength, CancellationToken cancellationToken)
    {
        var source = output.Source;
        var (reader, chunk) = await source.ReadChunkAsync(output.File, position.Lines, chunkLines, cancellationToken);
        if (position.Lines == 0)
        {
            output.NewColumns.UnionWith(reader.UnmappedColumns);
        }

        output.EndLine = chunk.Position;
        output.EndOffset = chunk.EndOfFile ? fileLength : 0;
        if (chunk.EndOfFile)
        {
            await source.CloseAsync(output.File);
        }

        var arrival = source.Checkpoint.RecordsRead;
        foreach (var row in chunk.Rows)
        {
            var (line, rejection, warning) = row.Line is { } mapped ? Map(source, output.File, row, mapped, ++arrival) : (null, row.Rejection, false);
            if (warning)
            {
                output.Warnings++;
            }

            var outcome = line is not null && source.Expectations is { } expectations
                ? expectations.Evaluate(fields.ForLine(row.Line!.OrderId, row.Line.LineId, line, row.Line.Status, row.Line.Region))
                : default;
            if (line is not null && source.Expectations is not null)
            {
                source.Count(outcome);
            }

            if (!output.Take(row.RowNumber, row.Raw, -1, row.OrderId, rejection, outcome, line: line))
            {
                // Stopped by a fail expectation: nothing from this row on; the file is read again once replaced.
                output.EndLine = row.RowNumber - 1;
                output.EndOffset = 0;
                await source.CloseAsync(output.File);
                return;
            }
        }
    }

    private (SourceLine? Line, string? Rejection, bool Warning) Map(SourceRuntime source, string file, MappedRow row, LineRecord record, long arrival)
    {
        var currency = record.Currency ?? rates.BaseCurrency;
        if (!rates.RatesToBase.TryGetValue(currency, out var rate))
        {
            return (null, $"unknown currency '{currency}'", false);
        }

        OrderStatus? status = null;
        if (record.Status is { } text)
        {
            status = OrderEventParser.ParseStatus(text) ?? (text == "canceled" ? OrderStatus.Cancelled : null);
            if (status is null)
            {
                return (null, $"unknown status '{text}'", false);
            }
        }

        var line = new SourceLine
        {
            LineKey = record.LineId is { } id ? "id:" + id : $"{source.Name}/{file}#{row.RowNumber}",
            Line = new OrderLine
            {
                ProductId = record.ProductId,
                ProductName = record.ProductName,
                Quantity = record.Quantity,
                UnitPrice = record.UnitPrice,
                Discount = record.Discount,
                Amount = OrderEventParser.LineAmount(record.Quantity, record.UnitPrice, record.Discount, rate),
                Rescued = row.Rescued is { Count: > 0 } rescued ? new Dictionary<string, string>(rescued, StringComparer.Ordinal) : null,
            },
            OrderTime = record.OrderTime,
            CustomerId = record.CustomerId,
            Region = record.Region ?? OrderEventParser.UnknownRegion,
            Country = record.Country,
            Currency = currency,
            Status = status,
            Arrival = arrival,
        };
        return (line, null, record.CustomerId is null || record.Region is null);
    }
}
