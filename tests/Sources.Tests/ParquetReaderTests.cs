using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace SalesPipeline.Sources.Tests;

public sealed class ParquetReaderTests
{
    private static readonly LineSourceOptions Options = new()
    {
        Format = LineSourceFormat.Parquet,
        Columns =
        {
            ["order_id"] = "Invoice", ["product_id"] = "Sku", ["quantity"] = "Qty", ["unit_price"] = "Price",
            ["discount"] = "Off", ["order_time"] = "At", ["customer_id"] = "Buyer", ["region"] = "Region",
        },
    };

    // Typed like a pandas export: float customer ids with gaps, a local (not UTC-adjusted) timestamp.
    private static readonly string?[] Invoices = ["536365", "536365", "536366", null, "536367", "536368", "536368", "536369", "536370", "536371", "536372"];
    private static readonly int[] Quantities = [6, -2, 1, 1, 3, 12, 2, 4, 5, 1, 7];
    private static readonly double[] Prices = [2.55, 0.1, 0, 1, double.NaN, 3.39, 1.85, 7.95, 4.25, -11062.06, 2.1];
    private static readonly decimal?[] Discounts = [null, 0.05m, null, null, null, 1.00m, null, null, null, null, 0.5m];
    private static readonly double?[] Buyers = [17850.0, 17850.0, null, 13047, 13047, 12583.0, 12583.0, null, 15100, null, 17850];
    private static readonly long[] Extras = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly int[] GroupSizes = [3, 4, 1, 3];

    private static DateTime At(int i) => new(2026, 3, 1 + i, 8, 26, 0, DateTimeKind.Unspecified);

    private static async Task<string> WriteTypedAsync(TempDir dir, bool withExtra = true)
    {
        var invoice = new DataField<string>("Invoice");
        var sku = new DataField<string>("Sku");
        var qty = new DataField<int>("Qty");
        var price = new DataField<double>("Price");
        var off = new DecimalDataField("Off", 18, 2, isNullable: true);
        var at = new DateTimeDataField("At", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros);
        var buyer = new DataField<double?>("Buyer");
        var region = new DataField<string>("Region");
        var extra = new DataField<long>("Extra");
        List<DataField> fields = [invoice, sku, qty, price, off, at, buyer, region];
        if (withExtra)
        {
            fields.Add(extra);
        }

        var path = Path.Combine(dir.Path, "typed.parquet");
        using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        var start = 0;
        foreach (var size in GroupSizes)
        {
            var range = Enumerable.Range(start, size).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(invoice, [.. range.Select(i => Invoices[i])]);
            await group.WriteAsync(sku, [.. range.Select(i => i == 8 ? null : $"8512{i}A")]);
            await group.WriteAsync<int>(qty, range.Select(i => Quantities[i]).ToArray().AsMemory());
            await group.WriteAsync<double>(price, range.Select(i => Prices[i]).ToArray().AsMemory());
            await group.WriteAsync<decimal>(off, range.Select(i => Discounts[i]).ToArray().AsMemory());
            await group.WriteAsync<DateTime>(at, range.Select(At).ToArray().AsMemory());
            await group.WriteAsync<double>(buyer, range.Select(i => Buyers[i]).ToArray().AsMemory());
            await group.WriteAsync(region, [.. range.Select(i => i % 2 == 0 ? "EMEA" : " NA ")]);
            if (withExtra)
            {
                await group.WriteAsync<long>(extra, range.Select(i => Extras[i]).ToArray().AsMemory());
            }

            start += size;
        }

        return path;
    }

    [Fact]
    public async Task Parquet_TypedColumns_MapAcrossRowGroups()
    {
        using var dir = new TempDir();
        var path = await WriteTypedAsync(dir);
        await using var reader = await LineSource.Create("p", Options).OpenAsync(path);
        var rows = await Sources.ReadRestAsync(reader, chunk: 2);

        Assert.Equal(["Invoice", "Sku", "Qty", "Price", "Off", "At", "Buyer", "Region", "Extra"], reader.Columns);
        Assert.Equal(["Extra"], reader.UnmappedColumns);
        Assert.Empty(reader.MissingColumns);
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), rows.Select(r => r.RowNumber));
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Equal(Invoices[i], row.OrderId);
            if (Invoices[i] is null)
            {
                Assert.Equal("missing order_id (column 'Invoice' is empty)", row.Rejection);
                continue;
            }

            if (double.IsNaN(Prices[i]))
            {
                Assert.Equal("column 'Price' (unit_price): 'NaN' is not a finite number", row.Rejection);
                continue;
            }

            if (i == 8)
            {
                Assert.Equal("missing product_id (column 'Sku' is empty)", row.Rejection);
                continue;
            }

            var line = row.Mapped();
            Assert.Equal(new LineRecord
            {
                OrderId = Invoices[i]!,
                ProductId = $"8512{i}A",
                Quantity = Quantities[i],
                UnitPrice = decimal.Parse(Prices[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture),
                Discount = Discounts[i] ?? 0m,
                OrderTime = new DateTimeOffset(At(i), TimeSpan.Zero),
                CustomerId = Buyers[i] is { } b ? ((long)b).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                Region = i % 2 == 0 ? "EMEA" : "NA",
            }, line);
            Assert.Equal(new Dictionary<string, string> { ["Extra"] = Extras[i].ToString(System.Globalization.CultureInfo.InvariantCulture) }, row.Rescued);
        }

        Assert.Equal("17850", rows[0].Mapped().CustomerId);
        Assert.Equal(-11062.06m, rows[9].Mapped().UnitPrice);
    }

    [Fact]
    public async Task Parquet_Raw_IsACompactJsonObjectOfTheRow()
    {
        using var dir = new TempDir();
        var rows = await Sources.ReadAllAsync(LineSource.Create("p", Options), await WriteTypedAsync(dir));

        using var first = JsonDocument.Parse(rows[0].Raw);
        var root = first.RootElement;
        Assert.Equal("536365", root.GetProperty("Invoice").GetString());
        Assert.Equal(6, root.GetProperty("Qty").GetInt32());
        Assert.Equal(2.55m, root.GetProperty("Price").GetDecimal());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("Off").ValueKind);
        Assert.Equal("2026-03-01T08:26:00", root.GetProperty("At").GetString());
        Assert.Equal(17850, root.GetProperty("Buyer").GetDouble());
        Assert.Equal(1, root.GetProperty("Extra").GetInt64());
        Assert.DoesNotContain(' ', rows[0].Raw.Replace(" NA ", "", StringComparison.Ordinal));
        Assert.Equal("NaN", JsonDocument.Parse(rows[4].Raw).RootElement.GetProperty("Price").GetString());
    }

    [Fact]
    public async Task Parquet_ResumeAtEveryRowAndChunkBoundary_EqualsOneFullRead()
    {
        using var dir = new TempDir();
        var path = await WriteTypedAsync(dir);
        var source = LineSource.Create("p", Options);
        var full = (await Sources.ReadAllAsync(source, path)).Select(ResumeTests.Fingerprint).ToList();
        Assert.Equal(11, full.Count);

        for (var start = 0; start <= 12; start++)
        {
            foreach (var chunk in new[] { 1, 2, 3, 5, 11 })
            {
                var resumed = (await Sources.ReadAllAsync(source, path, start, chunk)).Select(ResumeTests.Fingerprint).ToList();
                Assert.Equal(full.Skip(start).ToList(), resumed);
            }
        }

        foreach (var chunk in new[] { 1, 2, 3, 4, 7, 10, 11, 12 })
        {
            Assert.Equal(full, await ResumeTests.ReadWithRestartsAsync(source, path, chunk));
        }
    }

    [Fact]
    public async Task Parquet_StringColumns_UseTheTextRules()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "strings.parquet");
        var names = new[] { "Invoice", "Sku", "Qty", "Price", "At", "Buyer" };
        var fields = names.Select(n => new DataField<string>(n)).ToArray();
        string?[][] rows =
        [
            ["536365.0", "85123A", "2.0", "2.55", "01/12/2026 08:26", "17850.0"],
            ["536366", "22633", "2.5", "1.85", "01/12/2026 08:28", null],
            ["536367", "22632", "3", "1,85", "01/12/2026 08:28", null],
            ["536368", "22631", "3", "1.85", "2026-12-01 08:28", ""],
        ];
        using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                await group.WriteAsync(fields[c], [.. rows.Select(r => r[c])]);
            }
        }

        var options = new LineSourceOptions
        {
            Format = LineSourceFormat.Parquet,
            TimestampFormat = "dd/MM/yyyy HH:mm",
            TimeZone = "Europe/London",
            Columns = { ["order_id"] = "invoice", ["product_id"] = "SKU", ["quantity"] = "Qty", ["unit_price"] = "Price", ["order_time"] = "At", ["customer_id"] = "Buyer" },
        };
        var read = await Sources.ReadAllAsync(LineSource.Create("p", options), path);

        var first = read[0].Mapped();
        Assert.Equal(("536365", "85123A", 2, 2.55m, "17850"), (first.OrderId, first.ProductId, first.Quantity, first.UnitPrice, first.CustomerId));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 26, 0, TimeSpan.Zero), first.OrderTime);
        Assert.Equal("column 'Qty' (quantity): '2.5' is not a whole number", read[1].Rejection);
        Assert.Equal("column 'Price' (unit_price): '1,85' is not a number", read[2].Rejection);
        Assert.Equal("column 'At' (order_time): '2026-12-01 08:28' is not a timestamp of format 'dd/MM/yyyy HH:mm'", read[3].Rejection);
        Assert.Equal("536368", read[3].OrderId);
    }

    [Fact]
    public async Task Parquet_UtcTimestamps_AreInstantsShownInTheZone()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "utc.parquet");
        var fields = new DataField[]
        {
            new DataField<string>("o"), new DataField<string>("p"), new DataField<long>("q"), new DecimalDataField("u", 10, 2),
            new DateTimeDataField("t", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros),
        };
        using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync((DataField<string>)fields[0], ["a", "b"]);
            await group.WriteAsync((DataField<string>)fields[1], ["x", "y"]);
            await group.WriteAsync<long>(fields[2], new long[] { 1, 3_000_000_000 }.AsMemory());
            await group.WriteAsync<decimal>(fields[3], new[] { 1.5m, 2m }.AsMemory());
            await group.WriteAsync<DateTime>(fields[4], new[] { new DateTime(2026, 7, 15, 2, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 15, 2, 0, 0, DateTimeKind.Utc) }.AsMemory());
        }

        var options = new LineSourceOptions
        {
            Format = LineSourceFormat.Parquet,
            TimeZone = "America/New_York",
            Columns = { ["order_id"] = "o", ["product_id"] = "p", ["quantity"] = "q", ["unit_price"] = "u", ["order_time"] = "t" },
        };
        var rows = await Sources.ReadAllAsync(LineSource.Create("p", options), path);

        Assert.Equal(new DateTimeOffset(2026, 7, 14, 22, 0, 0, TimeSpan.FromHours(-4)), rows[0].Mapped().OrderTime);
        Assert.Equal(TimeSpan.FromHours(-4), rows[0].Mapped().OrderTime.Offset);
        Assert.Equal(new DateOnly(2026, 7, 14), rows[0].Mapped().OrderDate);
        Assert.Equal("column 'q' (quantity): '3000000000' is out of range", rows[1].Rejection);
    }

    [Fact]
    public async Task Parquet_DateAndNumberTimeColumns_AreMidnightAndRejected()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "dates.parquet");
        var fields = new DataField[] { new DataField<string>("o"), new DataField<int>("q"), new DataField<float>("u"), new DataField<DateOnly>("d"), new DataField<long>("epoch") };
        using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync((DataField<string>)fields[0], ["a", "b"]);
            await group.WriteAsync<int>(fields[1], new[] { 1, 2 }.AsMemory());
            await group.WriteAsync<float>(fields[2], new[] { 2.5f, float.PositiveInfinity }.AsMemory());
            await group.WriteAsync<DateOnly>(fields[3], new[] { new DateOnly(2026, 1, 15), new DateOnly(2026, 7, 15) }.AsMemory());
            await group.WriteAsync<long>(fields[4], new[] { 1_768_435_200L, 1_768_435_200L }.AsMemory());
        }

        LineSourceOptions Mapping(string time) => new()
        {
            Format = LineSourceFormat.Parquet,
            TimeZone = "Europe/Berlin",
            Columns = { ["order_id"] = "o", ["product_id"] = "o", ["quantity"] = "q", ["unit_price"] = "u", ["order_time"] = time },
        };
        var byDate = await Sources.ReadAllAsync(LineSource.Create("p", Mapping("d")), path);
        var byNumber = await Sources.ReadAllAsync(LineSource.Create("p", Mapping("epoch")), path);

        Assert.Equal(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.FromHours(1)), byDate[0].Mapped().OrderTime);
        Assert.Equal(2.5m, byDate[0].Mapped().UnitPrice);
        Assert.Equal("column 'u' (unit_price): 'Infinity' is not a finite number", byDate[1].Rejection);
        Assert.Equal("column 'epoch' (order_time): '1768435200' is a number, not a timestamp", byNumber[0].Rejection);
    }

    [Fact]
    public async Task Parquet_MissingRequiredColumn_RejectsEveryRow()
    {
        using var dir = new TempDir();
        var path = await WriteTypedAsync(dir, withExtra: false);
        var options = new LineSourceOptions { Format = LineSourceFormat.Parquet, Columns = new(Options.Columns) { ["quantity"] = "Units", ["country"] = "Land" } };
        await using var reader = await LineSource.Create("p", options).OpenAsync(path);
        var rows = await Sources.ReadRestAsync(reader);

        Assert.Equal(["Units", "Land"], reader.MissingColumns);
        Assert.Equal(["Qty"], reader.UnmappedColumns);
        Assert.Equal("column 'Units' (quantity) is missing in this file", reader.FileRejection);
        Assert.Equal(11, rows.Count);
        Assert.All(rows, r => Assert.Equal(reader.FileRejection, r.Rejection));
        Assert.Equal(Invoices, rows.Select(r => r.OrderId));
    }

    [Fact]
    public async Task Parquet_GarbageFile_ThrowsLineFileException()
    {
        using var dir = new TempDir();
        var source = LineSource.Create("p", Options);
        var garbage = dir.File("garbage.parquet", "this is not parquet at all"u8.ToArray());
        var error = await Assert.ThrowsAsync<LineFileException>(async () => await source.OpenAsync(garbage));
        Assert.Contains("not a readable Parquet file", error.Message, StringComparison.Ordinal);

        var fake = dir.File("fake.parquet", "PAR1 garbage between magic PAR1"u8.ToArray());
        await Assert.ThrowsAsync<LineFileException>(async () => await source.OpenAsync(fake));

        var good = await File.ReadAllBytesAsync(await WriteTypedAsync(dir));
        var truncated = dir.File("truncated.parquet", good[..(good.Length / 2)]);
        await Assert.ThrowsAsync<LineFileException>(async () => await source.OpenAsync(truncated));

        // Footer intact, data pages overwritten: fails while reading, as a file error.
        var damaged = (byte[])good.Clone();
        Array.Fill(damaged, (byte)0xAB, 4, good.Length / 3);
        var path = dir.File("damaged.parquet", damaged);
        await Assert.ThrowsAsync<LineFileException>(async () =>
        {
            await using var reader = await source.OpenAsync(path);
            await Sources.ReadRestAsync(reader);
        });
    }
}
