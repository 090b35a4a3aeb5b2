using System.Text;

namespace SalesPipeline.Sources.Tests;

/// <summary>A folder deleted after the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sources-tests", Guid.NewGuid().ToString("N"));

    public string File(string name, string text, Encoding? encoding = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public string File(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Sources
{
    /// <summary>Mapping of the small hand-written CSV files in these tests.</summary>
    public static LineSourceOptions Csv(Action<LineSourceOptions>? configure = null)
    {
        var options = new LineSourceOptions
        {
            Path = "unused",
            Format = LineSourceFormat.Csv,
            Columns =
            {
                ["order_id"] = "Order",
                ["product_id"] = "Sku",
                ["product_name"] = "Title",
                ["quantity"] = "Qty",
                ["unit_price"] = "Price",
                ["order_time"] = "PlacedAt",
                ["customer_id"] = "Buyer",
            },
        };
        configure?.Invoke(options);
        return options;
    }

    public const string Header = "Order,Sku,Title,Qty,Price,PlacedAt,Buyer";

    public static async Task<List<MappedRow>> ReadAllAsync(LineSource source, string path, long startRow = 0, int chunk = 1000)
    {
        await using var reader = await source.OpenAsync(path, startRow);
        return await ReadRestAsync(reader, chunk);
    }

    public static async Task<List<MappedRow>> ReadRestAsync(ILineFileReader reader, int chunk = 1000)
    {
        var rows = new List<MappedRow>();
        while (true)
        {
            var next = await reader.ReadChunkAsync(chunk);
            rows.AddRange(next.Rows);
            Assert.Equal(reader.Position, next.Position);
            if (next.EndOfFile)
            {
                return rows;
            }
        }
    }

    public static async Task<MappedRow> ReadSingleAsync(LineSourceOptions options, string csv)
    {
        using var dir = new TempDir();
        var rows = await ReadAllAsync(LineSource.Create("test", options), dir.File("one.csv", csv));
        return Assert.Single(rows);
    }

    public static LineRecord Mapped(this MappedRow row)
    {
        Assert.True(row.Line is not null, $"row {row.RowNumber} rejected: {row.Rejection}");
        return row.Line!;
    }
}
