using System.Diagnostics;
using System.Globalization;
using nietras.SeparatedValues;

namespace SalesPipeline.Bench;

/// <summary>
/// The line-source work without the system: one thread reads the same CSV files with the same parser
/// (Sep) and the generator's mapping, parses the values (invariant numbers, the source's timestamp
/// format) and aggregates sales by region-day and by product in dictionaries. Rows that do not parse are skipped.
/// </summary>
internal static class CsvBaseline
{
    public static BaselineResult Run(string landing, string timestampFormat)
    {
        var watch = Stopwatch.StartNew();
        var regionDays = new Dictionary<(string, DateOnly), (long Units, decimal Sales)>();
        var products = new Dictionary<string, (long Units, decimal Sales)>(StringComparer.Ordinal);
        var orders = new HashSet<string>(StringComparer.Ordinal);
        long lines = 0;
        foreach (var file in Directory.GetFiles(landing, "*.csv").OrderBy(f => f, StringComparer.Ordinal))
        {
            using var reader = Sep.Reader(o => o with { DisableColCountCheck = true, CultureInfo = CultureInfo.InvariantCulture, Unescape = true }).FromFile(file);
            var header = reader.Header;
            int order = header.IndexOf("InvoiceNo"), product = header.IndexOf("StockCode"), quantity = header.IndexOf("Quantity"),
                price = header.IndexOf("UnitPrice"), date = header.IndexOf("InvoiceDate"), region = header.IndexOf("Region");
            foreach (var row in reader)
            {
                lines++;
                if (row.ColCount != header.ColNames.Count
                    || !int.TryParse(row[quantity].Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var units)
                    || !decimal.TryParse(row[price].Span, NumberStyles.Number, CultureInfo.InvariantCulture, out var unitPrice)
                    || !DateTime.TryParseExact(row[date].Span, timestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                {
                    continue;
                }

                var sales = units * unitPrice;
                var key = (row[region].ToString(), DateOnly.FromDateTime(time));
                var day = regionDays.GetValueOrDefault(key);
                regionDays[key] = (day.Units + units, day.Sales + sales);
                var productId = row[product].ToString();
                var p = products.GetValueOrDefault(productId);
                products[productId] = (p.Units + units, p.Sales + sales);
                orders.Add(row[order].ToString());
            }
        }

        return new BaselineResult(orders.Count, lines, watch.Elapsed);
    }
}
