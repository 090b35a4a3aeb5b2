namespace SalesPipeline.Sources.Tests;

public sealed class ValueParsingTests
{
    private static Task<MappedRow> Row(string order = "o-1", string sku = "p-1", string qty = "1", string price = "1", string time = "2026-03-01T10:00:00Z", string buyer = "c", LineSourceOptions? options = null) =>
        Sources.ReadSingleAsync(options ?? Sources.Csv(), $"{Sources.Header}\n{order},{sku},T,{qty},{price},{time},{buyer}\n");

    [Theory]
    [InlineData("2", 2)]
    [InlineData("-3", -3)]
    [InlineData("+4", 4)]
    [InlineData("2.0", 2)]
    [InlineData("2.00", 2)]
    [InlineData("-5.000", -5)]
    public async Task Quantity_WholeNumbers_AreAccepted(string text, int expected)
    {
        Assert.Equal(expected, (await Row(qty: text)).Mapped().Quantity);
    }

    [Theory]
    [InlineData("\"2,5\"", "column 'Qty' (quantity): '2,5' is not a number")]
    [InlineData("2.5", "column 'Qty' (quantity): '2.5' is not a whole number")]
    [InlineData("two", "column 'Qty' (quantity): 'two' is not a number")]
    [InlineData("\"1,000\"", "column 'Qty' (quantity): '1,000' is not a number")]
    [InlineData("1e3", "column 'Qty' (quantity): '1e3' is not a number")]
    [InlineData("3000000000", "column 'Qty' (quantity): '3000000000' is out of range")]
    [InlineData("", "missing quantity (column 'Qty' is empty)")]
    public async Task Quantity_OtherText_IsRejected(string text, string reason)
    {
        var row = await Row(qty: text);

        Assert.Null(row.Line);
        Assert.Equal(reason, row.Rejection);
        Assert.Equal("o-1", row.OrderId);
    }

    [Theory]
    [InlineData("9.50", "9.50")]
    [InlineData("0", "0")]
    [InlineData("-11062.06", "-11062.06")]
    [InlineData(".5", "0.5")]
    [InlineData("  7.125 ", "7.125")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public async Task Price_InvariantDecimals_AreExact(string text, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), (await Row(price: text)).Mapped().UnitPrice);
    }

    [Theory]
    [InlineData("\"1,234.50\"")]
    [InlineData("12.3.4")]
    [InlineData("€5")]
    [InlineData("1.5e2")]
    [InlineData("NaN")]
    [InlineData("\"9,50\"")]
    public async Task Price_OtherText_IsRejected(string text)
    {
        var row = await Row(price: text);

        Assert.Equal($"column 'Price' (unit_price): '{text.Trim('"')}' is not a number", row.Rejection);
    }

    [Theory]
    [InlineData("17850.0", "17850")]
    [InlineData("536365.00", "536365")]
    [InlineData("0.0", "0")]
    [InlineData("17850", "17850")]
    [InlineData("17850.5", "17850.5")]
    [InlineData("17850.", "17850.")]
    [InlineData(".0", ".0")]
    [InlineData("A17.0", "A17.0")]
    [InlineData("-17.0", "-17.0")]
    [InlineData("1.0.0", "1.0.0")]
    public async Task Identifiers_IntegerWrittenAsFloat_AreNormalized(string text, string expected)
    {
        var line = (await Row(order: text, sku: text, buyer: text)).Mapped();

        Assert.Equal(expected, line.OrderId);
        Assert.Equal(expected, line.ProductId);
        Assert.Equal(expected, line.CustomerId);
    }

    [Fact]
    public async Task Identifiers_LineId_IsNormalizedToo()
    {
        var row = await Sources.ReadSingleAsync(Sources.Csv(o => o.Columns["line_id"] = "Title"), $"{Sources.Header}\no,p,3.0,1,1,2026-03-01,c\n");

        Assert.Equal("3", row.Mapped().LineId);
    }

    [Fact]
    public async Task Required_MissingOrderId_RejectsWithoutOrder()
    {
        var row = await Row(order: " ");

        Assert.Equal("missing order_id (column 'Order' is empty)", row.Rejection);
        Assert.Null(row.OrderId);
    }

    [Fact]
    public async Task Required_MissingProduct_RejectsWithOrder()
    {
        var row = await Row(sku: "");

        Assert.Equal("missing product_id (column 'Sku' is empty)", row.Rejection);
        Assert.Equal("o-1", row.OrderId);
    }

    [Theory]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-01T10:00:00+00:00")]
    [InlineData("2026-03-01T10:00:00.250Z", "2026-03-01T10:00:00.250+00:00")]
    [InlineData("2026-03-01T12:00:00+02:00", "2026-03-01T10:00:00+00:00")]
    [InlineData("2026-03-01 10:00:00", "2026-03-01T10:00:00+00:00")]
    [InlineData("2026-03-01T10:00", "2026-03-01T10:00:00+00:00")]
    [InlineData("2026-03-01", "2026-03-01T00:00:00+00:00")]
    public async Task Timestamps_Iso8601_AreParsedInUtcByDefault(string text, string expected)
    {
        var line = (await Row(time: text)).Mapped();

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), line.OrderTime);
        Assert.Equal(TimeSpan.Zero, line.OrderTime.Offset);
    }

    [Theory]
    [InlineData("01/03/2026 10:00")]
    [InlineData("2026-02-30T10:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("2026-03-01T10:00:00+25:00")]
    [InlineData("1709287200")]
    public async Task Timestamps_NotIso8601_AreRejected(string text)
    {
        var row = await Row(time: text);

        Assert.Equal($"column 'PlacedAt' (order_time): '{text}' is not an ISO-8601 timestamp", row.Rejection);
    }

    [Theory]
    [InlineData("01/12/2026 09:05", "2026-12-01T09:05:00+00:00")]
    [InlineData("31/01/2026 23:59", "2026-01-31T23:59:00+00:00")]
    public async Task Timestamps_CustomFormat_AreParsedExactly(string text, string expected)
    {
        var line = (await Row(time: text, options: Sources.Csv(o => o.TimestampFormat = "dd/MM/yyyy HH:mm"))).Mapped();

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), line.OrderTime);
    }

    [Theory]
    [InlineData("12/31/2026 10:00")]
    [InlineData("31/02/2026 10:00")]
    [InlineData("2026-03-01T10:00:00Z")]
    [InlineData("1/3/2026 10:00")]
    public async Task Timestamps_OtherThanTheCustomFormat_AreRejected(string text)
    {
        var row = await Row(time: text, options: Sources.Csv(o => o.TimestampFormat = "dd/MM/yyyy HH:mm"));

        Assert.Equal($"column 'PlacedAt' (order_time): '{text}' is not a timestamp of format 'dd/MM/yyyy HH:mm'", row.Rejection);
    }

    [Fact]
    public async Task Rejection_QuotesLongValuesShortened()
    {
        var row = await Row(price: new string('9', 30) + "x" + new string('9', 30));

        Assert.Equal($"column 'Price' (unit_price): '{new string('9', 30)}x{new string('9', 9)}…' is not a number", row.Rejection);
    }
}
