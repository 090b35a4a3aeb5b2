using System.Globalization;

namespace SalesPipeline.Cli.Output;

/// <summary>A plain text table: left-aligned text, right-aligned numbers.</summary>
internal static class Table
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        var cells = rows.Select(r => r.Select(Format).ToArray()).ToList();
        var numeric = headers.Select((_, i) => cells.Count > 0 && cells.All(r => IsNumber(r[i]))).ToArray();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", headers.Select((h, i) => Pad(h, widths[i], numeric[i]))).TrimEnd());
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => Pad(c, widths[i], numeric[i]))).TrimEnd());
        }

        if (cells.Count == 0)
        {
            output.WriteLine("(no rows)");
        }
    }

    private static string Pad(string text, int width, bool right) => right ? text.PadLeft(width) : text.PadRight(width);

    private static bool IsNumber(string text) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _);

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => m.ToString("#,0.00##########", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
