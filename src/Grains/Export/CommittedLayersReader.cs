using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Orders;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Export;

/// <summary>
/// Reads Bronze and Silver rows of the last committed epoch straight from the pipeline's SQLite store in
/// one read transaction (a consistent cut; no grain activated, ingestion goes on meanwhile). Bronze is every
/// order's log plus the records that named no order (kept only in quarantine), so its count equals
/// <c>sales status</c>' Bronze records at that epoch.
/// </summary>
internal sealed class CommittedLayersReader(string connectionString, Serializer serializer)
{
    private const string OrderPrefix = StateKeys.OrderPrefix;

    /// <summary>Reads the layer's rows; <paramref name="progress"/> gets (order states read, order states in all, rows so far).</summary>
    public async Task<(long Epoch, List<object?[]> Rows)> ReadAsync(string layer, DateTimeOffset? since, Action<long, long, long> progress, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        long epoch;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT COALESCE(MAX(epoch), 0) FROM sp_checkpoint";
            epoch = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        long total;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM sp_grain_state WHERE state_key >= $from AND state_key < $to";
            command.Parameters.AddWithValue("$from", OrderPrefix);
            command.Parameters.AddWithValue("$to", OrderPrefix[..^1] + "0");
            total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var rows = new List<object?[]>();
        long done = 0;
        progress(0, total, 0);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT state_key, payload FROM sp_grain_state WHERE state_key >= $from AND state_key < $to";
            command.Parameters.AddWithValue("$from", OrderPrefix);
            command.Parameters.AddWithValue("$to", OrderPrefix[..^1] + "0"); // '0' sorts right after '/'
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var orderId = reader.GetString(0)[OrderPrefix.Length..];
                var state = StatePayload.Decode<OrderState>(serializer, (byte[])reader[1]) ?? throw new InvalidDataException($"order state {orderId} deserialized to null");
                if (layer == "bronze")
                {
                    rows.AddRange(state.Bronze.Where(b => since is null || b.IngestTime >= since).Select(b => Bronze(b, orderId)));
                }
                else if (state.Current is { } current && (since is null || state.Bronze.Any(b => b.IngestTime >= since)))
                {
                    rows.AddRange(current.Lines.Select((line, i) => Silver(current, line, i + 1)));
                }

                if (++done % 1000 == 0)
                {
                    progress(done, total, rows.Count);
                }
            }
        }

        progress(done, total, rows.Count);

        if (layer == "bronze")
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT source, file, line, raw, reason, ingest_time FROM sp_quarantine WHERE order_id IS NULL";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var ingest = DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture);
                if (since is null || ingest >= since)
                {
                    var entry = new BronzeEntry(new RecordOrigin(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), ingest, reader.GetString(3), RecordOutcome.Quarantined, reader.GetString(4));
                    rows.Add(Bronze(entry, null));
                }
            }
        }

        return (epoch, rows);
    }

    private static object?[] Bronze(BronzeEntry entry, string? orderId) =>
    [
        entry.Origin.Source, entry.Origin.File, entry.Origin.Line, entry.IngestTime.UtcDateTime, orderId, entry.Raw,
        entry.Outcome.ToString().ToLowerInvariant(), entry.Reason,
    ];

    private static object?[] Silver(OrderEvent order, OrderLine line, int lineNumber) =>
    [
        order.OrderId, lineNumber, order.EventId, order.Sequence, order.Status.ToString().ToLowerInvariant(), order.OrderTime.UtcDateTime,
        order.OrderDate, order.CustomerId, order.Region, order.Country, order.Currency, order.Channel, line.ProductId, line.ProductName,
        line.Quantity, line.UnitPrice, line.Discount, line.Amount, Domain.Contribution.Contributes(order),
    ];
}
