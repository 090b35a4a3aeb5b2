using System.Security.Cryptography;
using SalesPipeline.Generator;

namespace SalesPipeline.Sources.Tests;

/// <summary>The generator's exports, read back with the mapping it documents; expectations from its own counts.</summary>
public sealed class GeneratedExportTests
{
    private static LineSourceOptions MappingFor(GeneratorFormat format, string path)
    {
        var options = new LineSourceOptions
        {
            Path = path,
            Format = format == GeneratorFormat.Csv ? LineSourceFormat.Csv : LineSourceFormat.Parquet,
            TimestampFormat = format == GeneratorFormat.Csv ? LineExportGenerator.TimestampFormat : null,
        };
        foreach (var (field, column) in LineExportGenerator.Mapping)
        {
            options.Columns[field] = column;
        }

        return options;
    }

    [Theory]
    [InlineData(GeneratorFormat.Csv)]
    [InlineData(GeneratorFormat.Parquet)]
    public async Task Export_ReadBack_MatchesTheGeneratorsCounts(GeneratorFormat format)
    {
        using var dir = new TempDir();
        var summary = new OrderGenerator(new GeneratorOptions(1500, dir.Path, DirtyRate: 0.1, Seed: 9, Files: 4, Format: format)).Write();
        var options = MappingFor(format, dir.Path);
        Assert.Empty(LineSourceOptionsValidator.Validate("generated", options));
        var source = LineSource.Create("generated", options);
        var kinds = summary.Kinds!;

        var perFile = new List<(string File, List<MappedRow> Rows)>();
        foreach (var file in summary.Files)
        {
            await using var reader = await source.OpenAsync(file);
            Assert.Empty(reader.MissingColumns);
            Assert.Null(reader.FileRejection);
            var index = summary.Files.ToList().IndexOf(file);
            Assert.Equal(index % 3 == 2 ? [LineExportGenerator.DriftColumn] : [], reader.UnmappedColumns);
            perFile.Add((file, await Sources.ReadRestAsync(reader, chunk: 500)));
        }

        var rows = perFile.SelectMany(f => f.Rows).ToList();
        var lines = rows.Where(r => r.Line is not null).Select(r => r.Line!).ToList();
        Assert.Equal(summary.Lines, rows.Count);
        Assert.Equal(kinds["rejected_by_reader"], rows.Count(r => r.Rejection is not null));
        Assert.True(kinds["rejected_by_reader"] > 0);

        // Negative prices: the extra lines and the bad-debt adjustments; the pipeline rejects both.
        Assert.Equal(kinds["negative_price"] + kinds["bad_debt"], lines.Count(l => l.UnitPrice < 0));
        Assert.Equal(kinds["bad_debt"], lines.Count(l => l.ProductId == "B"));
        Assert.Equal(summary.BadLines, kinds["rejected_by_reader"] + lines.Count(l => l.UnitPrice < 0));

        // Valid lines: each (order, line) once, plus the exact duplicates.
        var valid = lines.Where(l => l.UnitPrice >= 0).ToList();
        Assert.Equal(summary.Events + summary.Duplicates, valid.Count);
        Assert.Equal(summary.Events, valid.Select(l => (l.OrderId, l.LineId)).Distinct().Count());
        var excess = perFile.Sum(f => f.Rows.Count - f.Rows.Select(r => r.Raw).Distinct().Count());
        Assert.Equal(summary.Duplicates, excess);

        var distinct = valid.DistinctBy(l => (l.OrderId, l.LineId)).ToList();
        Assert.Equal(kinds["cancelled_orders"], distinct.Where(l => l.Status == "cancelled").Select(l => l.OrderId).Distinct().Count());
        Assert.Equal(kinds["return_orders"], distinct.Where(l => l.OrderId.StartsWith('C')).Select(l => l.OrderId).Distinct().Count());
        Assert.All(distinct.Where(l => l.OrderId.StartsWith('C')), l => Assert.True(l.Quantity < 0));
        Assert.Equal(kinds["zero_price_lines"], distinct.Count(l => l.UnitPrice == 0 && !l.OrderId.StartsWith('C')));
        Assert.Equal(kinds["missing_customer_orders"], distinct.Where(l => l.CustomerId is null && !l.OrderId.StartsWith('C')).Select(l => l.OrderId).Distinct().Count());
        Assert.All(lines, l => Assert.DoesNotContain('.', l.CustomerId ?? ""));
        Assert.All(lines, l => Assert.Equal(TimeSpan.Zero, l.OrderTime.Offset));

        // Some orders have lines in two files.
        var filesPerOrder = perFile.SelectMany(f => f.Rows.Where(r => r.Line is not null).Select(r => (r.Line!.OrderId, f.File))).Distinct().GroupBy(p => p.OrderId);
        Assert.Contains(filesPerOrder, g => g.Count() > 1);

        // Schema drift: the extra column's values come back as rescued data.
        Assert.Contains(rows, r => r.Rescued?.ContainsKey(LineExportGenerator.DriftColumn) == true);
    }

    [Fact]
    public async Task CsvExport_HasEveryDirtyKind()
    {
        using var dir = new TempDir();
        var summary = new OrderGenerator(new GeneratorOptions(1500, dir.Path, DirtyRate: 0.1, Seed: 9, Files: 4, Format: GeneratorFormat.Csv)).Write();
        var rows = new List<MappedRow>();
        foreach (var file in summary.Files)
        {
            rows.AddRange(await Sources.ReadAllAsync(LineSource.Create("g", MappingFor(GeneratorFormat.Csv, dir.Path)), file));
        }

        Assert.All(summary.Kinds!, k => Assert.True(k.Value > 0, k.Key));
        Assert.Contains(rows, r => r.Rejection?.Contains("(quantity)", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.Rejection?.Contains("(unit_price)", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.Rejection?.Contains("(order_time)", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.Rejection?.StartsWith("expected 13 columns", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.Rejection?.StartsWith("missing order_id", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.Raw.Contains("17850.0", StringComparison.Ordinal) || r.Raw.Contains(".0,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Line?.ProductName?.Contains('\n') == true || r.Line?.ProductName?.Contains('"') == true);
        Assert.True(File.Exists(Path.Combine(dir.Path, LineExportGenerator.MappingFileName)));
    }

    [Theory]
    [InlineData(GeneratorFormat.Csv)]
    [InlineData(GeneratorFormat.Parquet)]
    public void Export_SameSeed_SameBytes(GeneratorFormat format)
    {
        using var a = new TempDir();
        using var b = new TempDir();
        using var c = new TempDir();
        var first = new OrderGenerator(new GeneratorOptions(400, a.Path, Seed: 5, Format: format)).Write();
        new OrderGenerator(new GeneratorOptions(400, b.Path, Seed: 5, Format: format)).Write();
        new OrderGenerator(new GeneratorOptions(400, c.Path, Seed: 6, Format: format)).Write();

        var names = first.Files.Select(Path.GetFileName).ToList();
        Assert.Equal(names.Select(n => Hash(a.Path, n!)), names.Select(n => Hash(b.Path, n!)));
        Assert.NotEqual(Hash(a.Path, names[0]!), Hash(c.Path, names[0]!.Replace("-5-", "-6-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Jsonl_DefaultFormat_IsUnchanged()
    {
        // Hashes of the files the generator wrote before the csv and parquet formats existed.
        using var dir = new TempDir();
        var summary = new OrderGenerator(new GeneratorOptions(300, dir.Path, DirtyRate: 0.2, Seed: 3, Files: 2)).Write();

        Assert.Equal(["orders-3-0001.jsonl", "orders-3-0002.jsonl"], summary.Files.Select(Path.GetFileName));
        Assert.Equal("cf651a2723026d3a6d63c05884a840cf934db894e58fce5701e6828d7dce056e", Hash(dir.Path, "orders-3-0001.jsonl"));
        Assert.Equal("1f8b7debd2149ce3e286049eb5aaf5f78220a2ebf063f4090e198095d9c2d6d0", Hash(dir.Path, "orders-3-0002.jsonl"));
        Assert.Null(summary.Kinds);
        Assert.False(File.Exists(Path.Combine(dir.Path, LineExportGenerator.MappingFileName)));
    }

    private static string Hash(string folder, string name) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name))));
}
