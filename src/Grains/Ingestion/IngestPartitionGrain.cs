using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Abstractions.Streaming;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Gold;
using SalesPipeline.Grains.Orders;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>Marker interface of the stream consumer; it has no callable methods.</summary>
internal interface IIngestPartitionGrain : IGrainWithStringKey;

/// <summary>
/// Consumer of one raw-records stream (one ingest partition). It hands each order its records, then
/// merges the differences the orders return and pushes them to the Gold and customer grains, one call
/// per key per batch rather than one per record. Orders of the same batch run concurrently; records of
/// one order stay in file order.
/// </summary>
[GrainType("sp.ingest.partition")]
[ImplicitStreamSubscription(StreamNames.RawRecords)]
internal sealed partial class IngestPartitionGrain(ILogger<IngestPartitionGrain> logger)
    : Grain, IIngestPartitionGrain, IStreamSubscriptionObserver, IAsyncObserver<IngestBatch>
{
    /// <summary>Customer ranking shards; a fixed count because a customer's shard must never move.</summary>
    public const int RankingShards = 16;

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<IngestBatch>().ResumeAsync(this);

    public async Task OnNextAsync(IngestBatch batch, StreamSequenceToken? token = null)
    {
        var partition = int.Parse(this.GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture);
        BatchOutcome outcome;
        try
        {
            outcome = await ProcessAsync(batch.Records);
        }
        catch (Exception ex)
        {
            // The coordinator stops ingestion without committing; a restart replays from the last commit.
            LogBatchFailed(logger, ex, batch.ChunkId, partition);
            outcome = new BatchOutcome(batch.Records.Length, 0, 0, 0, 0, ex.GetType().Name + ": " + ex.Message);
        }

        await batch.Ack.BatchDoneAsync(batch.ChunkId, partition, outcome);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private async Task<BatchOutcome> ProcessAsync(RawRecord[] records)
    {
        var byOrder = new Dictionary<string, List<RawRecord>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!byOrder.TryGetValue(record.OrderId, out var list))
            {
                byOrder[record.OrderId] = list = [];
            }

            list.Add(record);
        }

        var results = await Task.WhenAll(byOrder.Select(kv => GrainFactory.GetGrain<IOrderGrain>(kv.Key).ApplyAsync([.. kv.Value])));

        var regionDays = new Dictionary<string, GoldFigures>(StringComparer.Ordinal);
        var products = new Dictionary<string, ProductDelta>(StringComparer.Ordinal);
        var customers = new Dictionary<string, List<CustomerChange>>(StringComparer.Ordinal);
        int applied = 0, duplicates = 0, stale = 0, quarantined = 0;
        foreach (var result in results)
        {
            applied += result.Applied;
            duplicates += result.Duplicates;
            stale += result.Stale;
            quarantined += result.Quarantined;
            Merge(result, regionDays, products, customers);
        }

        // Gold and customers are independent: push both at once.
        var pushes = new List<Task>(regionDays.Count + products.Count + 1) { PushCustomersAsync(customers) };
        pushes.AddRange(regionDays.Where(kv => !kv.Value.IsZero).Select(kv => GrainFactory.GetGrain<IRegionDayGrain>(kv.Key).ApplyAsync(kv.Value)));
        pushes.AddRange(products.Select(kv => GrainFactory.GetGrain<IProductGrain>(kv.Key).ApplyAsync(kv.Value)));
        await Task.WhenAll(pushes);

        return new BatchOutcome(records.Length, applied, duplicates, stale, quarantined, null);
    }

    private static void Merge(
        OrderApplyResult result,
        Dictionary<string, GoldFigures> regionDays,
        Dictionary<string, ProductDelta> products,
        Dictionary<string, List<CustomerChange>> customers)
    {
        foreach (var (key, delta) in result.RegionDays ?? [])
        {
            regionDays.TryGetValue(key, out var existing);
            regionDays[key] = existing + delta;
        }

        foreach (var (key, delta) in result.Products ?? [])
        {
            if (products.TryGetValue(key, out var existing))
            {
                var newer = delta.Name is not null && (existing.Name is null || delta.NameAsOf >= existing.NameAsOf);
                products[key] = new ProductDelta(
                    existing.Figures + delta.Figures,
                    newer ? delta.Name : existing.Name,
                    newer ? delta.NameAsOf : existing.NameAsOf);
            }
            else
            {
                products[key] = delta;
            }
        }

        foreach (var change in result.Customers ?? [])
        {
            if (!customers.TryGetValue(change.CustomerId, out var list))
            {
                customers[change.CustomerId] = list = [];
            }

            list.Add(change);
        }
    }

    private async Task PushCustomersAsync(Dictionary<string, List<CustomerChange>> customers)
    {
        if (customers.Count == 0)
        {
            return;
        }

        var ids = customers.Keys.ToArray();
        var rows = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ICustomerGrain>(id).ApplyAsync([.. customers[id]])));
        var shards = new Dictionary<int, Dictionary<string, RankedRow>>();
        for (var i = 0; i < ids.Length; i++)
        {
            var shard = (int)(KeyHash.Of(ids[i]) % RankingShards);
            if (!shards.TryGetValue(shard, out var map))
            {
                shards[shard] = map = new Dictionary<string, RankedRow>(StringComparer.Ordinal);
            }

            map[ids[i]] = rows[i];
        }

        await Task.WhenAll(shards.Select(kv => GrainFactory.GetGrain<ICustomerRankingGrain>(kv.Key).UpsertAsync(kv.Value)));
    }

    [LoggerMessage(1, LogLevel.Error, "Batch of chunk {ChunkId} failed in partition {Partition}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, long chunkId, int partition);

    [LoggerMessage(2, LogLevel.Error, "Raw-records stream {Partition} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string partition);
}
