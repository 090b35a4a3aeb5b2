using System.Text;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Parsing;
using Xunit;

namespace SalesPipeline.Grains.Tests;

public sealed class ParserTests
{
    private const string Valid =
        """{"event_id":"e-1","order_id":"o-1","sequence":1,"event_time":"2026-03-01T10:00:05Z","order_time":"2026-03-01T10:00:00Z","status":"placed","customer_id":"c-9","region":"EMEA","country":"DE","currency":"EUR","channel":"web","items":[{"product_id":"p-1","product_name":"Mug","quantity":2,"unit_price":9.50,"discount":1.00}]}""";

    private static readonly OrderEventParser Parser = new(new ParseOptions(
        "USD", new Dictionary<string, decimal> { ["USD"] = 1m, ["EUR"] = 1.08m, ["JPY"] = 0.0067m }, 4096));

    private static ParseResult Parse(string line) => Parser.Parse(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void Parse_ContractExample_ConvertsToBaseCurrency()
    {
        var result = Parse(Valid);

        Assert.Null(result.Rejection);
        var evt = Assert.IsType<OrderEvent>(result.Event);
        Assert.Equal(OrderStatus.Placed, evt.Status);
        Assert.Equal(new DateOnly(2026, 3, 1), evt.OrderDate);
        var line = Assert.Single(evt.Lines);
        Assert.Equal(19.44m, line.Amount); // (2 × 9.50 − 1.00) × 1.08
        Assert.Null(evt.Rescued);
    }

    [Fact]
    public void Parse_AmountWithManyDecimals_RoundsHalfAwayFromZeroToCents()
    {
        // 3 × 1.25 × 0.0067 = 0.025125 → 0.03
        var result = Parse(Valid.Replace("\"currency\":\"EUR\"", "\"currency\":\"JPY\"").Replace("\"quantity\":2,\"unit_price\":9.50,\"discount\":1.00", "\"quantity\":3,\"unit_price\":1.25"));
        Assert.Equal(0.03m, result.Event!.Lines[0].Amount);
    }

    [Fact]
    public void Parse_EscapedNames_AreMatchedAsDecoded()
    {
        // "\u0063hannel" is "channel" and "qu\u0061ntity" is "quantity": known, not rescued; "n\u006fte" is unknown.
        var result = Parse(Valid.Replace("\"channel\":\"web\"", "\"\\u0063hannel\":\"web\",\"n\\u006fte\":1").Replace("\"quantity\":2", "\"qu\\u0061ntity\":2"));

        Assert.Null(result.Rejection);
        Assert.Equal("web", result.Event!.Channel);
        Assert.Equal(2, result.Event.Lines[0].Quantity);
        Assert.Null(result.Event.Lines[0].Rescued);
        Assert.Equal(["note"], result.Event.Rescued!.Keys);
    }

    [Fact]
    public void Parse_SameValues_ShareOneStringInstance()
    {
        var first = Parse(Valid).Event!;
        var second = Parse(Valid.Replace("\"e-1\"", "\"e-2\"")).Event!;

        Assert.Same(first.Region, second.Region);
        Assert.Same(first.Lines[0].ProductId, second.Lines[0].ProductId);
        Assert.Same(first.CustomerId, second.CustomerId);
    }

    [Fact]
    public void Parse_UnknownFields_AreRescuedNotRejected()
    {
        var result = Parse(Valid.Replace("\"channel\":\"web\"", "\"channel\":\"web\",\"coupon\":{\"code\":\"X\"}").Replace("\"discount\":1.00", "\"discount\":1.00,\"gift\":true"));

        Assert.Null(result.Rejection);
        Assert.Equal("{\"code\":\"X\"}", result.Event!.Rescued!["coupon"]);
        Assert.Equal("true", result.Event.Lines[0].Rescued!["gift"]);
    }

    [Fact]
    public void Parse_MissingCustomer_IsKeptWithWarning()
    {
        var result = Parse(Valid.Replace("\"customer_id\":\"c-9\",", ""));

        Assert.NotNull(result.Event);
        Assert.Null(result.Event!.CustomerId);
        Assert.Contains("customer_id", result.Warning);
    }

    [Theory]
    [InlineData("{\"event_id\":\"e-1\",", null, "malformed JSON")]
    [InlineData("[1,2]", null, "not a JSON object")]
    [InlineData("\"order_id\":\"o-1\",", "", "missing order_id")]
    [InlineData("\"order_id\":\"o-1\"", "\"order_id\":7", "order_id must be a string")]
    [InlineData("\"event_id\":\"e-1\",", "", "missing event_id")]
    [InlineData("\"sequence\":1", "\"sequence\":\"1\"", "sequence must be an integer")]
    [InlineData("\"sequence\":1", "\"sequence\":1.5", "sequence must be an integer")]
    [InlineData("\"order_time\":\"2026-03-01T10:00:00Z\",", "", "missing order_time")]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-01 10:00", "order_time must be an ISO-8601 timestamp")]
    [InlineData("2026-03-01T10:00:00Z", "1970-01-01T00:00:00Z", "order_time out of range")]
    [InlineData("\"status\":\"placed\"", "\"status\":\"lost\"", "unknown status 'lost'")]
    [InlineData("\"currency\":\"EUR\"", "\"currency\":\"XYZ\"", "unknown currency 'XYZ'")]
    [InlineData("\"quantity\":2", "\"quantity\":0", "items[0].quantity must not be 0")]
    [InlineData("\"quantity\":2", "\"quantity\":\"2\"", "items[0].quantity must be an integer")]
    [InlineData("\"quantity\":2", "\"quantity\":99999999", "items[0].quantity out of range")]
    [InlineData("\"unit_price\":9.50", "\"unit_price\":-9.50", "items[0].unit_price must not be negative")]
    [InlineData("\"discount\":1.00", "\"discount\":-1", "items[0].discount must not be negative")]
    [InlineData("\"product_id\":\"p-1\",", "", "missing items[0].product_id")]
    [InlineData("\"region\":\"EMEA\"", "\"region\":5", "region must be a string")]
    public void Parse_RuleViolation_IsRejectedWithReason(string find, string? replace, string reason)
    {
        var line = replace is null ? find : Valid.Replace(find, replace);
        var result = Parse(line);

        Assert.Null(result.Event);
        Assert.Contains(reason, result.Rejection);
    }

    [Fact]
    public void Parse_RejectedLineThatNamesItsOrder_KeepsOrderIdForBronze()
    {
        var result = Parse(Valid.Replace("\"status\":\"placed\"", "\"status\":\"lost\""));
        Assert.Equal("o-1", result.OrderId);
    }

    [Fact]
    public void Parse_BinaryGarbage_IsRejected()
    {
        var result = Parser.Parse(new byte[] { 0xFF, 0x00, 0x13, 0x80, 0x7B });
        Assert.StartsWith("malformed JSON", result.Rejection);
        Assert.Null(result.OrderId);
    }

    [Fact]
    public void Parse_LineOverLimit_IsRejectedWithoutParsing()
    {
        var result = Parser.Parse(new byte[5000]);
        Assert.StartsWith("line too long (5000 bytes, limit 4096)", result.Rejection);
    }
}
