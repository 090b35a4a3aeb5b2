using System.Diagnostics;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Ingestion;
using SalesPipeline.Grains.Parsing;

namespace SalesPipeline.Bench;

internal sealed record BaselineResult(long Orders, long Lines, TimeSpan Elapsed);

/// <summary>
/// The work without the system: one thread reads the same files and applies the same rules (parse,
/// validate, de-duplicate, keep the newest version, Gold by difference) to dictionaries in memory.
/// </summary>
internal static class Baseline
{
    public static BaselineResult Run(string landing)
    {
        var parser = new OrderEventParser(new ParseOptions("USD", new Dictionary<string, decimal>
        {
            ["USD"] = 1m, ["EUR"] = 1.08m, ["GBP"] = 1.27m, ["JPY"] = 0.0067m, ["CAD"] = 0.74m, ["AUD"] = 0.66m, ["CHF"] = 1.12m, ["SEK"] = 0.095m,
        }, 1024 * 1024));
        var watch = Stopwatch.StartNew();
        var orders = new Dictionary<string, (HashSet<string> Seen, OrderEvent? Current)>(StringComparer.Ordinal);
        var regionDays = new Dictionary<string, GoldFigures>(StringComparer.Ordinal);
        var products = new Dictionary<string, ProductDelta>(StringComparer.Ordinal);
        long lines = 0;
        foreach (var file in Directory.GetFiles(landing, "*.jsonl").OrderBy(f => f, StringComparer.Ordinal))
        {
            var chunk = LineReader.ReadAsync(file, 0, 0, int.MaxValue, 1024 * 1024, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var line in chunk.Lines)
            {
                lines++;
                _ = System.Text.Encoding.UTF8.GetString(line.Bytes); // Bronze keeps the raw text
                var parsed = parser.Parse(line.Bytes);
                if (parsed.Event is not { } evt)
                {
                    continue;
                }

                if (!orders.TryGetValue(evt.OrderId, out var order))
                {
                    order = (new HashSet<string>(StringComparer.Ordinal), null);
                }

                if (order.Seen.Add(evt.EventId) && (order.Current is null || Contribution.IsNewer(evt, order.Current)))
                {
                    Contribution.Accumulate(order.Current, -1, regionDays, products);
                    Contribution.Accumulate(evt, +1, regionDays, products);
                    order.Current = evt;
                }

                orders[evt.OrderId] = order;
            }
        }

        return new BaselineResult(orders.Count, lines, watch.Elapsed);
    }
}
