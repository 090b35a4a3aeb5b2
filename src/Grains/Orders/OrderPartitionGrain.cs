using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Abstractions.Streaming;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Gold;
using SalesPipeline.Grains.Hosting;
using SalesPipeline.Grains.Ingestion;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Orders;

/// <summary>The orders of one ingest partition (those whose order_id hashes to it).</summary>
internal interface IOrderPartitionGrain : IGrainWithStringKey
{
    /// <summary>The order's Silver state and Bronze log, or null when nothing arrived for it.</summary>
    Task<OrderView?> GetOrderAsync(string orderId);
}

/// <summary>
/// Consumer of one raw-records stream and owner of the orders that hash to it: each order is one row
/// (Bronze log, Silver current version, seen event ids), cached in its stored form, decoded for the batch
/// that changes it and encoded and staged for the next epoch commit after it. A batch is applied in
/// memory, order by order in file order, and its differences are merged per key before they are pushed:
/// one call per region-day, per product and per customer shard per batch. One activation per partition
/// rather than per order is what lets the pipeline keep up with its input (docs/benchmarks.md).
/// </summary>
[GrainType("sp.order.partition")]
[ImplicitStreamSubscription(StreamNames.RawRecords)]
internal sealed partial class OrderPartitionGrain(
    EpochRowStore storage,
    IOptions<PipelineOptions> options,
    ILogger<OrderPartitionGrain> logger)
    : Grain, IOrderPartitionGrain, IStreamSubscriptionObserver, IAsyncObserver<IngestBatch>
{
    private RowCache<OrderState> orders = null!;

    /// <summary>The differences of the batch being processed (one at a time: the grain is not reentrant).</summary>
    private readonly GoldChanges changes = new();

    /// <summary>References to the Gold and customer shards, made once (resolving one costs more than the call's own bookkeeping).</summary>
    private readonly IGoldShardGrain?[] goldShards = new IGoldShardGrain?[GoldShardGrain.Shards];
    private readonly ICustomerShardGrain?[] customerShards = new ICustomerShardGrain?[CustomerShardGrain.Shards];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        orders = new(storage.StagingFor("order-partition/" + this.GetPrimaryKeyString()), StateKeys.Order, options.Value.OrderCacheSize);
        return Task.CompletedTask;
    }

    /// <summary>The partition of an order; the coordinator routes records and queries find orders with it.</summary>
    public static int PartitionOf(string orderId, int partitions) => (int)(KeyHash.Of(orderId) % (uint)partitions);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<IngestBatch>().ResumeAsync(this);

    public async Task OnNextAsync(IngestBatch batch, StreamSequenceToken? token = null)
    {
        var partition = int.Parse(this.GetPrimaryKeyString(), CultureInfo.InvariantCulture);
        BatchOutcome outcome;
        var records = batch.Records;
        try
        {
            outcome = await ProcessAsync(records);
        }
        catch (Exception ex)
        {
            // The coordinator stops ingestion without committing; a restart replays from the last commit.
            LogBatchFailed(logger, ex, batch.ChunkId, partition);
            outcome = new BatchOutcome(records.Length, 0, 0, 0, 0, ex.GetType().Name + ": " + ex.Message);
        }

        await batch.Ack.BatchDoneAsync(batch.ChunkId, partition, outcome);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<OrderView?> GetOrderAsync(string orderId) =>
        await orders.FindAsync(orderId) is { } order
            ? new OrderView(orderId, order.Current, await BronzeLog.ReadAsync(storage, order))
            : null;

    private async Task<BatchOutcome> ProcessAsync(RawRecord[] records)
    {
        var changes = this.changes;
        changes.Clear();
        int applied = 0, duplicates = 0, stale = 0, quarantined = 0;

        // Records of one order are consecutive in the stream only by chance; group them so each order
        // is looked up once and its difference covers all its records of the batch.
        foreach (var (orderId, group) in GroupByOrder(records))
        {
            var order = await orders.GetOrCreateAsync(orderId, static () => new OrderState());
            var before = order.Current;
            foreach (var record in group)
            {
                switch (order.Apply(record))
                {
                    case RecordOutcome.Applied: applied++; break;
                    case RecordOutcome.Duplicate: duplicates++; break;
                    case RecordOutcome.Stale: stale++; break;
                    case RecordOutcome.Dropped: break; // counted where the expectation ran
                    default: quarantined++; break;
                }
            }

            orders.Stage(orderId, order);
            if (!ReferenceEquals(before, order.Current))
            {
                changes.AddOrderChange(before, order.Current);
            }
        }

        // Gold and customers are independent: push both at once.
        var pushes = new List<Task>(GoldShardGrain.Shards + CustomerShardGrain.Shards);
        var gold = new GoldDelta?[GoldShardGrain.Shards];
        var perShard = (changes.Products.Count / GoldShardGrain.Shards) + 4;
        GoldDelta For(string key) => gold[GoldShardGrain.ShardOf(key)] ??= new GoldDelta(new(4), new(perShard));
        foreach (var (key, figures) in changes.RegionDayDeltas)
        {
            For(key).RegionDays.Add(new RegionDayFigures(key, figures));
        }

        foreach (var (productId, delta) in changes.ProductDeltas)
        {
            For(productId).Products.Add(new ProductChange(productId, delta));
        }

        for (var shard = 0; shard < gold.Length; shard++)
        {
            if (gold[shard] is { } delta)
            {
                pushes.Add((goldShards[shard] ??= GrainFactory.GetGrain<IGoldShardGrain>(shard)).ApplyAsync(delta));
            }
        }

        var customers = new Dictionary<int, List<CustomerChange>>();
        foreach (var change in changes.Customers)
        {
            var shard = CustomerShardGrain.ShardOf(change.CustomerId);
            if (!customers.TryGetValue(shard, out var list))
            {
                customers[shard] = list = [];
            }

            list.Add(change);
        }

        foreach (var (shard, list) in customers)
        {
            pushes.Add((customerShards[shard] ??= GrainFactory.GetGrain<ICustomerShardGrain>(shard)).ApplyAsync(new CustomerChangeBatch([.. list])));
        }
        await Task.WhenAll(pushes);

        return new BatchOutcome(records.Length, applied, duplicates, stale, quarantined, null);
    }

    /// <summary>The batch's records by order, orders in order of first appearance, records in batch order.</summary>
    private static List<(string OrderId, List<RawRecord> Records)> GroupByOrder(RawRecord[] records)
    {
        var groups = new List<(string, List<RawRecord>)>();
        var index = new Dictionary<string, int>(records.Length, StringComparer.Ordinal);
        foreach (var record in records)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, record.OrderId, out var exists);
            if (!exists)
            {
                slot = groups.Count;
                groups.Add((record.OrderId, new List<RawRecord>(2)));
            }

            groups[slot].Item2.Add(record);
        }

        return groups;
    }

    [LoggerMessage(1, LogLevel.Error, "Batch of chunk {ChunkId} failed in partition {Partition}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, long chunkId, int partition);

    [LoggerMessage(2, LogLevel.Error, "Raw-records stream {Partition} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string partition);
}
