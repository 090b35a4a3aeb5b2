using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace SalesPipeline.Generator;

/// <summary>The CSV, Parquet and mapping files of <see cref="LineExportGenerator"/>.</summary>
public sealed partial class LineExportGenerator
{
    private const int RowGroupSize = 10_000;

    private static readonly string[] BadQuantities = ["2,5", "two", "1.5"];
    private static readonly string[] BadPrices = ["1,234.50", "12.3.4", "€5"];
    private static readonly string[] BadDates = ["31/02/2026 10:00", "2026-13-45 25:61", "yesterday"];

    /// <summary>Name of the mapping file written next to the data (a leading '_' keeps the pipeline from reading it).</summary>
    public const string MappingFileName = "_mapping.yaml";

    private List<string> WriteCsv(List<Row>[] files)
    {
        var paths = new List<string>();
        var fields = new List<string>(16);
        for (var f = 0; f < files.Length; f++)
        {
            var drift = HasDrift(f);

            // Exports differ: the first file starts with a byte order mark, every other one ends lines with CRLF.
            var newLine = f % 2 == 1 ? "\r\n" : "\n";
            var path = Publish($"lines-{options.Seed}-{f + 1:D4}.csv", stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: f == 0), 1 << 16);
                WriteLine(writer, Header(drift), newLine);
                foreach (var row in files[f])
                {
                    fields.Clear();
                    CsvFields(row, drift, fields);
                    WriteLine(writer, fields, newLine);
                }
            });
            paths.Add(path);
        }

        return paths;
    }

    private static List<string> Header(bool drift)
    {
        var header = Columns.ToList();
        if (drift)
        {
            header.Insert(4, DriftColumn);
        }

        return header;
    }

    private static void CsvFields(Row row, bool drift, List<string> fields)
    {
        var inv = CultureInfo.InvariantCulture;
        fields.Add(row.InvoiceNo ?? "");
        fields.Add(row.LineId.ToString(inv));
        fields.Add(row.StockCode);
        fields.Add(row.Description ?? "");
        if (drift)
        {
            fields.Add(row.Promo ?? "");
        }

        fields.Add(row.Damage == Damage.BadQuantity ? BadQuantities[row.Variant] : row.Quantity.ToString(inv));
        fields.Add(row.Damage == Damage.BadPrice ? BadPrices[row.Variant] : row.UnitPrice.ToString(inv));
        if (!(row.Damage == Damage.WrongColumnCount && row.Variant == 0))
        {
            fields.Add(row.Discount?.ToString(inv) ?? "");
        }

        fields.Add(row.Damage == Damage.BadDate ? BadDates[row.Variant] : row.InvoiceDate.ToString(TimestampFormat, inv));
        fields.Add(row.Customer is not { } c ? "" : row.CustomerAsFloat ? c.ToString(inv) + ".0" : c.ToString(inv));
        fields.Add(row.Country);
        fields.Add(row.Region);
        fields.Add(row.Currency);
        fields.Add(row.Status);
        if (row.Damage == Damage.WrongColumnCount && row.Variant != 0)
        {
            fields.Add("");
        }
    }

    private static void WriteLine(StreamWriter writer, List<string> fields, string newLine)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var value = fields[i];
            if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                writer.Write(value);
                continue;
            }

            writer.Write('"');
            writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }

        writer.Write(newLine);
    }

    private List<string> WriteParquet(List<Row>[] files)
    {
        var paths = new List<string>();
        for (var f = 0; f < files.Length; f++)
        {
            var rows = files[f];
            var drift = HasDrift(f);
            paths.Add(Publish($"lines-{options.Seed}-{f + 1:D4}.parquet", stream => WriteParquetAsync(stream, rows, drift).GetAwaiter().GetResult()));
        }

        return paths;
    }

    /// <summary>Typed like a pandas export: integer quantity, floating-point prices and customer ids, a local timestamp.</summary>
    private static async Task WriteParquetAsync(Stream stream, List<Row> rows, bool drift)
    {
        var invoice = new DataField<string>("InvoiceNo");
        var lineId = new DataField<int>("LineId");
        var stock = new DataField<string>("StockCode");
        var description = new DataField<string>("Description");
        var promo = new DataField<string>(DriftColumn);
        var quantity = new DataField<int?>("Quantity");
        var price = new DataField<double>("UnitPrice");
        var discount = new DataField<double?>("Discount");
        var date = new DateTimeDataField("InvoiceDate", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true);
        var customer = new DataField<double?>("CustomerID");
        var country = new DataField<string>("Country");
        var region = new DataField<string>("Region");
        var currency = new DataField<string>("Currency");
        var status = new DataField<string>("Status");
        List<DataField> schemaFields = [invoice, lineId, stock, description, quantity, price, discount, date, customer, country, region, currency, status];
        if (drift)
        {
            schemaFields.Insert(4, promo);
        }

        var schema = new ParquetSchema(schemaFields);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        for (var start = 0; start < rows.Count || start == 0; start += RowGroupSize)
        {
            var part = rows.Skip(start).Take(RowGroupSize).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(invoice, [.. part.Select(r => r.InvoiceNo)]);
            await group.WriteAsync<int>(lineId, part.Select(r => r.LineId).ToArray().AsMemory());
            await group.WriteAsync(stock, [.. part.Select(r => r.Damage == Damage.WrongColumnCount ? null : r.StockCode)]);
            await group.WriteAsync(description, [.. part.Select(r => r.Description)]);
            if (drift)
            {
                await group.WriteAsync(promo, [.. part.Select(r => r.Promo)]);
            }

            await group.WriteAsync<int>(quantity, part.Select(r => r.Damage == Damage.BadQuantity ? null : (int?)r.Quantity).ToArray().AsMemory());
            await group.WriteAsync<double>(price, part.Select(r => r.Damage == Damage.BadPrice ? double.NaN : (double)r.UnitPrice).ToArray().AsMemory());
            await group.WriteAsync<double>(discount, part.Select(r => (double?)r.Discount).ToArray().AsMemory());
            await group.WriteAsync<DateTime>(date, part.Select(r => r.Damage == Damage.BadDate ? null : (DateTime?)r.InvoiceDate).ToArray().AsMemory());
            await group.WriteAsync<double>(customer, part.Select(r => (double?)r.Customer).ToArray().AsMemory());
            await group.WriteAsync(country, [.. part.Select(r => r.Country)]);
            await group.WriteAsync(region, [.. part.Select(r => r.Region)]);
            await group.WriteAsync(currency, [.. part.Select(r => r.Currency)]);
            await group.WriteAsync(status, [.. part.Select(r => r.Status)]);
        }
    }

    private void WriteMapping()
    {
        var csv = options.Format == GeneratorFormat.Csv;
        var text = new StringBuilder()
            .Append("# Source configuration for these files (docs/sources.md): merge into appsettings or set as environment variables.\n")
            .Append("SalesPipeline:\n  Sources:\n    generated:\n")
            .Append(CultureInfo.InvariantCulture, $"      Path: {Path.GetFullPath(options.OutputDirectory)}\n")
            .Append(CultureInfo.InvariantCulture, $"      Format: {(csv ? "csv" : "parquet")}\n");
        if (csv)
        {
            text.Append(CultureInfo.InvariantCulture, $"      TimestampFormat: \"{TimestampFormat}\"\n");
        }

        text.Append("      TimeZone: UTC\n      Columns:\n");
        foreach (var (field, column) in Mapping)
        {
            text.Append(CultureInfo.InvariantCulture, $"        {field}: {column}\n");
        }

        Publish(MappingFileName, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Writes under a temporary name and renames into place, as the pipeline expects.</summary>
    private string Publish(string name, Action<Stream> write)
    {
        var target = Path.Combine(options.OutputDirectory, name);
        var temp = Path.Combine(options.OutputDirectory, $".{name}.tmp");
        using (var stream = File.Create(temp))
        {
            write(stream);
        }

        File.Move(temp, target, overwrite: true);
        return target;
    }
}
