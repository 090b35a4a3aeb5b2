namespace SalesPipeline.Delta.Tests;

public sealed class FormatterTests
{
    [Fact]
    public void ToJsonLine_TypedRow_ExactDecimalsIsoTimestampsAndDates()
    {
        var row = WriterReaderTests.Row(1, "EU");
        var line = DeltaRowFormatter.ToJsonLine(WriterReaderTests.Schema, row);
        Assert.Equal(
            "{\"id\":1,\"name\":\"n\",\"qty\":1,\"ratio\":0.25,\"price\":13.34,\"active\":false,\"day\":\"2024-01-02\",\"at\":\"2024-05-06T07:08:09.123457Z\",\"region\":\"EU\"}",
            line);
    }

    [Fact]
    public void ToCsvLine_ValuesNeedingQuotes_AreQuoted()
    {
        Assert.Equal("a,\"b,c\",\"say \"\"hi\"\"\",,1.50", DeltaRowFormatter.ToCsvLine(["a", "b,c", "say \"hi\"", null, 1.50m]));
    }
}
