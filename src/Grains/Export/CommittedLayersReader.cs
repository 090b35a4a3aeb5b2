using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Orders;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Export;

/// <summary>
/// Reads Bronze and Silver rows of the last committed epoch straight from the pipeline's SQLite store in
/// one read transaction (a consistent cut; no grain activated, ingestion goes on meanwhile). Bronze is every
/// record of every Bronze chunk (with the outcome its order decided), so its count equals <c>sales status</c>'
/// Bronze records at that epoch.
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

        // Bronze lives in chunks (records as received) and its outcomes in the orders' references to them;
        // Silver in the order rows. Both layers read the order rows; Bronze then reads the chunks.
        var bronze = layer == "bronze";
        var total = await StateRows.CountAsync(connection, transaction, OrderPrefix, cancellationToken)
            + (bronze ? await StateRows.CountAsync(connection, transaction, StateKeys.BronzePrefix, cancellationToken) : 0);
        var rows = new List<object?[]>();
        var decided = new Dictionary<(long Chunk, int Index), RecordOutcome>();
        long done = 0;
        progress(0, total, 0);
        await foreach (var (orderId, payload) in StateRows.ReadAsync(connection, transaction, OrderPrefix, cancellationToken))
        {
            var state = StatePayload.Decode<OrderState>(serializer, payload);
            if (bronze)
            {
                rows.AddRange((state.LegacyBronze ?? []).Where(b => since is null || b.IngestTime >= since).Select(b => Bronze(b, orderId)));
                foreach (var reference in state.BronzeRefs)
                {
                    if (reference.Outcome != RecordOutcome.Applied)
                    {
                        decided[(reference.Chunk, reference.Index)] = reference.Outcome;
                    }
                }
            }
            else if (state.Current is { } current && (since is null || state.LastIngest >= since || (state.LegacyBronze?.Any(b => b.IngestTime >= since) ?? false)))
            {
                rows.AddRange(current.Lines.Select((line, i) => Silver(current, line, i + 1)));
            }

            if (++done % 1000 == 0)
            {
                progress(done, total, rows.Count);
            }
        }

        if (bronze)
        {
            await foreach (var (key, payload) in StateRows.ReadAsync(connection, transaction, StateKeys.BronzePrefix, cancellationToken))
            {
                var chunk = StatePayload.Decode<BronzeChunk>(serializer, payload);
                if (since is null || chunk.IngestTime >= since)
                {
                    var number = long.Parse(key, CultureInfo.InvariantCulture);
                    for (var i = 0; i < chunk.Records.Count; i++)
                    {
                        var record = chunk.Records[i];
                        var outcome = record.Verdict ?? decided.GetValueOrDefault((number, i), RecordOutcome.Applied);
                        rows.Add(Bronze(BronzeLog.ToEntry(chunk, record, outcome), record.OrderId));
                    }
                }

                if (++done % 100 == 0)
                {
                    progress(done, total, rows.Count);
                }
            }
        }

        progress(done, total, rows.Count);

        if (bronze)
        {
            // Records that named no order and were read before Bronze chunks existed are only in quarantine.
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                $"""
                SELECT source, file, line, raw, reason, ingest_time FROM sp_quarantine
                WHERE order_id IS NULL
                  AND epoch < COALESCE((SELECT MIN(epoch) FROM sp_grain_state WHERE {StateRows.UnderPrefix}), 9223372036854775807)
                """;
            StateRows.BindPrefix(command, StateKeys.BronzePrefix);
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
