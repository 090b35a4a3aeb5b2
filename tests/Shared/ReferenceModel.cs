using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SalesPipeline.Tests.Shared;

/// <summary>
/// An independent recomputation of everything the pipeline must produce from a set of JSON Lines files,
/// written from the contract in docs/order-events.md with plain LINQ. It shares no code with the pipeline:
/// when the two disagree, one of them has the contract wrong.
/// </summary>
public sealed class ReferenceModel
{
    private static readonly HashSet<string> Statuses = ["placed", "paid", "shipped", "delivered", "cancelled", "refunded"];

    public static readonly IReadOnlyDictionary<string, decimal> DefaultRates = new Dictionary<string, decimal>
    {
        ["USD"] = 1m, ["EUR"] = 1.08m, ["GBP"] = 1.27m, ["JPY"] = 0.0067m, ["CAD"] = 0.74m, ["AUD"] = 0.66m, ["CHF"] = 1.12m, ["SEK"] = 0.095m,
    };

    public long Lines { get; private set; }
    public long BlankLines { get; private set; }
    public long Bad { get; private set; }
    public long BadWithoutOrder { get; private set; }
    public long Duplicates { get; private set; }
    public long Stale { get; private set; }
    public long Applied { get; private set; }
    public long MissingCustomer { get; private set; }

    /// <summary>Events removed by a drop rule; events removed by a quarantine rule count in <see cref="Bad"/>.</summary>
    public long Dropped { get; private set; }

    /// <summary>Per rule: items evaluated and failed (rules run on every item of a valid event).</summary>
    public Dictionary<string, (long Evaluated, long Failed)> RuleCounts { get; } = [];

    private IReadOnlyList<Rule> rules = [];

    /// <summary>A declared expectation as the test writes it in C#: true when the item (with its event's fields) passes.</summary>
    public sealed record Rule(string Name, string Action, Func<Event, Item, bool> Passes);
    public Dictionary<string, Event> Current { get; } = [];

    /// <summary>Product name per product: the non-empty name of the applied event with the latest time.</summary>
    public Dictionary<string, (string Name, DateTimeOffset At)> ProductNames { get; } = [];

    /// <summary>Reads files in the order the pipeline reads them: file name order, then line order.</summary>
    public static ReferenceModel FromFolder(string folder, int maxLineBytes = 1024 * 1024, IReadOnlyDictionary<string, decimal>? rates = null, IReadOnlyList<Rule>? rules = null)
    {
        var model = new ReferenceModel { rules = rules ?? [] };
        foreach (var rule in model.rules)
        {
            model.RuleCounts[rule.Name] = (0, 0);
        }

        var seen = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.GetFiles(folder, "*.jsonl").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var text = bytes.AsSpan();
            if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                text = text[3..];
            }

            var lines = Encoding.UTF8.GetString(text).Split('\n');
            var count = lines.Length;
            if (count > 0 && lines[^1].Length == 0)
            {
                count--; // the file's final line break ends the last line
            }

            for (var i = 0; i < count; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (line.Trim(' ', '\t').Length == 0)
                {
                    model.BlankLines++;
                    continue;
                }

                model.Lines++;
                model.Take(line, seen, maxLineBytes, rates ?? DefaultRates);
            }
        }

        return model;
    }

    private void Take(string line, Dictionary<string, HashSet<string>> seen, int maxLineBytes, IReadOnlyDictionary<string, decimal> rates)
    {
        var (evt, orderId) = Encoding.UTF8.GetByteCount(line) > maxLineBytes ? (null, null) : TryParse(line, rates);
        if (evt is null)
        {
            Bad++;
            if (orderId is null)
            {
                BadWithoutOrder++;
            }

            return;
        }

        if (evt.CustomerId is null)
        {
            MissingCustomer++;
        }

        // The worst verdict over the items removes the whole event (quarantine over drop over warn).
        var worst = 0;
        foreach (var item in evt.Items)
        {
            foreach (var rule in rules)
            {
                var passes = rule.Passes(evt, item);
                var (evaluated, failed) = RuleCounts[rule.Name];
                RuleCounts[rule.Name] = (evaluated + 1, failed + (passes ? 0 : 1));
                if (!passes)
                {
                    worst = Math.Max(worst, rule.Action switch { "warn" => 1, "drop" => 2, _ => 3 });
                }
            }
        }

        if (worst == 2)
        {
            Dropped++;
            return;
        }

        if (worst == 3)
        {
            Bad++;
            return;
        }

        if (!seen.TryGetValue(evt.OrderId, out var ids))
        {
            seen[evt.OrderId] = ids = [];
        }

        if (!ids.Add(evt.EventId))
        {
            Duplicates++;
            return;
        }

        if (Current.TryGetValue(evt.OrderId, out var current) && !Newer(evt, current))
        {
            Stale++;
            return;
        }

        Applied++;
        Current[evt.OrderId] = evt;
        foreach (var item in evt.Items.Where(i => i.Name is not null))
        {
            var at = evt.EventTime ?? evt.OrderTime;
            if (!ProductNames.TryGetValue(item.ProductId, out var known) || at >= known.At)
            {
                ProductNames[item.ProductId] = (item.Name!, at);
            }
        }
    }

    private static bool Newer(Event a, Event b) =>
        a.Sequence != b.Sequence ? a.Sequence > b.Sequence
        : (a.EventTime ?? DateTimeOffset.MinValue) != (b.EventTime ?? DateTimeOffset.MinValue) ? (a.EventTime ?? DateTimeOffset.MinValue) > (b.EventTime ?? DateTimeOffset.MinValue)
        : string.CompareOrdinal(a.EventId, b.EventId) > 0;

    private static (Event?, string?) TryParse(string line, IReadOnlyDictionary<string, decimal> rates)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return (null, null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var orderId = Str(root, "order_id", out var orderIdOk);
        if (!orderIdOk || orderId is null)
        {
            return (null, null);
        }

        var eventId = Str(root, "event_id", out var ok1);
        var statusText = Str(root, "status", out var ok2);
        var customer = Str(root, "customer_id", out var ok3);
        var region = Str(root, "region", out var ok4);
        var currency = Str(root, "currency", out var ok5) ?? "USD";
        Str(root, "country", out var ok6);
        Str(root, "channel", out var ok7);
        var orderTime = Time(root, "order_time", out var ok8);
        var eventTime = Time(root, "event_time", out var ok9);
        if (!(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8 && ok9) || eventId is null || orderTime is null ||
            statusText is null || !Statuses.Contains(statusText) || !rates.TryGetValue(currency, out var rate))
        {
            return (null, orderId);
        }

        if (orderTime < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) || orderTime >= new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
            return (null, orderId);
        }

        if (!root.TryGetProperty("sequence", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var sequence) || sequence < 0)
        {
            return (null, orderId);
        }

        if (!root.TryGetProperty("items", out var itemsElement) || itemsElement.ValueKind != JsonValueKind.Array)
        {
            return (null, orderId);
        }

        var items = new List<Item>();
        foreach (var item in itemsElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return (null, orderId);
            }

            var productId = Str(item, "product_id", out var p1);
            var name = Str(item, "product_name", out var p2);
            if (!p1 || !p2 || productId is null)
            {
                return (null, orderId);
            }

            if (!item.TryGetProperty("quantity", out var q) || q.ValueKind != JsonValueKind.Number || !q.TryGetInt64(out var quantity) || quantity == 0 || Math.Abs(quantity) > 1_000_000)
            {
                return (null, orderId);
            }

            var price = Money(item, "unit_price", out var m1);
            var discount = Money(item, "discount", out var m2) ?? 0m;
            if (!m1 || !m2 || price is null)
            {
                return (null, orderId);
            }

            items.Add(new Item(productId, name, (int)quantity, Math.Round(((quantity * price.Value) - discount) * rate, 2, MidpointRounding.AwayFromZero), price.Value));
        }

        return (new Event(eventId, orderId, sequence, eventTime, orderTime.Value, statusText, customer, region ?? "UNKNOWN", items), orderId);
    }

    private static string? Str(JsonElement obj, string name, out bool ok)
    {
        ok = true;
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            ok = false;
            return null;
        }

        var s = v.GetString()!.Trim();
        return s.Length == 0 ? null : s;
    }

    private static DateTimeOffset? Time(JsonElement obj, string name, out bool ok)
    {
        var s = Str(obj, name, out ok);
        if (!ok || s is null)
        {
            return null;
        }

        var withOffset = s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-') && s[^3] == ':');
        ok = withOffset && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t);
        return ok ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture).ToUniversalTime() : null;
    }

    private static decimal? Money(JsonElement obj, string name, out bool ok)
    {
        ok = true;
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        ok = v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) && d >= 0 && d <= 1_000_000_000m;
        return ok ? v.GetDecimal() : null;
    }

    private IEnumerable<Event> Contributing => Current.Values.Where(e => e.Status is not ("cancelled" or "refunded") && e.Items.Count > 0);

    /// <summary>sales_by_region per (region, order date).</summary>
    public Dictionary<(string Region, DateOnly Date), (long Orders, long Units, decimal Sales)> RegionDays() =>
        Contributing
            .GroupBy(e => (e.Region, DateOnly.FromDateTime(e.OrderTime.UtcDateTime)))
            .ToDictionary(g => g.Key, g => ((long)g.Count(), g.Sum(e => e.Items.Sum(i => (long)i.Quantity)), g.Sum(e => e.Items.Sum(i => i.Amount))));

    /// <summary>product_performance per product.</summary>
    public Dictionary<string, (string? Name, long Orders, long Units, decimal Sales)> Products() =>
        Contributing
            .SelectMany(e => e.Items.Select(i => (e.OrderId, i)))
            .GroupBy(x => x.i.ProductId)
            .ToDictionary(
                g => g.Key,
                g => (ProductNames.TryGetValue(g.Key, out var n) ? n.Name : null,
                      (long)g.Select(x => x.OrderId).Distinct().Count(),
                      g.Sum(x => (long)x.i.Quantity),
                      g.Sum(x => x.i.Amount)));

    /// <summary>customer_metrics per customer.</summary>
    public Dictionary<string, (string Region, long Orders, decimal Sales, DateTimeOffset First, DateTimeOffset Last)> Customers() =>
        Contributing
            .Where(e => e.CustomerId is not null)
            .GroupBy(e => e.CustomerId!)
            .ToDictionary(
                g => g.Key,
                g =>
                {
                    var latest = g.OrderByDescending(e => e.OrderTime).ThenByDescending(e => e.OrderId, StringComparer.Ordinal).First();
                    return (latest.Region, (long)g.Count(), g.Sum(e => e.Items.Sum(i => i.Amount)), g.Min(e => e.OrderTime), g.Max(e => e.OrderTime));
                });

    public sealed record Item(string ProductId, string? Name, int Quantity, decimal Amount, decimal UnitPrice = 0);

    public sealed record Event(string EventId, string OrderId, long Sequence, DateTimeOffset? EventTime, DateTimeOffset OrderTime, string Status, string? CustomerId, string Region, List<Item> Items);
}
