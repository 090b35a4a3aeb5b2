using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SalesPipeline.Delta;

namespace SalesPipeline.Cli.Delta;

/// <summary><c>sales delta …</c>: read, history, optimize and vacuum a Delta Lake table on the local file system.</summary>
internal static class DeltaCommands
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var delta = new Command("delta", "Read and maintain Delta Lake tables");
        delta.Subcommands.Add(Read());
        delta.Subcommands.Add(History());
        delta.Subcommands.Add(Optimize());
        delta.Subcommands.Add(Vacuum());
        return delta;
    }

    private static Argument<string> PathArgument() => new("PATH") { Description = "Table directory" };

    private static Command Read()
    {
        var path = PathArgument();
        var version = new Option<long?>("--version") { Description = "Read this version (time travel)" };
        var timestamp = new Option<string?>("--timestamp") { Description = "Read the latest version committed at or before this ISO-8601 time" };
        var format = new Option<string>("--format") { Description = "jsonl or csv", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var limit = new Option<int?>("--limit") { Description = "Print at most N rows" };
        var command = new Command("read", "Print the rows of a table snapshot") { path, version, timestamp, format, limit };
        command.SetAction(Guard(async (parse, ct) =>
        {
            var table = await DeltaTable.OpenAsync(parse.GetValue(path)!, cancellationToken: ct);
            var v = parse.GetValue(version);
            var t = parse.GetValue(timestamp);
            if (v is not null && t is not null) throw new ArgumentException("--version and --timestamp are mutually exclusive.");
            if (parse.GetValue(limit) is < 0) throw new ArgumentException("--limit must not be negative.");
            DeltaSnapshot snapshot;
            if (v is { } n) snapshot = await table.GetSnapshotAsync(n, ct);
            else if (t is not null)
            {
                if (!DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    throw new ArgumentException($"--timestamp '{t}' is not an ISO-8601 time.");
                snapshot = await table.GetSnapshotAsync(at, ct);
            }
            else snapshot = await table.GetSnapshotAsync(ct);
            var csv = parse.GetValue(format) == "csv";
            var max = parse.GetValue(limit) ?? int.MaxValue;
            var output = Console.Out;
            if (csv) await output.WriteLineAsync(DeltaRowFormatter.CsvHeader(snapshot.Schema));
            var count = 0;
            if (max > 0)
            {
                await foreach (var row in snapshot.ReadRowsAsync(cancellationToken: ct))
                {
                    await output.WriteLineAsync(csv ? DeltaRowFormatter.ToCsvLine(row) : DeltaRowFormatter.ToJsonLine(snapshot.Schema, row));
                    if (++count >= max) break;
                }
            }
            return 0;
        }));
        return command;
    }

    private static Command History()
    {
        var path = PathArgument();
        var json = new Option<bool>("--json") { Description = "One commitInfo JSON object per line" };
        var command = new Command("history", "List the table's commits, newest first") { path, json };
        command.SetAction(Guard(async (parse, ct) =>
        {
            var table = await DeltaTable.OpenAsync(parse.GetValue(path)!, cancellationToken: ct);
            var history = await table.GetHistoryAsync(ct);
            if (parse.GetValue(json))
            {
                foreach (var h in history)
                    await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new { version = h.Version, timestamp = h.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), operation = h.Operation, commitInfo = JsonDocument.Parse(h.CommitInfoJson).RootElement }, Json));
                return 0;
            }
            await Console.Out.WriteLineAsync($"{"version",8}  {"timestamp (UTC)",-24}  operation");
            foreach (var h in history)
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{h.Version,8}  {h.Timestamp.UtcDateTime,-24:yyyy-MM-dd HH:mm:ss.fff}  {h.Operation}"));
            return 0;
        }));
        return command;
    }

    private static Command Optimize()
    {
        var path = PathArgument();
        var command = new Command("optimize", "Bin-pack small files per partition (dataChange=false)") { path };
        command.SetAction(Guard(async (parse, ct) =>
        {
            var table = await DeltaTable.OpenAsync(parse.GetValue(path)!, cancellationToken: ct);
            var result = await table.OptimizeAsync(ct);
            await Console.Out.WriteLineAsync(result.Committed
                ? $"optimized: version {result.Version}, {result.FilesRemoved} files compacted into {result.FilesAdded}"
                : $"nothing to optimize (version {result.Version})");
            return 0;
        }));
        return command;
    }

    private static Command Vacuum()
    {
        var path = PathArgument();
        var retain = new Option<double?>("--retain") { Description = "Retention in hours (default 168; under 168 is refused without --force)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the files that would be deleted" };
        var force = new Option<bool>("--force") { Description = "Allow a retention under 168 hours" };
        var command = new Command("vacuum", "Delete data files no version within the retention references") { path, retain, dryRun, force };
        command.SetAction(Guard(async (parse, ct) =>
        {
            var table = await DeltaTable.OpenAsync(parse.GetValue(path)!, cancellationToken: ct);
            var hours = parse.GetValue(retain);
            var result = await table.VacuumAsync(hours is { } h ? TimeSpan.FromHours(h) : null, parse.GetValue(dryRun), parse.GetValue(force), ct);
            foreach (var f in result.Files) await Console.Out.WriteLineAsync(f);
            await Console.Error.WriteLineAsync(result.DryRun ? $"{result.Files.Count} files would be deleted" : $"{result.Files.Count} files deleted");
            return 0;
        }));
        return command;
    }

    /// <summary>Failures print one line on stderr and exit 1.</summary>
    private static Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, ct) =>
        {
            try
            {
                return await body(parse, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var message = ex.Message;
                var newline = message.IndexOfAny(['\r', '\n']);
                await Console.Error.WriteLineAsync("error: " + (newline < 0 ? message : message[..newline]));
                return 1;
            }
        };
}
