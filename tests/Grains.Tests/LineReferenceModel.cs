using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using SalesPipeline.Tests.Shared;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// An independent recomputation of a line source (csv or parquet order-line exports) from the raw files,
/// following docs/sources.md and docs/expectations.md with plain code: its own CSV splitter, DuckDB to
/// read Parquet, the mapping and value rules, the test's rules as C# predicates, and Gold with LINQ. It
/// shares no code with the pipeline.
/// </summary>
internal sealed partial class LineReferenceModel
{
    private static readonly HashSet<string> Statuses = ["placed", "paid", "shipped", "delivered", "cancelled", "refunded"];
    private static readonly string[] IdFields = ["order_id", "customer_id", "product_id", "line_id"];

    private readonly Dictionary<string, Dictionary<string, Line>> orders = new(StringComparer.Ordinal);

    public long Read { get; private set; }
    public long Applied { get; private set; }
    public long Dropped { get; private set; }
    public long Quarantined { get; private set; }
    public long Warnings { get; private set; }
    public Dictionary<string, (long Evaluated, long Failed)> RuleCounts { get; } = [];
    public SortedSet<string> NewColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>Records quarantined by an expectation, by the rule named (the first failed quarantine rule).</summary>
    public Dictionary<string, long> QuarantinedByRule { get; } = [];

    /// <summary>A rule of the test: name, action and the predicate (true = passes) written in C#.</summary>
    public sealed record Rule(string Name, string Action, Func<Line, bool> Passes);

    public sealed record Line(
        string OrderId, string? LineId, string ProductId, string? ProductName, int Quantity, decimal UnitPrice, decimal Discount,
        decimal Amount, DateTimeOffset OrderTime, string? CustomerId, string? Region, string? Country, string Currency, string? Status, long Arrival);

    public static async Task<LineReferenceModel> FromFolderAsync(
        string folder, string format, IReadOnlyDictionary<string, string> mapping, string timestampFormat, string timeZone, IReadOnlyList<Rule> rules)
    {
        var model = new LineReferenceModel();
        foreach (var rule in rules)
        {
            model.RuleCounts[rule.Name] = (0, 0);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var byField = mapping.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        long arrival = 0;
        foreach (var file in Directory.GetFiles(folder, "*." + format).OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            var (header, rows) = format == "csv" ? ReadCsv(file) : await ReadParquetAsync(file);
            model.NewColumns.UnionWith(header.Where(h => !byField.ContainsValue(h)));
            for (var r = 0; r < rows.Count; r++)
            {
                var cells = rows[r];
                if (cells.Length == 1 && string.IsNullOrWhiteSpace(cells[0]))
                {
                    continue; // blank row
                }

                model.Read++;
                arrival++;
                model.Take(header, cells, byField, timestampFormat, zone, rules, arrival, $"{Path.GetFileName(file)}#{r + 1}");
            }
        }

        return model;
    }

    private void Take(
        string[] header, string?[] cells, Dictionary<string, string> byField, string timestampFormat, TimeZoneInfo zone,
        IReadOnlyList<Rule> rules, long arrival, string rowKey)
    {
        if (cells.Length != header.Length)
        {
            Quarantined++;
            return;
        }

        string? Get(string field)
        {
            if (!byField.TryGetValue(field, out var column))
            {
                return null;
            }

            var index = Array.IndexOf(header, column);
            var value = index < 0 ? null : cells[index]?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            return IdFields.Contains(field) && WholeNumber().IsMatch(value) ? value[..value.IndexOf('.')] : value;
        }

        var orderId = Get("order_id");
        var productId = Get("product_id");
        var quantityText = Get("quantity");
        var priceText = Get("unit_price");
        var timeText = Get("order_time");
        if (orderId is null || productId is null || quantityText is null || priceText is null || timeText is null
            || !decimal.TryParse(quantityText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quantityValue)
            || quantityValue != decimal.Truncate(quantityValue) || Math.Abs(quantityValue) > int.MaxValue
            || !decimal.TryParse(priceText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var price))
        {
            Quarantined++;
            return;
        }

        var discount = 0m;
        if (Get("discount") is { } discountText && !decimal.TryParse(discountText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out discount))
        {
            Quarantined++;
            return;
        }

        DateTime local;
        if (!DateTime.TryParseExact(timeText, timestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out local)
            && !DateTime.TryParseExact(timeText, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            Quarantined++;
            return;
        }

        var orderTime = new DateTimeOffset(local, zone.GetUtcOffset(local));
        var currency = Get("currency") ?? "USD";
        var status = Get("status")?.ToLowerInvariant();
        if (!ReferenceModel.DefaultRates.TryGetValue(currency, out var rate) || (status is not null && !Statuses.Contains(status) && status != "canceled"))
        {
            Quarantined++;
            return;
        }

        var quantity = (int)quantityValue;
        var line = new Line(
            orderId, Get("line_id"), productId, Get("product_name"), quantity, price, discount,
            Math.Round(((quantity * price) - discount) * rate, 2, MidpointRounding.AwayFromZero),
            orderTime, Get("customer_id"), Get("region"), Get("country"), currency, status == "canceled" ? "cancelled" : status, arrival);
        if (line.CustomerId is null || line.Region is null)
        {
            Warnings++;
        }

        var worst = 0;
        string? quarantinedBy = null;
        foreach (var rule in rules)
        {
            var (evaluated, failed) = RuleCounts[rule.Name];
            var passes = rule.Passes(line);
            RuleCounts[rule.Name] = (evaluated + 1, failed + (passes ? 0 : 1));
            if (!passes)
            {
                worst = Math.Max(worst, rule.Action switch { "warn" => 1, "drop" => 2, "quarantine" => 3, _ => 4 });
                if (rule.Action == "quarantine")
                {
                    quarantinedBy ??= rule.Name;
                }
            }
        }

        switch (worst)
        {
            case 2: Dropped++; return;
            case 3:
                Quarantined++;
                QuarantinedByRule[quarantinedBy!] = QuarantinedByRule.GetValueOrDefault(quarantinedBy!) + 1;
                return;
            case 4: throw new InvalidOperationException("fail rules are tested separately");
        }

        Applied++;
        if (!orders.TryGetValue(orderId, out var lines))
        {
            orders[orderId] = lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        }

        lines[line.LineId ?? rowKey] = line;
    }

    /// <summary>Each order as Silver sees it: the order fields of its latest row, customer and status of the latest rows that have one.</summary>
    private IEnumerable<(string OrderId, Line Latest, string? Customer, string Status, List<Line> Lines)> Orders =>
        orders.Select(o =>
        {
            var byArrival = o.Value.Values.OrderBy(l => l.Arrival).ToList();
            return (o.Key, byArrival[^1], byArrival.LastOrDefault(l => l.CustomerId is not null)?.CustomerId,
                byArrival.LastOrDefault(l => l.Status is not null)?.Status ?? "placed", byArrival);
        });

    private IEnumerable<(string OrderId, Line Latest, string? Customer, string Status, List<Line> Lines)> Contributing =>
        Orders.Where(o => o.Status is not ("cancelled" or "refunded"));

    public Dictionary<(string Region, DateOnly Date), (long Orders, long Units, decimal Sales)> RegionDays() =>
        Contributing
            .GroupBy(o => (o.Latest.Region ?? "UNKNOWN", DateOnly.FromDateTime(o.Latest.OrderTime.DateTime)))
            .ToDictionary(g => g.Key, g => ((long)g.Count(), g.Sum(o => o.Lines.Sum(l => (long)l.Quantity)), g.Sum(o => o.Lines.Sum(l => l.Amount))));

    public Dictionary<string, (long Orders, long Units, decimal Sales)> Products() =>
        Contributing
            .SelectMany(o => o.Lines.Select(l => (o.OrderId, l)))
            .GroupBy(x => x.l.ProductId)
            .ToDictionary(g => g.Key, g => ((long)g.Select(x => x.OrderId).Distinct().Count(), g.Sum(x => (long)x.l.Quantity), g.Sum(x => x.l.Amount)));

    public Dictionary<string, (string Region, long Orders, decimal Sales, DateTimeOffset First, DateTimeOffset Last)> Customers() =>
        Contributing
            .Where(o => o.Customer is not null)
            .GroupBy(o => o.Customer!)
            .ToDictionary(g => g.Key, g =>
            {
                var latest = g.OrderByDescending(o => o.Latest.OrderTime).ThenByDescending(o => o.OrderId, StringComparer.Ordinal).First();
                return (latest.Latest.Region ?? "UNKNOWN", (long)g.Count(), g.Sum(o => o.Lines.Sum(l => l.Amount)),
                    g.Min(o => o.Latest.OrderTime), g.Max(o => o.Latest.OrderTime));
            });

    /// <summary>RFC 4180: comma-separated, double quotes with doubled quotes inside, line breaks inside quotes.</summary>
    private static (string[] Header, List<string?[]> Rows) ReadCsv(string file)
    {
        var text = File.ReadAllText(file, Encoding.UTF8);
        var rows = new List<string?[]>();
        var row = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"': quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n': row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); break;
                default: field.Append(c); break;
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return ([.. rows[0].Select(h => h!)], rows.Skip(1).ToList());
    }

    private static async Task<(string[] Header, List<string?[]> Rows)> ReadParquetAsync(string file)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{file.Replace("'", "''", StringComparison.Ordinal)}')";
        await using var reader = await command.ExecuteReaderAsync();
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Text(reader.GetValue(i)))]);
        }

        return (header, rows);

        static string Text(object value) => value switch
        {
            DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
            double d when double.IsFinite(d) && Math.Abs(d) < 7.9e28 => ((decimal)d).ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
    }

    [GeneratedRegex(@"^-?\d+\.0+$")]
    private static partial Regex WholeNumber();
}
