using System.Text;

namespace SalesPipeline.Sources.Tests;

public sealed class CsvReaderTests
{
    [Fact]
    public async Task Csv_ValidRows_MapEveryField()
    {
        var options = Sources.Csv(o =>
        {
            o.Columns["line_id"] = "Line";
            o.Columns["discount"] = "Off";
            o.Columns["region"] = "State";
            o.Columns["country"] = "Country";
            o.Columns["currency"] = "Cur";
            o.Columns["status"] = "Status";
        });
        using var dir = new TempDir();
        var path = dir.File("a.csv",
            "Order,Line,Sku,Title,Qty,Price,Off,PlacedAt,Buyer,State,Country,Cur,Status\n" +
            "o-1,1,p-1,Mug,2,9.50,1.00,2026-03-01T10:00:00Z,c-9,EMEA,DE,EUR,Paid\n" +
            " o-1 , 2 ,p-2, ,-1,0,,2026-03-01T10:00:00Z,,,,, \n");
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", options), path);

        Assert.Equal(2, rows.Count);
        var first = rows[0].Mapped();
        Assert.Equal(new LineRecord
        {
            OrderId = "o-1", LineId = "1", ProductId = "p-1", ProductName = "Mug", Quantity = 2, UnitPrice = 9.50m, Discount = 1.00m,
            OrderTime = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), CustomerId = "c-9", Region = "EMEA", Country = "DE",
            Currency = "EUR", Status = "paid",
        }, first);
        Assert.Equal(1, rows[0].RowNumber);
        Assert.Equal("o-1,1,p-1,Mug,2,9.50,1.00,2026-03-01T10:00:00Z,c-9,EMEA,DE,EUR,Paid", rows[0].Raw);
        Assert.Null(rows[0].Rescued);

        // Trimmed, blanks are missing, a negative quantity (a return) and a zero price are mapped as written.
        var second = rows[1].Mapped();
        Assert.Equal(("o-1", "2", "p-2", -1, 0m, 0m), (second.OrderId, second.LineId, second.ProductId, second.Quantity, second.UnitPrice, second.Discount));
        Assert.Null(second.ProductName);
        Assert.Null(second.CustomerId);
        Assert.Null(second.Region);
        Assert.Null(second.Currency);
        Assert.Null(second.Status);
        Assert.Equal("o-1", rows[1].OrderId);
    }

    [Fact]
    public async Task Csv_QuotedFields_KeepDelimitersQuotesAndLineBreaks()
    {
        var csv = Sources.Header + "\n" +
            "o-1,p-1,\"Mug, blue\",1,2.5,2026-03-01T10:00:00Z,c-1\n" +
            "o-2,p-2,\"12\"\" Pillow\nwith cover\",1,2.5,2026-03-01T10:00:00Z,c-1\n" +
            "\"o-3\",\"p-3\",\"  \",\"3\",\"4.25\",\"2026-03-01T10:00:00Z\",\"\"\n";
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", Sources.Csv()), dir.File("q.csv", csv));

        Assert.Equal(["Mug, blue", "12\" Pillow\nwith cover", null], rows.Select(r => r.Mapped().ProductName));
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.RowNumber));
        Assert.Equal("o-2,p-2,\"12\"\" Pillow\nwith cover\",1,2.5,2026-03-01T10:00:00Z,c-1", rows[1].Raw);
        Assert.Equal(("o-3", "p-3", 3, 4.25m), (rows[2].Mapped().OrderId, rows[2].Mapped().ProductId, rows[2].Mapped().Quantity, rows[2].Mapped().UnitPrice));
    }

    [Theory]
    [InlineData(";")]
    [InlineData("\\t")]
    [InlineData("tab")]
    [InlineData("|")]
    public async Task Csv_OtherDelimiters_SplitOnThem(string delimiter)
    {
        var d = delimiter is "\\t" or "tab" ? "\t" : delimiter;
        var csv = string.Join(d, Sources.Header.Split(',')) + "\r\n" + string.Join(d, "o-1", "p-1", "\"A, B" + d + "C\"", "2", "1.5", "2026-03-01 10:00", "c-1") + "\r\n";
        var row = await Sources.ReadSingleAsync(Sources.Csv(o => o.Csv.Delimiter = delimiter), csv);

        Assert.Equal("A, B" + d + "C", row.Mapped().ProductName);
        Assert.Equal(1.5m, row.Mapped().UnitPrice);
    }

    [Fact]
    public async Task Csv_QuotingDisabled_QuotesAreText()
    {
        var row = await Sources.ReadSingleAsync(Sources.Csv(o => o.Csv.Quote = ""), Sources.Header + "\no-1,p-1,\"Mug\",1,1,2026-03-01,c\n");

        Assert.Equal("\"Mug\"", row.Mapped().ProductName);
    }

    public static TheoryData<string, byte[]> Encodings()
    {
        const string text = Sources.Header + "\no-1,p-1,Crème brûlée €,1,1,2026-03-01,Zoë\n";
        var latinText = text.Replace(" €", "", StringComparison.Ordinal);
        return new()
        {
            { "utf-8", new UTF8Encoding(false).GetBytes(text) },
            { "utf-8", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] },
            { "utf-16", Encoding.Unicode.GetBytes(text) },
            { "utf-16be", Encoding.BigEndianUnicode.GetBytes(text) },
            { "latin1", Encoding.Latin1.GetBytes(latinText) },
            { "ISO-8859-1", Encoding.Latin1.GetBytes(latinText) },

            // 0x80 is the euro sign in windows-1252 (a control character in latin1).
            { "windows-1252", [.. Encoding.Latin1.GetBytes(latinText.Replace("brûlée", "brûlée ?", StringComparison.Ordinal)).Select(b => b == (byte)'?' ? (byte)0x80 : b)] },

            // A byte order mark wins over the configured encoding.
            { "latin1", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)] },
        };
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Csv_Encodings_DecodeText(string encoding, byte[] bytes)
    {
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", Sources.Csv(o => o.Csv.Encoding = encoding)), dir.File("e.csv", bytes));

        var line = Assert.Single(rows).Mapped();
        Assert.StartsWith("Crème brûlée", line.ProductName, StringComparison.Ordinal);
        Assert.Equal(encoding is "latin1" or "ISO-8859-1" && !bytes.AsSpan().StartsWith(Encoding.Unicode.GetPreamble()) ? "Crème brûlée" : "Crème brûlée €", line.ProductName);
        Assert.Equal("Zoë", line.CustomerId);
    }

    [Fact]
    public async Task Csv_NoHeader_ColumnsAreNamedByPosition()
    {
        var options = new LineSourceOptions
        {
            Format = LineSourceFormat.Csv,
            Csv = { Header = false },
            Columns = { ["order_id"] = "1", ["product_id"] = "column2", ["quantity"] = "Column3", ["unit_price"] = "4", ["order_time"] = "5" },
        };
        using var dir = new TempDir();
        await using var reader = await LineSource.Create("s", options).OpenAsync(dir.File("n.csv", "o-1,p-1,2,3.5,2026-03-01,extra\no-2,p-2,1,1,2026-03-02,\n"));
        var rows = await Sources.ReadRestAsync(reader);

        Assert.Equal(["1", "2", "3", "4", "5", "6"], reader.Columns);
        Assert.Equal(["6"], reader.UnmappedColumns);
        Assert.Equal(["o-1", "o-2"], rows.Select(r => r.Mapped().OrderId));
        Assert.Equal([1L, 2L], rows.Select(r => r.RowNumber));
        Assert.Equal("extra", rows[0].Rescued!["6"]);
        Assert.Null(rows[1].Rescued);
    }

    [Fact]
    public async Task Csv_HeaderNames_MatchIgnoringCaseAndSpaces()
    {
        var row = await Sources.ReadSingleAsync(Sources.Csv(), " ORDER ,sku,\"Title\",qty,PRICE,placedat,buyer\no-1,p-1,T,1,1,2026-03-01,c\n");

        Assert.Equal("o-1", row.Mapped().OrderId);
    }

    [Fact]
    public async Task Csv_WrongColumnCount_RejectsTheRowAndReadsOn()
    {
        var csv = Sources.Header + "\n" +
            "o-1,p-1,Mug,1,1,2026-03-01,c\n" +
            "o-2,p-2,Mug,1,1,2026-03-01\n" +
            "o-3,p-3,Mug,1,1,2026-03-01,c,surplus\n" +
            "o-4,p-4,Mug,1,1,2026-03-01,c\n";
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", Sources.Csv()), dir.File("w.csv", csv));

        Assert.Equal(["o-1", "o-2", "o-3", "o-4"], rows.Select(r => r.OrderId));
        Assert.Equal([null, "expected 7 columns, found 6", "expected 7 columns, found 8", null], rows.Select(r => r.Rejection));
        Assert.All(rows.Where(r => r.Rejection is not null), r => Assert.Null(r.Line));
        Assert.Equal("o-2,p-2,Mug,1,1,2026-03-01", rows[1].Raw);
    }

    [Fact]
    public async Task Csv_UnterminatedQuote_RejectsTheRestAsOneRow()
    {
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", Sources.Csv()),
            dir.File("u.csv", Sources.Header + "\no-1,p-1,\"Mug,1,1,2026-03-01,c\no-2,p-2,Mug,1,1,2026-03-01,c\n"));

        var row = Assert.Single(rows);
        Assert.Equal("expected 7 columns, found 3", row.Rejection);
        Assert.Equal("o-1", row.OrderId);
    }

    [Fact]
    public async Task Csv_BlankRows_AreSkippedButCounted()
    {
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", Sources.Csv()),
            dir.File("b.csv", Sources.Header + "\n\no-1,p-1,Mug,1,1,2026-03-01,c\n   \n\no-2,p-2,Mug,1,1,2026-03-01,c"));

        Assert.Equal([2L, 5L], rows.Select(r => r.RowNumber));
        Assert.Equal(["o-1", "o-2"], rows.Select(r => r.Mapped().OrderId));
    }

    [Fact]
    public async Task Csv_EmptyOrHeaderOnlyFile_HasNoRows()
    {
        using var dir = new TempDir();
        var source = LineSource.Create("s", Sources.Csv());
        await using var empty = await source.OpenAsync(dir.File("e.csv", ""));
        var chunk = await empty.ReadChunkAsync(10);
        Assert.True(chunk.EndOfFile);
        Assert.Empty(chunk.Rows);
        Assert.Equal("column 'Order' (order_id) is missing in this file; column 'Sku' (product_id) is missing in this file; column 'Qty' (quantity) is missing in this file; column 'Price' (unit_price) is missing in this file; column 'PlacedAt' (order_time) is missing in this file", empty.FileRejection);

        await using var headerOnly = await source.OpenAsync(dir.File("h.csv", Sources.Header + "\r\n"));
        chunk = await headerOnly.ReadChunkAsync(10);
        Assert.True(chunk.EndOfFile);
        Assert.Empty(chunk.Rows);
        Assert.Null(headerOnly.FileRejection);
    }

    [Fact]
    public async Task Csv_ExtraAndMissingColumns_AreReported()
    {
        var options = Sources.Csv(o => o.Columns["region"] = "State");
        using var dir = new TempDir();
        await using var reader = await LineSource.Create("s", options).OpenAsync(
            dir.File("d.csv", "Order,Sku,Coupon,Title,Qty,Price,PlacedAt,Buyer,Note\no-1,p-1,SPRING, Mug ,1,1,2026-03-01,c,\"a, b\"\no-2,p-2,,Mug,1,1,2026-03-01,c,\n"));
        var rows = await Sources.ReadRestAsync(reader);

        Assert.Equal(["Coupon", "Note"], reader.UnmappedColumns);
        Assert.Equal(["State"], reader.MissingColumns);
        Assert.Null(reader.FileRejection);
        Assert.Equal(new Dictionary<string, string> { ["Coupon"] = "SPRING", ["Note"] = "a, b" }, rows[0].Rescued);
        Assert.Null(rows[1].Rescued);
        Assert.All(rows, r => Assert.Null(r.Mapped().Region));
    }

    [Fact]
    public async Task Csv_RequiredColumnMissing_RejectsEveryRow()
    {
        using var dir = new TempDir();
        await using var reader = await LineSource.Create("s", Sources.Csv()).OpenAsync(
            dir.File("m.csv", "Order,Sku,Title,Quantity,Price,PlacedAt,Buyer\no-1,p-1,Mug,1,1,2026-03-01,c\no-2,p-2,Mug,1,1,2026-03-01,c\n"));
        var rows = await Sources.ReadRestAsync(reader);

        Assert.Equal(["Qty"], reader.MissingColumns);
        Assert.Equal(["Quantity"], reader.UnmappedColumns);
        Assert.Equal("column 'Qty' (quantity) is missing in this file", reader.FileRejection);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(reader.FileRejection, r.Rejection));
        Assert.Equal(["o-1", "o-2"], rows.Select(r => r.OrderId));
    }

    [Fact]
    public async Task Csv_DuplicateHeaderNames_GetSuffixes()
    {
        using var dir = new TempDir();
        await using var reader = await LineSource.Create("s", Sources.Csv()).OpenAsync(
            dir.File("h.csv", Sources.Header + ",Note,Note,\no-1,p-1,Mug,1,1,2026-03-01,c,x,y,z\n"));
        var row = Assert.Single(await Sources.ReadRestAsync(reader));

        Assert.Equal(["Note", "Note_2", "10"], reader.UnmappedColumns);
        Assert.Equal(new Dictionary<string, string> { ["Note"] = "x", ["Note_2"] = "y", ["10"] = "z" }, row.Rescued);
    }

    [Fact]
    public async Task Open_MissingFile_ThrowsLineFileException()
    {
        var source = LineSource.Create("s", Sources.Csv());
        var error = await Assert.ThrowsAsync<LineFileException>(async () => await source.OpenAsync("/nonexistent/x.csv"));
        Assert.Equal("/nonexistent/x.csv", error.FilePath);
    }

    [Fact]
    public async Task Csv_BinaryGarbage_RejectsRowsWithoutFailing()
    {
        var bytes = new byte[20_000];
        new Random(5).NextBytes(bytes);
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("s", Sources.Csv()), dir.File("g.csv", bytes));

        Assert.All(rows, r => Assert.NotNull(r.Rejection));
    }
}
