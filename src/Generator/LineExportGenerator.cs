namespace SalesPipeline.Generator;

/// <summary>
/// Writes a deterministic data set of order-line exports (CSV or Parquet, same seed, same bytes) with the
/// column names of a typical shop export (<see cref="Mapping"/>). Lines of one order may sit in two files.
/// Dirty data at the dirty rate: cancelled orders, return orders (negative quantities), orders without
/// customer, free lines (price 0), customer ids written as "17850.0", exact duplicate rows, extra lines
/// with a negative price, bad-debt adjustments (StockCode "B", negative price), rows with unparseable
/// numbers or dates, a wrong column count or no order id, and an unexpected column in every third file.
/// </summary>
public sealed partial class LineExportGenerator(GeneratorOptions options)
{
    /// <summary>Format of the CSV InvoiceDate column.</summary>
    public const string TimestampFormat = "dd/MM/yyyy HH:mm";

    /// <summary>The unexpected column of every third file (schema drift).</summary>
    public const string DriftColumn = "PromoCode";

    /// <summary>Columns of the files, in order (drift files add <see cref="DriftColumn"/> after Description).</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["InvoiceNo", "LineId", "StockCode", "Description", "Quantity", "UnitPrice", "Discount", "InvoiceDate", "CustomerID", "Country", "Region", "Currency", "Status"];

    /// <summary>Pipeline field → column: the <c>Columns</c> of the source's configuration.</summary>
    public static IReadOnlyDictionary<string, string> Mapping { get; } = new Dictionary<string, string>
    {
        ["order_id"] = "InvoiceNo",
        ["line_id"] = "LineId",
        ["product_id"] = "StockCode",
        ["product_name"] = "Description",
        ["quantity"] = "Quantity",
        ["unit_price"] = "UnitPrice",
        ["discount"] = "Discount",
        ["order_time"] = "InvoiceDate",
        ["customer_id"] = "CustomerID",
        ["country"] = "Country",
        ["region"] = "Region",
        ["currency"] = "Currency",
        ["status"] = "Status",
    };

    private readonly Random random = new(options.Seed);

    /// <summary>How a row is broken; the kinds up to <see cref="MissingOrderId"/> make the reader reject the row.</summary>
    private enum Damage
    {
        None,
        BadQuantity,
        BadPrice,
        BadDate,
        WrongColumnCount,
        MissingOrderId,
    }

    private sealed record Row
    {
        public string? InvoiceNo { get; init; }
        public int LineId { get; init; }
        public required string StockCode { get; init; }
        public string? Description { get; init; }
        public int Quantity { get; init; }
        public decimal UnitPrice { get; init; }
        public decimal? Discount { get; init; }
        public DateTime InvoiceDate { get; init; }
        public int? Customer { get; init; }
        public bool CustomerAsFloat { get; init; }
        public required string Country { get; init; }
        public required string Region { get; init; }
        public required string Currency { get; init; }
        public required string Status { get; init; }
        public string? Promo { get; init; }
        public Damage Damage { get; init; }
        public int Variant { get; init; }
    }

    public GeneratorSummary Write()
    {
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var (valid, orders) = ValidRows(kinds);
        var extra = ExtraRows(valid, kinds);

        // Time order, the lines of an order together; extra rows sit after the row they were made from.
        var placed = new List<(double Key, Row Row)>(valid.Count + extra.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            placed.Add((i, valid[i]));
        }

        foreach (var (after, row) in extra)
        {
            placed.Add((after + 0.5 + (random.NextDouble() * 0.4), row));
        }

        var ordered = placed.OrderBy(p => p.Key).Select(p => p.Row).ToList();
        var fileCount = options.Files > 0 ? options.Files : Math.Max(3, (int)Math.Ceiling(ordered.Count / 20000.0));
        var perFile = (int)Math.Ceiling(ordered.Count / (double)fileCount);
        var files = Enumerable.Range(0, fileCount).Select(_ => new List<Row>()).ToArray();
        for (var i = 0; i < ordered.Count; i++)
        {
            // Now and then a line arrives with the next file: an order spread over two files.
            var f = Math.Min(fileCount - 1, (i / Math.Max(1, perFile)) + (random.NextDouble() < 0.02 ? 1 : 0));
            files[f].Add(ordered[i]);
        }

        // Exact duplicates: a valid row written again later in the same file (same text, same values).
        var duplicates = 0;
        foreach (var file in files)
        {
            for (var i = file.Count - 1; i >= 0; i--)
            {
                if (file[i].Damage == Damage.None && file[i].UnitPrice >= 0 && random.NextDouble() < options.DirtyRate * 0.5)
                {
                    file.Insert(random.Next(i + 1, file.Count + 1), file[i]);
                    duplicates++;
                }
            }
        }

        kinds["duplicates"] = duplicates;
        kinds["drift_files"] = Enumerable.Range(0, fileCount).Count(HasDrift);
        Directory.CreateDirectory(options.OutputDirectory);
        var paths = options.Format == GeneratorFormat.Csv ? WriteCsv(files) : WriteParquet(files);
        WriteMapping();
        var rejected = kinds.Where(k => k.Key is "bad_quantity" or "bad_price" or "bad_date" or "wrong_column_count" or "missing_product" or "missing_order_id").Sum(k => k.Value);
        kinds["rejected_by_reader"] = rejected;
        return new GeneratorSummary(orders, valid.Count, duplicates, rejected + kinds["negative_price"] + kinds["bad_debt"], files.Sum(f => f.Count), paths)
        {
            Kinds = kinds,
        };
    }

    private static bool HasDrift(int file) => file % 3 == 2;

    private (List<Row> Rows, int Orders) ValidRows(SortedDictionary<string, int> kinds)
    {
        var products = Enumerable.Range(1, 120).Select(i => (
            Code: $"{84000 + (i * 13)}{(i % 7 == 0 ? "A" : "")}",
            Name: ProductName(i),
            Price: Math.Round((decimal)(random.Next(19, 2500) / 100.0), 2))).ToArray();
        var customers = Math.Max(1, options.Orders / 4);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var rate = options.DirtyRate;
        var orders = new List<(DateTime At, List<Row> Lines)>(options.Orders);
        int cancelled = 0, returns = 0, noCustomer = 0, free = 0, asFloat = 0;
        for (var i = 1; i <= options.Orders; i++)
        {
            var at = start.AddMinutes(random.Next(0, 90 * 24 * 60));
            var (region, countries) = OrderGenerator.Regions[random.Next(OrderGenerator.Regions.Length)];
            var (country, currency) = countries[random.Next(countries.Length)];
            int? customer = random.NextDouble() < rate * 0.5 ? null : 12346 + random.Next(customers);
            var floatId = customer is not null && random.NextDouble() < 0.3;
            var isCancelled = random.NextDouble() < rate;
            var status = isCancelled ? "cancelled" : random.NextDouble() switch { < 0.3 => "placed", < 0.6 => "paid", < 0.8 => "shipped", _ => "delivered" };
            var lines = new List<Row>();
            var count = random.Next(1, 5);
            for (var l = 1; l <= count; l++)
            {
                var p = products[random.Next(products.Length)];
                var quantity = random.Next(1, 13);
                var isFree = random.NextDouble() < rate * 0.2;
                var price = isFree ? 0m : p.Price;
                lines.Add(new Row
                {
                    InvoiceNo = $"{536000 + i}", LineId = l, StockCode = p.Code, Description = random.NextDouble() < 0.95 ? p.Name : null,
                    Quantity = quantity, UnitPrice = price, Discount = random.NextDouble() < 0.2 ? Math.Round(price * quantity * 0.1m, 2) : null,
                    InvoiceDate = at, Customer = customer, CustomerAsFloat = floatId, Country = country, Region = region, Currency = currency,
                    Status = isCancelled ? "Cancelled" : status, Promo = random.NextDouble() < 0.1 ? (random.NextDouble() < 0.5 ? "SPRING26" : "WELCOME") : null,
                });
                free += isFree ? 1 : 0;
            }

            cancelled += isCancelled ? 1 : 0;
            noCustomer += customer is null ? 1 : 0;
            asFloat += floatId ? 1 : 0;
            orders.Add((at, lines));
            if (!isCancelled && random.NextDouble() < rate)
            {
                // A return: its own order ("C" + the invoice), later, some lines back with negative quantities.
                var back = lines.Where(_ => random.NextDouble() < 0.6).DefaultIfEmpty(lines[0]).Select((line, n) => line with
                {
                    InvoiceNo = $"C{line.InvoiceNo}", LineId = n + 1, Quantity = -random.Next(1, line.Quantity + 1), Discount = null,
                    InvoiceDate = at.AddDays(random.Next(1, 20)), Status = "delivered",
                }).ToList();
                orders.Add((back[0].InvoiceDate, back));
                returns++;
            }
        }

        kinds["cancelled_orders"] = cancelled;
        kinds["return_orders"] = returns;
        kinds["missing_customer_orders"] = noCustomer;
        kinds["customer_id_as_float_orders"] = asFloat;
        kinds["zero_price_lines"] = free;
        return ([.. orders.OrderBy(o => o.At).SelectMany(o => o.Lines)], orders.Count);
    }

    /// <summary>Rows the pipeline rejects, each placed after a valid row (by index).</summary>
    private List<(int After, Row Row)> ExtraRows(List<Row> valid, SortedDictionary<string, int> kinds)
    {
        // A Parquet column has one type and every row all columns: a missing product stands for a wrong column count.
        string[] names = ["bad_quantity", "bad_price", "bad_date", options.Format == GeneratorFormat.Csv ? "wrong_column_count" : "missing_product", "missing_order_id", "negative_price", "bad_debt"];
        foreach (var name in names)
        {
            kinds[name] = 0;
        }

        var extra = new List<(int, Row)>();
        var bad = valid.Count == 0 ? 0 : (int)Math.Round(valid.Count * options.DirtyRate);
        for (var b = 0; b < bad; b++)
        {
            var index = random.Next(valid.Count);
            var source = valid[index] with { LineId = 1000 + b, Variant = random.Next(3) };
            var kind = b % names.Length;
            kinds[names[kind]]++;
            extra.Add((index, kind switch
            {
                0 => source with { Damage = Damage.BadQuantity },
                1 => source with { Damage = Damage.BadPrice },
                2 => source with { Damage = Damage.BadDate },
                3 => source with { Damage = Damage.WrongColumnCount },
                4 => source with { Damage = Damage.MissingOrderId, InvoiceNo = null },
                5 => source with { UnitPrice = -Math.Max(0.01m, source.UnitPrice) },
                _ => source with
                {
                    InvoiceNo = $"A{563000 + b}", LineId = 1, StockCode = "B", Description = "Adjust bad debt", Quantity = 1,
                    UnitPrice = -Math.Round((decimal)(random.Next(1000, 2000000) / 100.0), 2), Discount = null, Customer = null,
                    Status = "paid", Promo = null,
                },
            }));
        }

        return extra;
    }

    private static string ProductName(int i)
    {
        var name = $"{OrderGenerator.Adjectives[i % OrderGenerator.Adjectives.Length]} {OrderGenerator.Nouns[i % OrderGenerator.Nouns.Length]} {i}";

        // Text that needs quoting in CSV: a comma, a quote, a line break.
        return (i % 17, i % 23, i % 41) switch
        {
            (0, _, _) => name + ", set of 3",
            (_, 0, _) => "12\" " + name,
            (_, _, 0) => name + "\ngift box",
            _ => name,
        };
    }
}
