using System.Globalization;
using Microsoft.Extensions.Logging;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Delta;

namespace SalesPipeline.Grains.Export;

/// <summary>
/// Writes the Bronze or Silver layer of the last committed epoch as a Delta table (one atomic overwrite).
/// Reentrant so that progress can be asked while an export runs; a second export of the same layer is refused.
/// </summary>
[GrainType("sp.export.layer")]
[Orleans.Concurrency.Reentrant]
internal sealed partial class LayerExportGrain(CommittedLayersReader reader, TimeProvider time, ILogger<LayerExportGrain> logger) : Grain, ILayerExportGrain
{
    private LayerExportProgress? progress;
    private long startedAt;

    public static readonly DeltaSchema BronzeSchema = new(
        new DeltaField("source", DeltaDataType.String, Nullable: false),
        new DeltaField("file", DeltaDataType.String, Nullable: false),
        new DeltaField("line", DeltaDataType.Long, Nullable: false),
        new DeltaField("ingest_time", DeltaDataType.Timestamp, Nullable: false),
        new DeltaField("order_id", DeltaDataType.String),
        new DeltaField("raw", DeltaDataType.String, Nullable: false),
        new DeltaField("parse_status", DeltaDataType.String, Nullable: false),
        new DeltaField("reason", DeltaDataType.String));

    public static readonly DeltaSchema SilverSchema = new(
        new DeltaField("order_id", DeltaDataType.String, Nullable: false),
        new DeltaField("line_number", DeltaDataType.Integer, Nullable: false),
        new DeltaField("event_id", DeltaDataType.String, Nullable: false),
        new DeltaField("sequence", DeltaDataType.Long, Nullable: false),
        new DeltaField("status", DeltaDataType.String, Nullable: false),
        new DeltaField("order_time", DeltaDataType.Timestamp, Nullable: false),
        new DeltaField("order_date", DeltaDataType.Date, Nullable: false),
        new DeltaField("customer_id", DeltaDataType.String),
        new DeltaField("region", DeltaDataType.String, Nullable: false),
        new DeltaField("country", DeltaDataType.String),
        new DeltaField("currency", DeltaDataType.String, Nullable: false),
        new DeltaField("channel", DeltaDataType.String),
        new DeltaField("product_id", DeltaDataType.String, Nullable: false),
        new DeltaField("product_name", DeltaDataType.String),
        new DeltaField("quantity", DeltaDataType.Integer, Nullable: false),
        new DeltaField("unit_price", DeltaDataType.Decimal(28, 10), Nullable: false),
        new DeltaField("discount", DeltaDataType.Decimal(28, 10), Nullable: false),
        new DeltaField("line_amount", DeltaDataType.Decimal(18, 2), Nullable: false),
        new DeltaField("contributes", DeltaDataType.Boolean, Nullable: false));

    public async Task<LayerExportResult> ExportAsync(string layer, string path, DateTimeOffset? since)
    {
        var schema = layer switch
        {
            "bronze" => BronzeSchema,
            "silver" => SilverSchema,
            _ => throw new ArgumentException($"layer '{layer}' is not exported by this grain (bronze, silver)", nameof(layer)),
        };
        if (progress is not null)
        {
            throw new InvalidOperationException($"an export of {layer} is already running");
        }

        startedAt = time.GetTimestamp();
        progress = new LayerExportProgress("reading", 0, 0, 0, TimeSpan.Zero);
        try
        {
            return await RunAsync(layer, schema, path, since);
        }
        finally
        {
            progress = null;
        }
    }

    public Task<LayerExportProgress> GetProgressAsync() =>
        Task.FromResult(progress is { } p ? p with { Elapsed = time.GetElapsedTime(startedAt) } : new LayerExportProgress("idle", 0, 0, 0, TimeSpan.Zero));

    private async Task<LayerExportResult> RunAsync(string layer, DeltaSchema schema, string path, DateTimeOffset? since)
    {
        var started = startedAt;
        // SQLite reads complete synchronously: run them off the grain's scheduler so it stays free to answer progress.
        var (epoch, rows) = await Task.Run(() => reader.ReadAsync(
            layer, since, (done, total, records) => Volatile.Write(ref progress, new LayerExportProgress("reading", done, total, records, TimeSpan.Zero)), CancellationToken.None));
        progress = new LayerExportProgress("writing", rows.Count, rows.Count, rows.Count, TimeSpan.Zero);
        var table = await DeltaTable.CreateOrOpenAsync(path, schema, partitionColumns: []);
        var result = await Task.Run(() => table.OverwriteAsync(rows, options: new DeltaWriteOptions
        {
            CommitInfo = new Dictionary<string, string>
            {
                ["salesPipeline.export"] = layer,
                ["salesPipeline.epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                ["salesPipeline.since"] = since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "",
                ["salesPipeline.records"] = rows.Count.ToString(CultureInfo.InvariantCulture),
            },
        }));
        var elapsed = time.GetElapsedTime(started);
        LogExported(logger, layer, rows.Count, epoch, path, elapsed.TotalMilliseconds);
        return new LayerExportResult(result.Version, rows.Count, epoch, elapsed);
    }

    [LoggerMessage(400, LogLevel.Information, "Exported {Layer}: {Records} records of epoch {Epoch} to {Path} in {ElapsedMs:F0} ms")]
    private static partial void LogExported(ILogger logger, string layer, long records, long epoch, string path, double elapsedMs);
}
