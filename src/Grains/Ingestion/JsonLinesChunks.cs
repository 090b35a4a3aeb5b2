using System.Text;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Parsing;
using SalesPipeline.Quality;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// Reads a chunk of a JSON Lines file of order events: parses each line, applies the expectations to
/// every item with the event's order fields (a line failing one removes the whole event: an order
/// snapshot is all or nothing) and hands the records to the chunk.
/// </summary>
internal sealed class JsonLinesChunks(OrderEventParser parser, int chunkLines, int maxLineBytes)
{
    private readonly ExpectationFields fields = new();

    public async Task ReadAsync(ChunkOutput output, FileCheckpoint position, CancellationToken cancellationToken)
    {
        var source = output.Source;
        var chunk = await LineReader.ReadAsync(Path.Combine(source.Path, output.File), position.Offset, position.Lines, chunkLines, maxLineBytes, cancellationToken);
        output.EndOffset = chunk.EndOffset;
        output.EndLine = chunk.EndLine;
        output.BlankLines = chunk.BlankLines;
        if (chunk.Lines.Count == 0 && chunk.EndOffset == position.Offset)
        {
            output.Progressed = false;
            return;
        }

        foreach (var line in chunk.Lines)
        {
            var raw = Encoding.UTF8.GetString(line.Bytes);
            var parsed = line.TooLong
                ? new ParseResult(null, null, $"line too long ({line.Length} bytes, limit {maxLineBytes}); its first {line.Bytes.Length} bytes are kept", null)
                : parser.Parse(line.Bytes);
            if (parsed.Warning is not null)
            {
                output.Warnings++;
            }

            var outcome = parsed.Event is { } order ? Check(source, order) : default;
            if (!output.Take(line.Number, raw, line.Length, parsed.OrderId, parsed.Rejection, outcome, parsed.Event))
            {
                // Stopped by a fail expectation: the file resumes at this line once replaced.
                output.EndOffset = line.Start;
                output.EndLine = line.Number - 1;
                output.BlankLines = 0;
                return;
            }

            if (parsed.Event?.Rescued is { Count: > 0 } rescued)
            {
                output.NewColumns.UnionWith(rescued.Keys);
            }
        }
    }

    /// <summary>The most severe verdict over the event's items.</summary>
    private ExpectationOutcome Check(SourceRuntime source, OrderEvent order)
    {
        if (source.Expectations is not { } expectations)
        {
            return default;
        }

        // Expectations are per line: an event without items has nothing to check (it contributes nothing either).
        ExpectationOutcome worst = default;
        foreach (var item in order.Lines)
        {
            var outcome = expectations.Evaluate(fields.ForEvent(order, item));
            source.Count(outcome);
            if (outcome.Action > worst.Action)
            {
                worst = outcome;
            }
        }

        return worst;
    }
}
