namespace SalesPipeline.Sources.Mapping;

/// <summary>
/// Collects one row's field values, parsed strictly, and builds its <see cref="LineRecord"/> or rejection.
/// Fields are set in <see cref="Field"/> order so the order id is known before any other field can fail.
/// One builder per reader; not thread-safe.
/// </summary>
internal sealed class LineBuilder(SourceSettings settings)
{
    private readonly StringPool productIds = new();
    private readonly StringPool productNames = new();
    private readonly StringPool customerIds = new();
    private readonly StringPool lineIds = new(capacity: 1024);
    private readonly StringPool places = new(capacity: 4096);
    private readonly StringPool statuses = new(capacity: 256, lowercase: true);
    private string? lastOrderId;

    private string? orderId, lineId, productId, productName, customerId, region, country, currency, status;
    private int? quantity;
    private decimal? unitPrice, discount;
    private DateTimeOffset? orderTime;

    public TimestampParser Time { get; } = new(settings.TimestampFormat, settings.TimeZone);

    /// <summary>The current row's order id once set.</summary>
    public string? OrderId => orderId;

    /// <summary>Why the current row cannot be mapped, once a value failed.</summary>
    public string? Error { get; private set; }

    public void Begin()
    {
        orderId = lineId = productId = productName = customerId = region = country = currency = status = null;
        quantity = null;
        unitPrice = discount = null;
        orderTime = null;
        Error = null;
    }

    /// <summary>Sets a field from trimmed text; empty text is a missing value. False (and <see cref="Error"/>) when it does not parse.</summary>
    public bool SetText(Field field, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return true;
        }

        switch (field)
        {
            case Field.OrderId:
                orderId = OrderIdString(ValueText.NormalizeId(text));
                return true;
            case Field.LineId:
                lineId = lineIds.Get(ValueText.NormalizeId(text));
                return true;
            case Field.ProductId:
                productId = productIds.Get(ValueText.NormalizeId(text));
                return true;
            case Field.CustomerId:
                customerId = customerIds.Get(ValueText.NormalizeId(text));
                return true;
            case Field.ProductName:
                productName = productNames.Get(text);
                return true;
            case Field.Region:
                region = places.Get(text);
                return true;
            case Field.Country:
                country = places.Get(text);
                return true;
            case Field.Currency:
                currency = places.Get(text);
                return true;
            case Field.Status:
                status = statuses.Get(text);
                return true;
            case Field.Quantity:
                var problem = ValueText.ParseQuantity(text, out var units);
                if (problem is not null)
                {
                    return Fail(field, text, problem);
                }

                quantity = units;
                return true;
            case Field.UnitPrice:
            case Field.Discount:
                if (!ValueText.TryParseDecimal(text, out var number))
                {
                    return Fail(field, text, "is not a number");
                }

                return SetMoney(field, number);
            case Field.OrderTime:
                if (!Time.TryParse(text, out var time))
                {
                    return Fail(field, text, settings.TimestampFormat is null
                        ? "is not an ISO-8601 timestamp"
                        : $"is not a timestamp of format '{settings.TimestampFormat}'");
                }

                orderTime = time;
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    /// <summary>Sets a numeric field from a typed value (text fields get its invariant text).</summary>
    public bool SetNumber(Field field, decimal value)
    {
        switch (field)
        {
            case Field.Quantity:
                var problem = ValueText.QuantityFrom(value, out var units);
                if (problem is not null)
                {
                    return Fail(field, ValueText.Format(value), problem);
                }

                quantity = units;
                return true;
            case Field.UnitPrice:
            case Field.Discount:
                return SetMoney(field, value);
            default:
                return SetText(field, ValueText.Format(value));
        }
    }

    /// <summary>Sets the order time from a typed value already expressed in the source's zone.</summary>
    public bool SetOrderTime(DateTimeOffset value)
    {
        orderTime = value;
        return true;
    }

    public bool Fail(Field field, ReadOnlySpan<char> text, string problem)
    {
        Error = $"column '{settings.ColumnOf[(int)field]}' ({LineFields.Name(field)}): '{ValueText.Show(text)}' {problem}";
        return false;
    }

    public bool Fail(Field field, string problem)
    {
        Error = $"column '{settings.ColumnOf[(int)field]}' ({LineFields.Name(field)}) {problem}";
        return false;
    }

    /// <summary>The row's line, or null with <see cref="Error"/> set when a required field is missing.</summary>
    public LineRecord? Finish()
    {
        if (Error is not null)
        {
            return null;
        }

        if (orderId is null || productId is null || quantity is null || unitPrice is null || orderTime is null)
        {
            var field = orderId is null ? Field.OrderId
                : productId is null ? Field.ProductId
                : quantity is null ? Field.Quantity
                : unitPrice is null ? Field.UnitPrice
                : Field.OrderTime;
            Error = $"missing {LineFields.Name(field)} (column '{settings.ColumnOf[(int)field]}' is empty)";
            return null;
        }

        return new LineRecord
        {
            OrderId = orderId,
            LineId = lineId,
            ProductId = productId,
            ProductName = productName,
            Quantity = quantity.Value,
            UnitPrice = unitPrice.Value,
            Discount = discount ?? 0m,
            OrderTime = orderTime.Value,
            CustomerId = customerId,
            Region = region,
            Country = country,
            Currency = currency,
            Status = status,
        };
    }

    private bool SetMoney(Field field, decimal value)
    {
        if (field == Field.UnitPrice)
        {
            unitPrice = value;
        }
        else
        {
            discount = value;
        }

        return true;
    }

    private string OrderIdString(ReadOnlySpan<char> text)
    {
        // The lines of an order are usually adjacent: reuse the previous row's string.
        if (lastOrderId is null || !text.SequenceEqual(lastOrderId))
        {
            lastOrderId = text.ToString();
        }

        return lastOrderId;
    }
}
