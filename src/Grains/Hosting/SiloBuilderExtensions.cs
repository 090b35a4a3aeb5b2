using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using SalesPipeline.Abstractions.Streaming;
using SalesPipeline.Grains.Ingestion;
using SalesPipeline.Grains.Persistence;
using SalesPipeline.Grains.Snapshots;

namespace SalesPipeline.Grains.Hosting;

/// <summary>Adds the SalesPipeline grains, storage, streams and ingestion to a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Configures the pipeline from the <c>SalesPipeline</c> section of <paramref name="configuration"/>:
    /// the embedded SQLite store (schema created on first start), Orleans' ADO.NET storage for control
    /// state, in-process queues for the raw-records streams and the landing-folder ingestion.
    /// </summary>
    public static ISiloBuilder AddSalesPipeline(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(PipelineOptions.Section);
        var settings = section.Get<PipelineOptions>() ?? new PipelineOptions();
        var connectionString = ResolveConnectionString(settings);

        var services = builder.Services;
        services.AddOptions<PipelineOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IPipelineStore>(sp => new SqlitePipelineStore(connectionString, sp.GetRequiredService<ILogger<SqlitePipelineStore>>(), settings.Storage.CheckpointMegabytes * 1024L * 1024));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new StoreInitializer(sp.GetRequiredService<IPipelineStore>()));
        services.AddSingleton<EpochRowStore>();
        services.AddSingleton<IngestionCoordinator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<IngestionCoordinator>());

        builder.AddMemoryGrainStorage(StorageNames.PubSub);
        // The pulling agents' cache keeps delivered batches until a whole bucket of them (a tenth of the cache) is
        // past every consumer. With the default 4096 batches a queue held hundreds of delivered batches, every
        // record in them (with its line and strings) outliving several garbage collections. Small buckets free them
        // at once. The cache pushes back from ten buckets on; a queue holds at most MaxChunksInFlight undelivered
        // batches per partition mapped to it, so buckets of a sixth of that for all partitions never push back.
        var bucket = Math.Max(4, ((settings.MaxChunksInFlight * settings.Partitions) + 5) / 6);
        services.Configure<Orleans.Configuration.SimpleQueueCacheOptions>(StreamNames.Provider, o => o.CacheSize = 10 * bucket);
        builder.AddPersistentStreams(StreamNames.Provider, Streaming.InProcessQueueAdapterFactory.Create, streams =>
        {
            // Partitions subscribe implicitly; no subscription state to keep.
            streams.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                // The default 100 ms idle poll would add up to 100 ms to every batch hand-off.
                o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);
            }));
        });

        builder.AddAdoNetGrainStorage(StorageNames.Control, (OptionsBuilder<AdoNetGrainStorageOptions> optionsBuilder) => optionsBuilder.Configure<Serializer>((o, serializer) =>
        {
            // Orleans maps this invariant to Microsoft.Data.Sqlite itself (its AdoNetInvariants.InvariantNameSqlLite).
            o.Invariant = "System.Data.SQLite";
            o.ConnectionString = connectionString;

            // Orleans' binary format with [Id] members: version tolerant by design, unlike JSON with $type names.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        builder.AddGoldSnapshots(configuration, settings.DataDirectory, connectionString);
        services.AddSingleton(sp => new Export.CommittedLayersReader(connectionString, sp.GetRequiredService<Serializer>()));
        return builder;
    }

    private static string ResolveConnectionString(PipelineOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Storage.ConnectionString))
        {
            return settings.Storage.ConnectionString;
        }

        var directory = Path.GetFullPath(settings.DataDirectory);
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "pipeline.db")};Pooling=True;Default Timeout=30";
    }

    /// <summary>Creates the schema before any storage provider (ours or Orleans') touches the database.</summary>
    private sealed class StoreInitializer(IPipelineStore store) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(StoreInitializer), ServiceLifecycleStage.RuntimeInitialize, store.InitializeAsync);
    }
}
