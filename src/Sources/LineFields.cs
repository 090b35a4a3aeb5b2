namespace SalesPipeline.Sources;

/// <summary>Names of the pipeline fields a line source maps its columns to (keys of <see cref="LineSourceOptions.Columns"/>).</summary>
public static class LineFields
{
    public const string OrderId = "order_id";
    public const string LineId = "line_id";
    public const string ProductId = "product_id";
    public const string ProductName = "product_name";
    public const string Quantity = "quantity";
    public const string UnitPrice = "unit_price";
    public const string Discount = "discount";
    public const string OrderTime = "order_time";
    public const string CustomerId = "customer_id";
    public const string Region = "region";
    public const string Country = "country";
    public const string Currency = "currency";
    public const string Status = "status";

    /// <summary>Every field, in the order of <see cref="Field"/>.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        OrderId, LineId, ProductId, ProductName, Quantity, UnitPrice, Discount, OrderTime, CustomerId, Region,
        Country, Currency, Status,
    ];

    /// <summary>Fields every csv and parquet source must map.</summary>
    public static IReadOnlyList<string> Required { get; } = [OrderId, ProductId, Quantity, UnitPrice, OrderTime];

    internal static bool TryParse(string name, out Field field)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                field = (Field)i;
                return true;
            }
        }

        field = default;
        return false;
    }

    internal static string Name(Field field) => All[(int)field];

    internal static bool IsRequired(Field field) =>
        field is Field.OrderId or Field.ProductId or Field.Quantity or Field.UnitPrice or Field.OrderTime;
}

/// <summary>Pipeline fields as indexes (same order as <see cref="LineFields.All"/>).</summary>
internal enum Field
{
    OrderId,
    LineId,
    ProductId,
    ProductName,
    Quantity,
    UnitPrice,
    Discount,
    OrderTime,
    CustomerId,
    Region,
    Country,
    Currency,
    Status,
}
