using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Delta;

namespace SalesPipeline.Cli.Commands;

/// <summary>
/// <c>sales export --layer bronze|silver|gold|quarantine --to PATH [--since TIMESTAMP]</c>: writes the layer as a Delta
/// table in one commit (an interrupted export publishes nothing; a rerun replaces the table whole, so it is always
/// one consistent export). Bronze and Silver come from the last committed epoch, written by the silo; Gold is a
/// fresh snapshot's tables copied at that version (docs/lakehouse.md).
/// </summary>
internal static class ExportCommands
{
    public static readonly DeltaSchema QuarantineSchema = new(
        new DeltaField("id", DeltaDataType.Long, Nullable: false),
        new DeltaField("source", DeltaDataType.String, Nullable: false),
        new DeltaField("file", DeltaDataType.String, Nullable: false),
        new DeltaField("line", DeltaDataType.Long, Nullable: false),
        new DeltaField("order_id", DeltaDataType.String),
        new DeltaField("reason", DeltaDataType.String, Nullable: false),
        new DeltaField("rule", DeltaDataType.String),
        new DeltaField("raw", DeltaDataType.String, Nullable: false),
        new DeltaField("raw_bytes", DeltaDataType.Long, Nullable: false),
        new DeltaField("ingest_time", DeltaDataType.Timestamp, Nullable: false));

    public static Command Create()
    {
        var layer = new Option<string>("--layer") { Description = "Layer to export: bronze, silver, gold or quarantine", Required = true };
        var to = new Option<string>("--to") { Description = "Delta table path to write", Required = true };
        var since = new Option<string?>("--since") { Description = "Only records ingested at or after this time (ISO-8601, UTC unless an offset is given)" };
        var command = new Command("export", "Export a layer as a Delta table (one atomic commit)") { layer, to, since };
        command.SetAction(CliContext.Guard((parse, ct) =>
        {
            var name = parse.GetValue(layer)!;
            if (name is not ("quarantine" or "bronze" or "silver" or "gold"))
            {
                throw new CliException($"--layer {name}: use bronze, silver, gold or quarantine");
            }

            var from = parse.GetValue(since) is { } text
                ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw new CliException($"--since '{text}' is not a timestamp")
                : (DateTimeOffset?)null;
            if (name == "gold")
            {
                var target = Path.GetFullPath(parse.GetValue(to)!);
                return CliContext.WithServicesAsync(parse, ct, services => ExportGoldAsync(services.GetRequiredService<IClusterClient>(), target, ct), responseTimeout: TimeSpan.FromHours(1));
            }

            if (name != "quarantine")
            {
                var path = Path.GetFullPath(parse.GetValue(to)!);
                return CliContext.WithServicesAsync(parse, ct, async services =>
                {
                    await Console.Error.WriteLineAsync($"exporting {name} of the last committed epoch to {path} …");
                    var grain = services.GetRequiredService<IClusterClient>().GetGrain<Abstractions.Grains.ILayerExportGrain>(name);
                    var export = grain.ExportAsync(name, path, from);
                    while (await Task.WhenAny(export, Task.Delay(TimeSpan.FromSeconds(1), ct)) != export)
                    {
                        await Console.Error.WriteLineAsync(Describe(await grain.GetProgressAsync()));
                    }

                    var result = await export;
                    var rate = result.Records / Math.Max(result.Elapsed.TotalSeconds, 0.001);
                    await Console.Error.WriteLineAsync($"exported {result.Records} {name} records of epoch {result.Epoch} to {path} (version {result.Version}) in {result.Elapsed.TotalSeconds:F1} s, {rate:F0} records/s");
                    return 0;
                }, responseTimeout: TimeSpan.FromHours(1));
            }

            return CliContext.WithClientAsync(parse, ct, async client =>
            {
                var records = await client.GetQuarantineAsync(null, int.MaxValue, ct);
                var result = await WriteQuarantineAsync(records, parse.GetValue(to)!, from, ct);
                await Console.Error.WriteLineAsync($"exported {result.Records} quarantined records to {parse.GetValue(to)} (version {result.Version})");
                return 0;
            });
        }));
        return command;
    }

    /// <summary>
    /// Gold: takes a snapshot of the last committed epoch now, then copies each Gold table at that version to
    /// <c>{target}/{table}</c> in one overwrite commit per table (same schema and partitioning), so the three
    /// exported tables hold the same epoch.
    /// </summary>
    internal static async Task<int> ExportGoldAsync(IClusterClient cluster, string target, CancellationToken cancellationToken)
    {
        var snapshots = cluster.GetGrain<Abstractions.Grains.IGoldSnapshotGrain>(0);
        var taken = await snapshots.SnapshotNowAsync();
        var lakehouse = await snapshots.GetLakehouseStatusAsync();
        var tables = lakehouse.Tables.Where(t => t.Name.StartsWith("gold_", StringComparison.Ordinal) && t.Version is not null).ToList();
        if (tables.Count == 0)
        {
            throw new CliException($"no Gold snapshot tables under {lakehouse.Root} (are snapshots enabled?)");
        }

        foreach (var table in tables)
        {
            var source = await (await DeltaTable.OpenAsync(table.Path, cancellationToken: cancellationToken)).GetSnapshotAsync(table.Version!.Value, cancellationToken);
            var rows = await source.ReadAllAsync(cancellationToken: cancellationToken);
            var path = Path.Combine(target, table.Name["gold_".Length..]);
            var copy = await DeltaTable.CreateOrOpenAsync(path, source.Schema, source.PartitionColumns, cancellationToken: cancellationToken);
            var result = await copy.OverwriteAsync(rows, options: new DeltaWriteOptions
            {
                CommitInfo = new Dictionary<string, string>
                {
                    ["salesPipeline.export"] = "gold",
                    ["salesPipeline.epoch"] = taken.Epoch.ToString(CultureInfo.InvariantCulture),
                    ["salesPipeline.source"] = $"{table.Path}@v{table.Version}",
                },
            }, cancellationToken: cancellationToken);
            await Console.Error.WriteLineAsync($"exported {rows.Count} rows of {table.Name} (epoch {taken.Epoch}) to {path} (version {result.Version})");
        }

        return 0;
    }

    /// <summary>One progress line: orders read of all, rows, rate and the time left for reading.</summary>
    private static string Describe(Abstractions.Grains.LayerExportProgress p)
    {
        var seconds = Math.Max(p.Elapsed.TotalSeconds, 0.001);
        if (p.Phase != "reading" || p.Total == 0)
        {
            return $"  {p.Phase}: {p.Records} records, {p.Elapsed.TotalSeconds:F0} s";
        }

        var rate = p.Done / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((p.Total - p.Done) / rate) : TimeSpan.Zero;
        return $"  reading: {p.Done}/{p.Total} orders ({100.0 * p.Done / p.Total:F0} %), {p.Records} records, {rate:F0} orders/s, ETA {eta:mm\\:ss}";
    }

    /// <summary>Replaces the table at <paramref name="path"/> with the records (ingested at or after <paramref name="since"/>) in one commit.</summary>
    public static async Task<(long Version, int Records)> WriteQuarantineAsync(IReadOnlyList<QuarantinedRecord> records, string path, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var rows = records
            .Where(r => since is null || r.IngestTime >= since)
            .Select(r => new object?[]
            {
                r.Id, r.Origin.Source, r.Origin.File, r.Origin.Line, r.OrderId, r.Reason, r.Rule, r.Raw, r.RawBytes, r.IngestTime.UtcDateTime,
            })
            .ToList();
        var table = await DeltaTable.CreateOrOpenAsync(path, QuarantineSchema, cancellationToken: cancellationToken);
        var options = new DeltaWriteOptions
        {
            CommitInfo = new Dictionary<string, string>
            {
                ["salesPipeline.export"] = "quarantine",
                ["salesPipeline.since"] = since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "",
                ["salesPipeline.records"] = rows.Count.ToString(CultureInfo.InvariantCulture),
            },
        };
        var result = await table.OverwriteAsync(rows, options: options, cancellationToken: cancellationToken);
        return (result.Version, rows.Count);
    }
}
