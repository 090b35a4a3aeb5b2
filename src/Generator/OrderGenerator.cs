using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SalesPipeline.Generator;

/// <summary>File format of a generated data set.</summary>
public enum GeneratorFormat
{
    /// <summary>JSON Lines order events (docs/order-events.md).</summary>
    Jsonl,

    /// <summary>CSV order-line exports (docs/sources.md).</summary>
    Csv,

    /// <summary>Parquet order-line exports (docs/sources.md).</summary>
    Parquet,
}

/// <summary>Settings of a generated data set.</summary>
public sealed record GeneratorOptions(
    int Orders, string OutputDirectory, double DirtyRate = 0.05, int Seed = 42, int Files = 0, GeneratorFormat Format = GeneratorFormat.Jsonl);

/// <summary>
/// What was generated. For order-line exports, <see cref="Events"/> counts valid line rows,
/// <see cref="BadLines"/> the rows the pipeline rejects, and <see cref="Lines"/> every row.
/// </summary>
public sealed record GeneratorSummary(int Orders, int Events, int Duplicates, int BadLines, int Lines, IReadOnlyList<string> Files)
{
    /// <summary>Rows (or orders, for the *_orders keys) of each dirty kind; set for order-line exports.</summary>
    public IReadOnlyDictionary<string, int>? Kinds { get; init; }
}

/// <summary>
/// Writes a deterministic data set of order events (same options, same bytes): several versions per
/// order, cancellations and refunds, unknown extra fields, missing customers, and at the dirty rate
/// duplicates, out-of-order versions and bad lines of every kind the contract rejects.
/// </summary>
public sealed class OrderGenerator(GeneratorOptions options)
{
    internal static readonly (string Region, (string Country, string Currency)[] Countries)[] Regions =
    [
        ("EMEA", [("DE", "EUR"), ("FR", "EUR"), ("GB", "GBP"), ("ES", "EUR"), ("SE", "SEK"), ("CH", "CHF")]),
        ("NA", [("US", "USD"), ("CA", "CAD")]),
        ("APAC", [("JP", "JPY"), ("AU", "AUD"), ("SG", "USD")]),
        ("LATAM", [("BR", "USD"), ("MX", "USD")]),
    ];

    private static readonly string[] Channels = ["web", "app", "store", "marketplace"];
    internal static readonly string[] Nouns = ["Mug", "Lamp", "Chair", "Desk", "Kettle", "Backpack", "Notebook", "Headphones", "Blender", "Pillow", "Jacket", "Sneakers"];
    internal static readonly string[] Adjectives = ["Classic", "Compact", "Deluxe", "Eco", "Pro", "Travel", "Vintage", "Smart", "Mini", "Ultra"];

    private readonly Random random = new(options.Seed);

    public GeneratorSummary Write()
    {
        if (options.Format != GeneratorFormat.Jsonl)
        {
            return new LineExportGenerator(options).Write();
        }

        var products = Enumerable.Range(1, 120).Select(i => (
            Id: $"p-{i:D3}",
            Name: $"{Adjectives[i % Adjectives.Length]} {Nouns[i % Nouns.Length]} {i}",
            Price: Math.Round((decimal)(random.Next(199, 25000) / 100.0), 2))).ToArray();
        var customers = Math.Max(1, options.Orders / 4);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var events = new List<(DateTimeOffset At, byte[] Line)>();
        var valid = new List<JsonObject>();
        for (var i = 1; i <= options.Orders; i++)
        {
            var orderTime = start.AddSeconds(random.Next(0, 90 * 24 * 3600));
            var (region, countries) = Regions[random.Next(Regions.Length)];
            var (country, currency) = countries[random.Next(countries.Length)];
            string? customer = random.NextDouble() < options.DirtyRate * 0.2 ? null : $"c-{random.Next(1, customers + 1):D6}";
            var channel = Channels[random.Next(Channels.Length)];
            var items = NewItems(products);
            var versions = random.NextDouble() switch { < 0.6 => 1, < 0.85 => 2, _ => 3 };
            var endsCancelled = random.NextDouble() < 0.08;
            for (var seq = 1; seq <= versions; seq++)
            {
                if (seq > 1 && random.NextDouble() < 0.3)
                {
                    items = ChangeItems(items, products);
                }

                var status = seq == versions && endsCancelled
                    ? (seq >= 3 ? "refunded" : "cancelled")
                    : seq switch { 1 => "placed", 2 => "paid", _ => random.NextDouble() < 0.5 ? "shipped" : "delivered" };
                var eventTime = orderTime.AddMinutes(seq * 7 + random.Next(0, 5));
                var json = new JsonObject
                {
                    ["event_id"] = $"e-{i:D7}-{seq}",
                    ["order_id"] = $"o-{i:D7}",
                    ["sequence"] = seq,
                    ["event_time"] = Timestamp(eventTime),
                    ["order_time"] = Timestamp(orderTime),
                    ["status"] = status,
                    ["region"] = region,
                    ["country"] = country,
                    ["currency"] = currency,
                    ["channel"] = channel,
                    ["items"] = new JsonArray([.. items.Select(it => (JsonNode)it.DeepClone())]),
                };
                if (customer is not null)
                {
                    json["customer_id"] = customer;
                }

                if (random.NextDouble() < 0.1)
                {
                    json["coupon"] = random.NextDouble() < 0.5 ? "SPRING26" : "WELCOME";
                }

                valid.Add(json);
                events.Add((eventTime, Encoding.UTF8.GetBytes(json.ToJsonString())));
            }
        }

        var duplicates = 0;
        foreach (var index in Enumerable.Range(0, events.Count).Where(_ => random.NextDouble() < options.DirtyRate * 0.5).ToArray())
        {
            // Delivered again later: same event_id, same bytes.
            events.Add((events[index].At.AddMinutes(random.Next(1, 600)), events[index].Line));
            duplicates++;
        }

        var bad = (int)Math.Round(valid.Count * options.DirtyRate);
        for (var b = 0; b < bad; b++)
        {
            var source = valid[random.Next(valid.Count)];
            events.Add((DateTimeOffset.Parse((string)source["event_time"]!, CultureInfo.InvariantCulture), BadLine(source, b)));
        }

        // Mostly in event-time order, with local disorder: later versions sometimes arrive first.
        var ordered = events.OrderBy(e => e.At).Select(e => e.Line).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            if (random.NextDouble() < 0.2)
            {
                var j = Math.Min(ordered.Length - 1, i + random.Next(1, 40));
                (ordered[i], ordered[j]) = (ordered[j], ordered[i]);
            }
        }

        var fileCount = options.Files > 0 ? options.Files : Math.Max(3, (int)Math.Ceiling(ordered.Length / 20000.0));
        Directory.CreateDirectory(options.OutputDirectory);
        var files = new List<string>();
        var perFile = (int)Math.Ceiling(ordered.Length / (double)fileCount);
        for (var f = 0; f < fileCount; f++)
        {
            var name = $"orders-{options.Seed}-{f + 1:D4}.jsonl";
            var target = Path.Combine(options.OutputDirectory, name);
            var temp = Path.Combine(options.OutputDirectory, $".{name}.tmp");
            using (var stream = File.Create(temp))
            {
                foreach (var line in ordered.Skip(f * perFile).Take(perFile))
                {
                    stream.Write(line);
                    stream.WriteByte((byte)'\n');
                }
            }

            File.Move(temp, target, overwrite: true);
            files.Add(target);
        }

        return new GeneratorSummary(options.Orders, valid.Count, duplicates, bad, ordered.Length, files);
    }

    private JsonObject[] NewItems((string Id, string Name, decimal Price)[] products)
    {
        var count = random.Next(1, 5);
        return [.. Enumerable.Range(0, count).Select(_ => Item(products[random.Next(products.Length)]))];
    }

    private JsonObject[] ChangeItems(JsonObject[] items, (string Id, string Name, decimal Price)[] products)
    {
        var changed = items.Select(i => (JsonObject)i.DeepClone()).ToList();
        if (random.NextDouble() < 0.5 || changed.Count == 1)
        {
            changed.Add(Item(products[random.Next(products.Length)]));
        }
        else
        {
            var target = changed[random.Next(changed.Count)];
            target["quantity"] = random.Next(1, 6);
        }

        return [.. changed];
    }

    private JsonObject Item((string Id, string Name, decimal Price) product)
    {
        var quantity = random.Next(1, 6);
        var item = new JsonObject
        {
            ["product_id"] = product.Id,
            ["quantity"] = quantity,
            ["unit_price"] = product.Price,
        };
        if (random.NextDouble() < 0.9)
        {
            item["product_name"] = product.Name;
        }

        if (random.NextDouble() < 0.2)
        {
            item["discount"] = Math.Round(product.Price * quantity * 0.1m, 2);
        }

        return item;
    }

    private byte[] BadLine(JsonObject source, int index)
    {
        var copy = (JsonObject)source.DeepClone();
        copy["event_id"] = $"{source["event_id"]}-bad{index}";
        var items = (JsonArray)copy["items"]!;
        switch (index % 11)
        {
            case 0: // truncated JSON
                var text = copy.ToJsonString();
                return Encoding.UTF8.GetBytes(text[..(text.Length / 2)]);
            case 1:
                items[0]!["quantity"] = "2";
                break;
            case 2:
                copy["currency"] = "XYZ";
                break;
            case 3:
                items[0]!["quantity"] = 0;
                break;
            case 4:
                items[0]!["unit_price"] = -5.25m;
                break;
            case 5:
                copy["status"] = "lost_in_transit";
                break;
            case 6:
                copy.Remove("order_id");
                break;
            case 7: // binary garbage
                var garbage = new byte[random.Next(8, 64)];
                random.NextBytes(garbage);
                for (var g = 0; g < garbage.Length; g++)
                {
                    if (garbage[g] is (byte)'\n' or (byte)'\r')
                    {
                        garbage[g] = 0x7F;
                    }
                }

                garbage[0] = 0xFF;
                return garbage;
            case 8:
                copy.Remove("sequence");
                break;
            case 9:
                items[0]!["discount"] = -1.00m;
                break;
            default:
                copy["sequence"] = "three";
                break;
        }

        return Encoding.UTF8.GetBytes(copy.ToJsonString());
    }

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
