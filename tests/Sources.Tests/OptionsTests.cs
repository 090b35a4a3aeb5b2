using Microsoft.Extensions.Configuration;

namespace SalesPipeline.Sources.Tests;

public sealed class OptionsTests
{
    private static LineSourceOptions Valid() => Sources.Csv(o => o.Path = "data/landing/shop");

    private static string Single(LineSourceOptions options) => Assert.Single(LineSourceOptionsValidator.Validate("shop", options));

    [Fact]
    public void Validate_ValidOptions_HasNoErrors()
    {
        Assert.Empty(LineSourceOptionsValidator.Validate("shop", Valid()));
        Assert.Empty(LineSourceOptionsValidator.Validate("events", new LineSourceOptions { Path = "data/landing" }));
    }

    [Fact]
    public void Defaults_AreDocumented()
    {
        var options = new LineSourceOptions();

        Assert.Equal(LineSourceFormat.Jsonl, options.Format);
        Assert.Equal("UTC", options.TimeZone);
        Assert.Null(options.TimestampFormat);
        Assert.Equal((",", "\"", true, "utf-8"), (options.Csv.Delimiter, options.Csv.Quote, options.Csv.Header, options.Csv.Encoding));
    }

    [Fact]
    public void Validate_UnknownFormat_NamesTheOption()
    {
        Assert.Equal("SalesPipeline:Sources:shop:Format: unknown format '7' (use jsonl, csv or parquet)", Single(Sources.Csv(o => { o.Path = "p"; o.Format = (LineSourceFormat)7; })));
    }

    [Theory]
    [InlineData("order_id")]
    [InlineData("product_id")]
    [InlineData("quantity")]
    [InlineData("unit_price")]
    [InlineData("order_time")]
    public void Validate_RequiredMappingMissing_NamesTheField(string field)
    {
        var options = Valid();
        options.Columns.Remove(field);

        Assert.Equal($"SalesPipeline:Sources:shop:Columns:{field}: required for a csv source (the column holding {field})", Single(options));
    }

    [Fact]
    public void Validate_UnknownField_ListsTheKnownOnes()
    {
        var options = Valid();
        options.Columns["qty"] = "Qty";

        Assert.Equal(
            "SalesPipeline:Sources:shop:Columns:qty: unknown pipeline field 'qty' (known: order_id, line_id, product_id, product_name, quantity, unit_price, discount, order_time, customer_id, region, country, currency, status)",
            Single(options));
    }

    [Fact]
    public void Validate_EmptyColumnName_IsAnError()
    {
        var options = Valid();
        options.Columns["region"] = " ";

        Assert.Equal("SalesPipeline:Sources:shop:Columns:region: the column name is empty", Single(options));
    }

    [Fact]
    public void Validate_UnknownTimeZone_NamesTheOption()
    {
        Assert.Equal(
            "SalesPipeline:Sources:shop:TimeZone: unknown time zone 'Mars/Olympus' (use an IANA id such as UTC or Europe/Berlin)",
            Single(Sources.Csv(o => { o.Path = "p"; o.TimeZone = "Mars/Olympus"; })));
    }

    [Theory]
    [InlineData("q")]
    [InlineData("   ")]
    [InlineData("dd/MM/yyyy HH:mm%")]
    public void Validate_UnusableTimestampFormat_IsAnError(string format)
    {
        Assert.StartsWith("SalesPipeline:Sources:shop:TimestampFormat:", Single(Sources.Csv(o => { o.Path = "p"; o.TimestampFormat = format; })), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab", "must be one character")]
    [InlineData("", "must be one character")]
    [InlineData("\"", "cannot be a quote or a line break")]
    [InlineData("\n", "cannot be a quote or a line break")]
    [InlineData("#", "is not supported as a separator")]
    [InlineData("é", "is not supported as a separator")]
    public void Validate_BadDelimiter_NamesTheOption(string delimiter, string problem)
    {
        var error = Single(Sources.Csv(o => { o.Path = "p"; o.Csv.Delimiter = delimiter; }));

        Assert.StartsWith("SalesPipeline:Sources:shop:Csv:Delimiter: ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadQuoteAndEncoding_NameTheOptions()
    {
        var errors = LineSourceOptionsValidator.Validate("shop", Sources.Csv(o => { o.Path = "p"; o.Csv.Quote = "'"; o.Csv.Encoding = "ebcdic"; }));

        Assert.Equal(
            [
                "SalesPipeline:Sources:shop:Csv:Quote: ''' is not supported (use \" or an empty value for no quoting)",
                "SalesPipeline:Sources:shop:Csv:Encoding: unknown encoding 'ebcdic' (use utf-8, utf-16, utf-16be, utf-32, latin1, iso-8859-1, windows-1252, us-ascii)",
            ],
            errors);
    }

    [Fact]
    public void Validate_JsonlWithColumnsOrNoPath_AreErrors()
    {
        Assert.Equal("SalesPipeline:Sources:events:Columns: only csv and parquet sources map columns; jsonl follows docs/order-events.md",
            Assert.Single(LineSourceOptionsValidator.Validate("events", new LineSourceOptions { Path = "p", Columns = { ["order_id"] = "x" } })));
        Assert.Equal("SalesPipeline:Sources:shop:Path: required (the source's landing folder)", Single(Sources.Csv(o => o.Path = null)));
    }

    [Fact]
    public void Create_InvalidOrJsonl_Throws()
    {
        var invalid = Assert.Throws<LineSourceConfigurationException>(() => LineSource.Create("shop", Sources.Csv(o => o.TimeZone = "Nowhere")));
        Assert.Contains("SalesPipeline:Sources:shop:TimeZone", invalid.Message, StringComparison.Ordinal);

        Assert.Throws<LineSourceConfigurationException>(() => LineSource.Create("events", new LineSourceOptions()));
        Assert.Throws<LineSourceConfigurationException>(() => LineSourceOptionsValidator.ThrowIfInvalid("shop", Sources.Csv(o => o.Path = " ")));
    }

    [Fact]
    public async Task Binding_FromConfiguration_GivesAWorkingSource()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SalesPipeline:Sources:shop-exports:Path"] = "data/landing/shop",
            ["SalesPipeline:Sources:shop-exports:Format"] = "csv",
            ["SalesPipeline:Sources:shop-exports:TimestampFormat"] = "dd/MM/yyyy HH:mm",
            ["SalesPipeline:Sources:shop-exports:TimeZone"] = "America/New_York",
            ["SalesPipeline:Sources:shop-exports:Csv:Delimiter"] = ";",
            ["SalesPipeline:Sources:shop-exports:Columns:order_id"] = "OrderNumber",
            ["SalesPipeline:Sources:shop-exports:Columns:product_id"] = "Sku",
            ["SalesPipeline:Sources:shop-exports:Columns:quantity"] = "Qty",
            ["SalesPipeline:Sources:shop-exports:Columns:unit_price"] = "Price",
            ["SalesPipeline:Sources:shop-exports:Columns:order_time"] = "PlacedAt",
            ["SalesPipeline:Sources:shop-exports:Columns:region"] = "State",
        }).Build();
        var options = configuration.GetSection("SalesPipeline:Sources:shop-exports").Get<LineSourceOptions>()!;

        Assert.Empty(LineSourceOptionsValidator.Validate("shop-exports", options));
        Assert.Equal(LineSourceFormat.Csv, options.Format);
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("shop-exports", options), dir.File("x.csv", "OrderNumber;Sku;Qty;Price;PlacedAt;State\nA-1;S;2;3.5;08/03/2026 02:30;NY\n"));
        var line = Assert.Single(rows).Mapped();
        Assert.Equal(("A-1", "NY", new DateTimeOffset(2026, 3, 8, 3, 30, 0, TimeSpan.FromHours(-4))), (line.OrderId, line.Region, line.OrderTime));
    }

    [Fact]
    public void Binding_UnknownFormatName_FailsNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SalesPipeline:Sources:shop:Format"] = "xml",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => configuration.GetSection("SalesPipeline:Sources:shop").Get<LineSourceOptions>());
        Assert.Contains("SalesPipeline:Sources:shop:Format", error.Message, StringComparison.Ordinal);
    }
}
