using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Cli.Output;
using SalesPipeline.Client;
using SalesPipeline.Delta;

namespace SalesPipeline.Cli.Commands;

/// <summary>
/// The lakehouse verbs: <c>sales snapshot</c>, <c>sales status --tables</c> and
/// <c>sales query regions --as-of-version N | --as-of TIMESTAMP</c> (answered from the Delta table).
/// The last two extend the existing commands: without the new options they behave exactly as before.
/// </summary>
internal static class LakehouseCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Snapshot());
        ExtendStatus(root.Subcommands.First(c => c.Name == "status"));
        ExtendRegions(root.Subcommands.First(c => c.Name == "query").Subcommands.First(c => c.Name == "regions"));
    }

    private static Command Snapshot()
    {
        var json = CliContext.JsonOption();
        var command = new Command("snapshot", "Write a Gold snapshot to the Delta tables now (the silo also does so every SnapshotInterval)") { json };
        command.SetAction(CliContext.Guard((parse, ct) => WithGrainsAsync(parse, ct, async grains =>
        {
            var result = await grains.GetGrain<IGoldSnapshotGrain>(0).SnapshotNowAsync();
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json.Serialize(result));
                return 0;
            }

            Console.WriteLine($"epoch {result.Epoch} in {result.ElapsedMs:F0} ms");
            Table.Write(Console.Out, ["table", "version", "committed", "partitions", "rows", "files", "bytes"],
                result.Tables.Select(t => new object?[] { t.Table, t.Version, t.Committed ? "yes" : "no", t.PartitionsReplaced, t.RowsWritten, t.FilesAdded, t.BytesWritten }));
            return 0;
        })));
        return command;
    }

    private static void ExtendStatus(Command status)
    {
        var tables = new Option<bool>("--tables") { Description = "Show the Delta snapshot tables: version, files, bytes, last snapshot time and lag" };
        var json = (Option<bool>)status.Options.First(o => o.Name == "--json");
        status.Options.Add(tables);
        var original = status.Action as System.CommandLine.Invocation.AsynchronousCommandLineAction
            ?? throw new InvalidOperationException("sales status has no asynchronous action");
        status.SetAction(CliContext.Guard(async (parse, ct) =>
        {
            if (!parse.GetValue(tables))
            {
                return await original.InvokeAsync(parse, ct);
            }

            return await WithGrainsAsync(parse, ct, async grains =>
            {
                var lake = await grains.GetGrain<IGoldSnapshotGrain>(0).GetLakehouseStatusAsync();
                if (parse.GetValue(json))
                {
                    Console.WriteLine(Json.Serialize(lake));
                    return 0;
                }

                Console.WriteLine($"delta root: {lake.Root}   snapshots: {(lake.Enabled ? "on" : "off")}   committed epoch: {lake.CommittedEpoch}");
                Table.Write(Console.Out, ["table", "version", "files", "bytes", "snapshot_epoch", "last_snapshot", "lag_epochs"],
                    lake.Tables.Select(t => new object?[] { t.Name, t.Version, t.Files, t.Bytes, t.SnapshotEpoch, t.LastSnapshotTime?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture), t.LagEpochs }));
                return 0;
            });
        }));
    }

    private static void ExtendRegions(Command regions)
    {
        var version = new Option<long?>("--as-of-version") { Description = "Answer from the gold/sales_by_region Delta table at this version" };
        var asOf = new Option<string?>("--as-of") { Description = "Answer from the gold/sales_by_region Delta table as of this time (ISO-8601, UTC unless an offset is given)" };
        var root = SqlCommands.DeltaRootOption();
        regions.Options.Add(version);
        regions.Options.Add(asOf);
        regions.Options.Add(root);
        var from = (Option<string?>)regions.Options.First(o => o.Name == "--from");
        var to = (Option<string?>)regions.Options.First(o => o.Name == "--to");
        var byDay = (Option<bool>)regions.Options.First(o => o.Name == "--by-day");
        var json = (Option<bool>)regions.Options.First(o => o.Name == "--json");
        var original = regions.Action as System.CommandLine.Invocation.AsynchronousCommandLineAction
            ?? throw new InvalidOperationException("sales query regions has no asynchronous action");
        regions.SetAction(CliContext.Guard(async (parse, ct) =>
        {
            var atVersion = parse.GetValue(version);
            var atTime = parse.GetValue(asOf);
            if (atVersion is null && atTime is null)
            {
                return await original.InvokeAsync(parse, ct);
            }

            if (atVersion is not null && atTime is not null)
            {
                throw new CliException("give --as-of-version or --as-of, not both");
            }

            var path = Path.Combine(parse.GetValue(root)!, "gold", "sales_by_region");
            if (!DeltaViews.IsDeltaTable(path))
            {
                throw new CliException($"no Delta table at {path} (set --delta-root)");
            }

            var table = await DeltaTable.OpenAsync(path, cancellationToken: ct);
            var snapshot = atVersion is { } v ? await table.GetSnapshotAsync(v, ct) : await table.GetSnapshotAsync(ParseTime(atTime!), ct);
            var rows = (await snapshot.ReadAllAsync(cancellationToken: ct))
                .Select(r => (Region: (string)r[0]!, Date: (DateOnly)r[1]!, Orders: (long)r[2]!, Units: (long)r[3]!, Sales: (decimal)r[4]!))
                .Where(r => (Date(parse.GetValue(from), "--from") is not { } f || r.Date >= f) && (Date(parse.GetValue(to), "--to") is not { } t || r.Date <= t))
                .ToList();
            var daily = parse.GetValue(byDay);
            var result = daily
                ? rows.OrderBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.Date).Select(r => new RegionAsOfRow(r.Region, r.Date, r.Orders, r.Units, r.Sales)).ToList()
                : [.. rows.GroupBy(r => r.Region, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new RegionAsOfRow(g.Key, null, g.Sum(r => r.Orders), g.Sum(r => r.Units), g.Sum(r => r.Sales)))];
            if (parse.GetValue(json))
            {
                Console.WriteLine(daily
                    ? Json.Serialize(result)
                    : Json.Serialize(result.Select(r => new { r.Region, r.Orders, r.Units, r.Sales })));
            }
            else
            {
                Console.Error.WriteLine($"gold_sales_by_region version {snapshot.Version} (committed {snapshot.CommitTimestamp?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)})");
                Table.Write(Console.Out, daily ? ["region", "order_date", "orders", "units", "sales"] : ["region", "orders", "units", "sales"],
                    result.Select(r => daily ? new object?[] { r.Region, r.OrderDate, r.Orders, r.Units, r.Sales } : [r.Region, r.Orders, r.Units, r.Sales]));
            }

            return 0;
        }));
    }

    /// <summary>Runs <paramref name="action"/> with a connected Orleans client (for grains the SDK does not wrap).</summary>
    private static Task<int> WithGrainsAsync(ParseResult parse, CancellationToken cancellationToken, Func<IClusterClient, Task<int>> action) =>
        CliContext.WithServicesAsync(parse, cancellationToken, services => action(services.GetRequiredService<IClusterClient>()));

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliException($"--as-of '{text}' is not a timestamp (e.g. 2026-03-01T12:00:00Z)");

    private static DateOnly? Date(string? text, string option) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new CliException($"{option} '{text}' is not a date (yyyy-MM-dd)");

    private sealed record RegionAsOfRow(string Region, DateOnly? OrderDate, long Orders, long Units, decimal Sales);
}
