using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CommunityToolkit.HighPerformance.Buffers;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Parsing;

/// <summary>
/// Parses and validates one JSON Lines order event against the contract in docs/order-events.md.
/// Pure and thread-safe: it runs on the ingestion threads, never inside a grain turn.
/// </summary>
internal sealed class OrderEventParser(ParseOptions options)
{
    private static readonly HashSet<string> KnownFields =
    [
        "event_id", "order_id", "sequence", "event_time", "order_time", "status", "customer_id",
        "region", "country", "currency", "channel", "items",
    ];

    private static readonly HashSet<string> KnownItemFields =
        ["product_id", "product_name", "quantity", "unit_price", "discount"];

    /// <summary>UTF-8 names of the known fields, to recognize a property without allocating its name.</summary>
    private static readonly byte[][] KnownFieldsUtf8 = [.. KnownFields.Select(System.Text.Encoding.UTF8.GetBytes)];
    private static readonly byte[][] KnownItemFieldsUtf8 = [.. KnownItemFields.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>
    /// One instance per distinct region, country, currency, channel, customer and product: the orders kept
    /// in memory share them instead of holding a copy each (fewer objects for the garbage collector).
    /// </summary>
    private readonly StringPool strings = new();

    public ParseOptions Options => options;

    public ParseResult Parse(ReadOnlyMemory<byte> line)
    {
        if (line.Length > options.MaxLineBytes)
        {
            return Reject(null, $"line too long ({line.Length} bytes, limit {options.MaxLineBytes})");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return Reject(null, $"malformed JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return ParseRoot(document.RootElement);
            }
            catch (RejectException ex)
            {
                return Reject(ex.OrderId, ex.Message);
            }
        }
    }

    private ParseResult ParseRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Reject(null, $"not a JSON object (found {root.ValueKind})");
        }

        // order_id first: once known, every later rejection still reaches the order's Bronze log.
        var orderId = RequiredString(root, "order_id", null);
        var eventId = RequiredString(root, "event_id", orderId);
        var sequence = RequiredLong(root, "sequence", orderId);
        if (sequence < 0)
        {
            throw new RejectException(orderId, $"sequence must not be negative (found {sequence})");
        }

        var orderTime = RequiredTimestamp(root, "order_time", orderId);
        if (orderTime < ParseOptions.MinTime || orderTime >= ParseOptions.MaxTime)
        {
            throw new RejectException(orderId, $"order_time out of range ({orderTime:O})");
        }

        var eventTime = OptionalTimestamp(root, "event_time", orderId);
        var statusText = OptionalString(root, "status", orderId)
            ?? throw new RejectException(orderId, "missing status");
        var status = ParseStatus(statusText)
            ?? throw new RejectException(orderId, $"unknown status '{statusText}'");

        var currency = strings.Share(OptionalString(root, "currency", orderId)) ?? options.BaseCurrency;
        if (!options.RatesToBase.TryGetValue(currency, out var rate))
        {
            throw new RejectException(orderId, $"unknown currency '{currency}'");
        }

        string? warning = null;
        var customerId = strings.Share(OptionalString(root, "customer_id", orderId));
        if (customerId is null)
        {
            warning = "missing customer_id: excluded from customer metrics";
        }

        var region = strings.Share(OptionalString(root, "region", orderId));
        if (region is null)
        {
            region = UnknownRegion;
            warning = warning is null ? "missing region: counted as UNKNOWN" : warning + "; missing region: counted as UNKNOWN";
        }

        var lines = ParseItems(root, orderId, rate);

        var evt = new OrderEvent
        {
            EventId = eventId,
            OrderId = orderId,
            Sequence = sequence,
            EventTime = eventTime,
            OrderTime = orderTime,
            Status = status,
            CustomerId = customerId,
            Region = region,
            Country = strings.Share(OptionalString(root, "country", orderId)),
            Currency = currency,
            Channel = strings.Share(OptionalString(root, "channel", orderId)),
            Lines = lines,
            Rescued = Rescue(root, KnownFields, KnownFieldsUtf8),
        };
        return new ParseResult(orderId, evt, null, warning);
    }

    /// <summary>Region used when an event names none; such events are counted as warnings.</summary>
    public const string UnknownRegion = "UNKNOWN";

    private OrderLine[] ParseItems(JsonElement root, string orderId, decimal rate)
    {
        if (!root.TryGetProperty("items", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            throw new RejectException(orderId, "missing items");
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new RejectException(orderId, $"items must be an array (found {items.ValueKind})");
        }

        var lines = new OrderLine[items.GetArrayLength()];
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var where = $"items[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new RejectException(orderId, $"{where} must be an object (found {item.ValueKind})");
            }

            var productId = RequiredString(item, "product_id", orderId, where);
            var quantity = RequiredLong(item, "quantity", orderId, where);
            if (quantity == 0)
            {
                throw new RejectException(orderId, $"{where}.quantity must not be 0");
            }

            if (Math.Abs(quantity) > ParseOptions.MaxQuantity)
            {
                throw new RejectException(orderId, $"{where}.quantity out of range ({quantity})");
            }

            var unitPrice = RequiredMoney(item, "unit_price", orderId, where);
            var discount = OptionalMoney(item, "discount", orderId, where) ?? 0m;
            lines[i++] = new OrderLine
            {
                ProductId = strings.GetOrAdd(productId),
                ProductName = strings.Share(OptionalString(item, "product_name", orderId, where)),
                Quantity = (int)quantity,
                UnitPrice = unitPrice,
                Discount = discount,
                Amount = LineAmount(quantity, unitPrice, discount, rate),
                Rescued = Rescue(item, KnownItemFields, KnownItemFieldsUtf8),
            };
        }

        return lines;
    }

    /// <summary>(quantity × unit_price − discount) × rate, rounded half away from zero to cents: one rule for every source.</summary>
    internal static decimal LineAmount(long quantity, decimal unitPrice, decimal discount, decimal rate) =>
        Math.Round(((quantity * unitPrice) - discount) * rate, ParseOptions.AmountDecimals, MidpointRounding.AwayFromZero);

    internal static OrderStatus? ParseStatus(string text) => text switch
    {
        "placed" => OrderStatus.Placed,
        "paid" => OrderStatus.Paid,
        "shipped" => OrderStatus.Shipped,
        "delivered" => OrderStatus.Delivered,
        "cancelled" => OrderStatus.Cancelled,
        "refunded" => OrderStatus.Refunded,
        _ => null,
    };

    private static Dictionary<string, string>? Rescue(JsonElement obj, HashSet<string> known, byte[][] knownUtf8)
    {
        Dictionary<string, string>? rescued = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (!IsKnown(property, known, knownUtf8))
            {
                rescued ??= new Dictionary<string, string>(StringComparer.Ordinal);
                rescued[property.Name] = property.Value.GetRawText();
            }
        }

        return rescued;
    }

    /// <summary>Compares the property's name as written (UTF-8) with the known names; escaped names are decoded first.</summary>
    private static bool IsKnown(JsonProperty property, HashSet<string> known, byte[][] knownUtf8)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Contains((byte)'\\'))
        {
            return known.Contains(property.Name);
        }

        foreach (var name in knownUtf8)
        {
            if (raw.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    private static string RequiredString(JsonElement obj, string name, string? orderId, string? where = null) =>
        OptionalString(obj, name, orderId, where) ?? throw new RejectException(orderId, $"missing {Qualify(name, where)}");

    /// <summary>A string field; absent, null, empty or blank are all "missing". Values are trimmed.</summary>
    private static string? OptionalString(JsonElement obj, string name, string? orderId, string? where = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new RejectException(orderId, $"{Qualify(name, where)} must be a string (found {value.ValueKind})");
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? null : text;
    }

    private static long RequiredLong(JsonElement obj, string name, string? orderId, string? where = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new RejectException(orderId, $"missing {Qualify(name, where)}");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new RejectException(orderId, $"{Qualify(name, where)} must be an integer (found {Describe(value)})");
        }

        return number;
    }

    private static decimal RequiredMoney(JsonElement obj, string name, string orderId, string where) =>
        OptionalMoney(obj, name, orderId, where) ?? throw new RejectException(orderId, $"missing {Qualify(name, where)}");

    private static decimal? OptionalMoney(JsonElement obj, string name, string orderId, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            throw new RejectException(orderId, $"{Qualify(name, where)} must be a number (found {Describe(value)})");
        }

        if (number < 0)
        {
            throw new RejectException(orderId, $"{Qualify(name, where)} must not be negative ({number.ToString(CultureInfo.InvariantCulture)})");
        }

        if (number > ParseOptions.MaxMoney)
        {
            throw new RejectException(orderId, $"{Qualify(name, where)} out of range ({number.ToString(CultureInfo.InvariantCulture)})");
        }

        return number;
    }

    private static DateTimeOffset RequiredTimestamp(JsonElement obj, string name, string orderId) =>
        OptionalTimestamp(obj, name, orderId) ?? throw new RejectException(orderId, $"missing {name}");

    private static DateTimeOffset? OptionalTimestamp(JsonElement obj, string name, string orderId)
    {
        var text = OptionalString(obj, name, orderId);
        if (text is null)
        {
            return null;
        }

        // An ISO-8601 timestamp with an explicit offset ("Z" or "+01:00"); a local time would be ambiguous.
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') ||
            (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new RejectException(orderId, $"{name} must be an ISO-8601 timestamp with offset (found '{Truncate(text)}')");
        }

        return value.ToUniversalTime();
    }

    private static string Qualify(string name, string? where) => where is null ? name : $"{where}.{name}";

    private static string Describe(JsonElement value) =>
        value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? $"{value.ValueKind} {Truncate(value.GetRawText())}" : value.ValueKind.ToString();

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static ParseResult Reject(string? orderId, string reason) => new(orderId, null, reason, null);

    private sealed class RejectException(string? orderId, string message) : Exception(message)
    {
        public string? OrderId { get; } = orderId;
    }
}
