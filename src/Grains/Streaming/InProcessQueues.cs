using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace SalesPipeline.Grains.Streaming;

/// <summary>
/// A persistent-stream queue adapter whose queues are in the silo's memory: a producer's batch is enqueued
/// as the object it is and handed to the consumer as that same object (the batch is immutable). Orleans'
/// memory streams serialize every batch, copy it into and out of a queue grain and deserialize it again,
/// which was a fifth of the pipeline's allocations and CPU (docs/benchmarks.md).
/// The queues are not durable, like memory streams: the ingestion coordinator's epoch commits give
/// exactly-once by replaying the uncommitted records after a crash. They serve producers and consumers in
/// one silo, which is what the embedded default runs; a cluster takes a provider with shared queues
/// (Event Hubs) instead.
/// </summary>
internal sealed class InProcessQueueAdapterFactory(string name, HashRingStreamQueueMapperOptions mapperOptions, SimpleQueueCacheOptions cacheOptions, ILoggerFactory loggerFactory)
    : IQueueAdapterFactory, IQueueAdapter
{
    private readonly ConcurrentDictionary<QueueId, ConcurrentQueue<IBatchContainer>> queues = new();
    private readonly HashRingBasedStreamQueueMapper mapper = new(mapperOptions, name);
    private readonly SimpleQueueAdapterCache cache = new(cacheOptions, name, loggerFactory);
    private long sequence;

    public string Name { get; } = name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public static InProcessQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new(
            name,
            services.GetOptionsByName<HashRingStreamQueueMapperOptions>(name),
            services.GetOptionsByName<SimpleQueueCacheOptions>(name),
            services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("In-process queues are not rewindable: a batch cannot carry a sequence token.", nameof(token));
        }

        var batch = new InProcessBatch(streamId, [.. events.Cast<object>()], new EventSequenceTokenV2(Interlocked.Increment(ref sequence)));
        Queue(mapper.GetQueueForStream(streamId)).Enqueue(batch);
        return Task.CompletedTask;
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new Receiver(Queue(queueId));

    private ConcurrentQueue<IBatchContainer> Queue(QueueId queueId) => queues.GetOrAdd(queueId, static _ => new ConcurrentQueue<IBatchContainer>());

    private sealed class Receiver(ConcurrentQueue<IBatchContainer> queue) : IQueueAdapterReceiver
    {
        public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
        {
            var batches = new List<IBatchContainer>();
            while ((maxCount < 0 || batches.Count < maxCount) && queue.TryDequeue(out var batch))
            {
                batches.Add(batch);
            }

            return Task.FromResult<IList<IBatchContainer>>(batches);
        }

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

        public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
    }
}

/// <summary>One producer call's events, passed by reference from the producer to the consumer.</summary>
[GenerateSerializer, Immutable, Alias("sp.InProcessBatch")]
internal sealed class InProcessBatch(StreamId streamId, object[] events, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    [Id(1)] public object[] Events { get; } = events;

    [Id(2)] public EventSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create(e, (StreamSequenceToken)Token.CreateSequenceTokenForEvent(i)));

    public bool ImportRequestContext() => false;
}
