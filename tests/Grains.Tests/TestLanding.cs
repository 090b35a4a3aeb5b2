using System.Text;

namespace SalesPipeline.Grains.Tests;

/// <summary>Hand-written landing files, published the way writers must: under a temporary name, then renamed into place.</summary>
internal static class TestLanding
{
    /// <summary>The column names of <see cref="Csv"/> files are the pipeline fields' own names, mapped one to one.</summary>
    public static readonly IReadOnlyDictionary<string, string> Mapping = new Dictionary<string, string>
    {
        ["order_id"] = "order_id",
        ["product_id"] = "product_id",
        ["quantity"] = "quantity",
        ["unit_price"] = "unit_price",
        ["order_time"] = "order_time",
        ["customer_id"] = "customer_id",
        ["region"] = "region",
    };

    public const string Header = "order_id,product_id,quantity,unit_price,order_time,customer_id,region";

    /// <summary>Format of the <c>order_time</c> column of these files.</summary>
    public const string TimestampFormat = "yyyy-MM-dd HH:mm";

    /// <summary>A header and its rows, one line each.</summary>
    public static string Csv(string header, params IEnumerable<string> rows) => header + "\n" + string.Concat(rows.Select(r => r + "\n"));

    /// <summary>Writes <paramref name="content"/> as <paramref name="name"/>, atomically replacing a file of that name.</summary>
    public static void Publish(string folder, string name, string content)
    {
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "." + name + ".tmp");
        File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, Path.Combine(folder, name), overwrite: true);
    }

    /// <summary>Settings of a csv source named <c>test</c> reading <see cref="Csv"/> files with <paramref name="rules"/> (name, condition, action).</summary>
    public static Dictionary<string, string?> CsvSource(string landing, int chunkLines, params (string Name, string Condition, string Action)[] rules)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SalesPipeline:Sources:test:Path"] = landing,
            ["SalesPipeline:Sources:test:Format"] = "csv",
            ["SalesPipeline:Sources:test:TimestampFormat"] = TimestampFormat,
            ["SalesPipeline:ChunkLines"] = chunkLines.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (field, column) in Mapping)
        {
            settings[$"SalesPipeline:Sources:test:Columns:{field}"] = column;
        }

        for (var i = 0; i < rules.Length; i++)
        {
            settings[$"SalesPipeline:Sources:test:Expectations:{i}:Name"] = rules[i].Name;
            settings[$"SalesPipeline:Sources:test:Expectations:{i}:Condition"] = rules[i].Condition;
            settings[$"SalesPipeline:Sources:test:Expectations:{i}:Action"] = rules[i].Action;
        }

        return settings;
    }
}
