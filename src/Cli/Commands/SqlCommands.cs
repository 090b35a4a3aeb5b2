using System.CommandLine;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using SalesPipeline.Cli.Output;

namespace SalesPipeline.Cli.Commands;

/// <summary><c>sales sql "SELECT …"</c>: DuckDB over the project's Delta tables (no silo needed).</summary>
internal static class SqlCommands
{
    /// <summary>The Delta root: <c>--delta-root</c>, else $SALES_DELTA_ROOT, else <c>data/delta</c> (the silo's default).</summary>
    public static Option<string> DeltaRootOption() => new("--delta-root")
    {
        Description = "Root of the Delta tables (default: $SALES_DELTA_ROOT or data/delta)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SALES_DELTA_ROOT") is { Length: > 0 } r ? r : Path.Combine("data", "delta"),
    };

    public static Command Create()
    {
        var sql = new Argument<string>("query") { Description = "SQL to run (DuckDB dialect)" };
        var json = CliContext.JsonOption();
        var csv = new Option<bool>("--csv") { Description = "Print CSV instead of a table" };
        var deltaRoot = DeltaRootOption();
        var tables = new Option<string[]>("--table")
        {
            Description = "Register another Delta table as a view: NAME=PATH (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("sql", "Run SQL with DuckDB over the Delta tables (views: " + string.Join(", ", DeltaViews.Known.Select(k => k.Name)) + ")")
        {
            sql, json, csv, tables, deltaRoot,
        };
        command.SetAction(CliContext.Guard(async (parse, ct) =>
        {
            var format = parse.GetValue(json) ? "json" : parse.GetValue(csv) ? "csv" : "table";
            var extra = (parse.GetValue(tables) ?? []).Select(ParseTable).ToList();
            var result = await RunAsync(parse.GetValue(sql)!, parse.GetValue(deltaRoot)!, extra, ct);
            Write(Console.Out, result, format);
            return 0;
        }));
        return command;
    }

    /// <summary>Runs <paramref name="query"/> with a view per existing project table and per <paramref name="extra"/> table.</summary>
    public static async Task<SqlResult> RunAsync(string query, string deltaRoot, IReadOnlyList<(string Name, string Path)> extra, CancellationToken cancellationToken)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        foreach (var (name, relative) in DeltaViews.Known)
        {
            var path = Path.Combine(deltaRoot, relative);
            if (DeltaViews.IsDeltaTable(path))
            {
                await DeltaViews.RegisterAsync(connection, name, Path.GetFullPath(path), cancellationToken);
            }
        }

        foreach (var (name, path) in extra)
        {
            if (!DeltaViews.IsDeltaTable(path))
            {
                throw new CliException($"--table {name}: '{path}' is not a Delta table (no _delta_log)");
            }

            await DeltaViews.RegisterAsync(connection, name, Path.GetFullPath(path), cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = query;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return new SqlResult(columns, rows);
        }
        catch (DuckDBException ex)
        {
            // DuckDB's own message ("Parser Error: syntax error at or near …", "Catalog Error: …").
            throw new CliException(ex.Message.ReplaceLineEndings(" "));
        }
    }

    public static void Write(TextWriter output, SqlResult result, string format)
    {
        switch (format)
        {
            case "json":
                var objects = result.Rows.Select(r =>
                {
                    var o = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var i = 0; i < r.Length; i++)
                    {
                        o[result.Columns[i]] = r[i];
                    }

                    return o;
                });
                output.WriteLine(Json.Serialize(objects));
                break;
            case "csv":
                output.WriteLine(string.Join(',', result.Columns.Select(Csv)));
                foreach (var row in result.Rows)
                {
                    output.WriteLine(string.Join(',', row.Select(v => Csv(Text(v)))));
                }

                break;
            default:
                Table.Write(output, result.Columns, result.Rows.Select(r => r.Select(v => (object?)Text(v)).ToArray()));
                break;
        }
    }

    private static (string Name, string Path) ParseTable(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == value.Length - 1)
        {
            throw new CliException($"--table '{value}' is not NAME=PATH");
        }

        return (value[..equals], value[(equals + 1)..]);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime t => t.Kind == DateTimeKind.Utc ? t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>A query result: column names and rows of DuckDB values.</summary>
internal sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
