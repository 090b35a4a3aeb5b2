using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Abstractions.Streaming;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Hosting;
using SalesPipeline.Grains.Parsing;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>
/// Reads the landing folders and drives ingestion in epochs. It reads chunks of lines, parses them,
/// publishes each partition's share on the raw-records streams and tracks the partitions'
/// acknowledgements. Every <see cref="PipelineOptions.CommitInterval"/>, when idle and on shutdown it
/// waits until nothing is in flight and commits the staged grain states, the source positions and the
/// quarantine in one transaction (<see cref="EpochRowStore"/>). A crash loses only the uncommitted
/// epoch, which is replayed from the committed positions: exactly once, end to end.
/// </summary>
internal sealed partial class IngestionCoordinator(
    IOptions<PipelineOptions> options,
    EpochRowStore storage,
    IPipelineStore store,
    IGrainFactory grainFactory,
    IServiceProvider services,
    TimeProvider time,
    ILogger<IngestionCoordinator> logger) : ILifecycleParticipant<ISiloLifecycle>, IIngestAckObserver
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly PipelineOptions settings = options.Value;
    private readonly Lock gate = new();
    private readonly Dictionary<long, PendingChunk> inFlight = [];
    private readonly CancellationTokenSource stopping = new();
    private List<QuarantinedRecord> pendingQuarantine = [];

    /// <summary>Quarantine of the epoch being written: neither pending nor in the store yet.</summary>
    private List<QuarantinedRecord> writingQuarantine = [];

    /// <summary>Publishing of the chunks read so far; each chunk's publish waits for the one before.</summary>
    private Task publishing = Task.CompletedTask;

    /// <summary>The write of the last cut epoch; completes when it is durable (or failed, see <see cref="failure"/>).</summary>
    private Task writing = Task.CompletedTask;
    private List<SourceRuntime> sources = [];
    private OrderEventParser parser = null!;
    private JsonLinesChunks jsonChunks = null!;
    private LineFileChunks lineChunks = null!;
    private IStreamProvider streams = null!;
    private IIngestAckObserver ackReference = null!;
    private Task loop = Task.CompletedTask;
    private long epoch;
    /// <summary>Number of the last chunk read: chunk numbers key Bronze chunks, so they continue from the last commit.</summary>
    private long lastChunk;
    private bool dirty;
    private bool committing;
    private bool started;
    private string? failure;
    private DateTimeOffset? lastCommitTime;
    private DateTimeOffset? ingestionStartedAt;
    private DateTimeOffset lastListing = DateTimeOffset.MinValue;

    /// <summary>
    /// One stage after <see cref="ServiceLifecycleStage.Active"/>, where the stream pulling agents start and stop:
    /// ingestion starts once they deliver and, on shutdown, drains its in-flight batches before they stop.
    /// </summary>
    public const int LifecycleStage = ServiceLifecycleStage.Active + 1;

    /// <summary>How long a graceful stop waits for in-flight batches before giving up the uncommitted epoch (replayed at the next start).</summary>
    private static readonly TimeSpan ShutdownDrainTimeout = TimeSpan.FromSeconds(60);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(IngestionCoordinator), LifecycleStage, StartAsync, StopAsync);

    /// <summary>The live status; lists the landing folders afresh so a file dropped a moment ago counts.</summary>
    public async Task<PipelineStatus> GetStatusAsync()
    {
        if (started)
        {
            await Task.Run(RefreshListings);
        }

        lock (gate)
        {
            var caughtUp = started && failure is null && inFlight.Count == 0 && !dirty && !committing && storage.StagedCount == 0 &&
                sources.All(s => s.Listing.All(f => s.IsComplete(f.Key, f.Value)));
            return new PipelineStatus
            {
                CaughtUp = caughtUp,
                Sources = [.. sources.Select(s => s.ToStatus())],
                CommittedEpoch = epoch,
                LastCommitTime = lastCommitTime,
                BronzeRecords = sources.Sum(s => s.Checkpoint.BronzeRouted + s.Checkpoint.Unroutable),
                Error = failure,
                IngestionStartedAt = ingestionStartedAt,
            };
        }
    }

    /// <summary>Quarantined records, committed ones first, then those of the running epoch.</summary>
    public async Task<QuarantinedRecord[]> ListQuarantineAsync(string? source, int limit)
    {
        var committed = await store.ListQuarantineAsync(source, 0, limit, CancellationToken.None);
        lock (gate)
        {
            return [.. committed.Concat(writingQuarantine).Concat(pendingQuarantine).Where(q => source is null || q.Origin.Source == source).Take(limit)];
        }
    }

    public Task BatchDoneAsync(long chunkId, int partition, BatchOutcome outcome)
    {
        PendingChunk? completed = null;
        lock (gate)
        {
            if (!inFlight.TryGetValue(chunkId, out var chunk))
            {
                return Task.CompletedTask;
            }

            var checkpoint = chunk.Source.Checkpoint;
            checkpoint.Applied += outcome.Applied;
            checkpoint.Duplicates += outcome.Duplicates;
            checkpoint.Stale += outcome.Stale;
            checkpoint.BronzeRouted += outcome.Records;
            chunk.Source.InFlight -= outcome.Records;
            if (outcome.Error is not null && failure is null)
            {
                failure = $"partition {partition} failed on chunk {chunkId}: {outcome.Error}";
            }

            if (--chunk.Outstanding == 0)
            {
                inFlight.Remove(chunkId);
                completed = chunk;
            }
        }

        completed?.Done.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var stored = await store.ReadCheckpointAsync(cancellationToken);
        epoch = stored.Epoch;
        var epochInfo = stored.Documents.TryGetValue(EpochDocument, out var epochJson)
            ? JsonSerializer.Deserialize<EpochInfo>(epochJson, JsonOptions)
            : null;
        lastCommitTime = epochInfo?.CommittedAt;
        lastChunk = epochInfo?.LastChunk ?? 0;
        parser = new OrderEventParser(new ParseOptions(
            settings.BaseCurrency,
            new Dictionary<string, decimal>(settings.CurrencyRates, StringComparer.Ordinal) { [settings.BaseCurrency] = 1m },
            settings.MaxLineBytes));
        var rates = parser.Options;
        jsonChunks = new JsonLinesChunks(parser, settings.ChunkLines, settings.MaxLineBytes);
        lineChunks = new LineFileChunks(rates, settings.ChunkLines);
        sources = [.. ResolveSources().Select(s => new SourceRuntime(
            s.Name,
            s.Path,
            s.Options,
            SourceExpectations.Compile(settings, s.Options),
            stored.Documents.TryGetValue("source/" + s.Name, out var json)
                ? JsonSerializer.Deserialize<SourceCheckpoint>(json, JsonOptions) ?? new SourceCheckpoint()
                : new SourceCheckpoint()))];
        streams = services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamNames.Provider);
        ackReference = grainFactory.CreateObjectReference<IIngestAckObserver>(this);
        LogStarting(logger, epoch, string.Join(", ", sources.Select(s => $"{s.Name}={s.Path}")));
        var previous = await Runs.StartedAsync(Environment.MachineName + "/" + Environment.ProcessId, epoch, time.GetUtcNow());
        if (previous is { StoppedAt: null })
        {
            LogUncleanStop(logger, previous.StartedAt, epoch);
        }

        started = true;
        ingestionStartedAt = time.GetUtcNow();
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await loop;
        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }

        if (failure is null)
        {
            await Runs.StoppedAsync(epoch, time.GetUtcNow());
        }

        grainFactory.DeleteObjectReference<IIngestAckObserver>(ackReference);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastCommitAttempt = time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested && failure is null)
            {
                var progressed = await IngestNextChunkAsync(cancellationToken);
                var now = time.GetUtcNow();
                if (!progressed || now - lastCommitAttempt >= settings.CommitInterval)
                {
                    await CommitAsync(idle: !progressed, cancellationToken);
                    lastCommitAttempt = now;
                }

                if (!progressed)
                {
                    await Task.Delay(settings.PollInterval, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure ??= ex.Message;
            LogIngestionFailed(logger, ex);
        }

        if (failure is null)
        {
            // Graceful stop: finish what is in flight and commit it. If that cannot finish in time, commit
            // nothing: the epoch is replayed at the next start, so giving up loses and doubles nothing.
            using var drain = new CancellationTokenSource(ShutdownDrainTimeout);
            try
            {
                await CommitAsync(idle: true, drain.Token);
                await writing.WaitAsync(drain.Token);
                if (failure is null)
                {
                    LogStopped(logger, epoch);
                }
                else
                {
                    LogStoppedOnFailure(logger, failure, epoch);
                }
            }
            catch (OperationCanceledException)
            {
                failure = "stopped before the in-flight records were through";
                LogStoppedOnFailure(logger, failure, epoch);
            }
        }
        else
        {
            await writing;
            LogStoppedOnFailure(logger, failure, epoch);
        }
    }

    /// <summary>Reads and publishes one chunk; false when there was nothing to read.</summary>
    private async Task<bool> IngestNextChunkAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - lastListing >= settings.PollInterval)
        {
            await Task.Run(RefreshListings, cancellationToken);
        }

        foreach (var source in sources)
        {
            // A source stopped by a fail expectation reads nothing until the file is replaced or removed.
            if (source.Checkpoint.Failure is not null)
            {
                continue;
            }

            foreach (var (file, length) in source.Listing.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (!source.IsComplete(file, length))
                {
                    await IngestChunkAsync(source, file, length, cancellationToken);
                    return true;
                }
            }
        }

        return false;
    }

    private async Task IngestChunkAsync(SourceRuntime source, string file, long length, CancellationToken cancellationToken)
    {
        FileCheckpoint position;
        lock (gate)
        {
            if (!source.Checkpoint.Files.TryGetValue(file, out position!))
            {
                source.Checkpoint.Files[file] = position = new FileCheckpoint();
                LogNewFile(logger, source.Name, file);
            }
        }

        var output = new ChunkOutput(++lastChunk, source, file, settings.Partitions, time.GetUtcNow());
        try
        {
            if (source.LineSource is null)
            {
                await jsonChunks.ReadAsync(output, position, cancellationToken);
            }
            else
            {
                await lineChunks.ReadAsync(output, position, length, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            await source.CloseAsync(file);
            GiveUp(source, file, position, $"file disappeared after {position.Lines} records ({position.Offset} bytes read)");
            return;
        }
        catch (IOException ex)
        {
            // Also a csv/parquet file that is not what its source says (LineFileException).
            await source.CloseAsync(file);
            GiveUp(source, file, position, $"read error after {position.Lines} records: {ex.Message}");
            return;
        }

        if (!output.Progressed)
        {
            // Nothing new (the listing saw a length the file no longer has): take the file as read up to here.
            lock (gate)
            {
                source.Listing[file] = position.Offset;
            }

            return;
        }

        var byPartition = output.ByPartition;
        var routed = output.Routed;
        var pending = new PendingChunk(output.Chunk, source, byPartition.Count);
        lock (gate)
        {
            var checkpoint = source.Checkpoint;
            checkpoint.RecordsRead += output.Read;
            checkpoint.Quarantined += output.Quarantined.Count;
            checkpoint.Dropped += output.Dropped;
            checkpoint.Warnings += output.Warnings;
            checkpoint.BlankLines += output.BlankLines;
            checkpoint.Unroutable += output.Unroutable;
            position.Offset = output.EndOffset;
            position.Lines = output.EndLine;
            pendingQuarantine.AddRange(output.Quarantined);
            checkpoint.NewColumns.UnionWith(output.NewColumns);
            source.InFlight += routed;
            dirty = true;
            if (pending.Outstanding > 0)
            {
                inFlight[pending.Id] = pending;
            }

            if (output.Failure is { } stop)
            {
                var info = new FileInfo(Path.Combine(source.Path, file));
                stop.Length = info.Exists ? info.Length : -1;
                stop.LastWriteUtc = info.Exists ? info.LastWriteTimeUtc : default;
                checkpoint.Failure = stop;
                LogSourceFailed(logger, source.Name, stop.Message);
            }
        }

        // Publishing (staging the chunk's Bronze, handing the batches to the streams) runs on while the next chunk is read, one
        // chunk after the other so that every partition still sees its records in file order.
        publishing = PublishAsync(publishing, pending, output.Bronze, byPartition);

        // Bound the work in flight: wait for the oldest chunk when the window is full.
        Task? oldest = null;
        lock (gate)
        {
            if (inFlight.Count >= settings.MaxChunksInFlight)
            {
                oldest = inFlight.Values.MinBy(c => c.Id)!.Done.Task;
            }
        }

        if (oldest is not null)
        {
            await oldest.WaitAsync(cancellationToken);
        }
    }

    private async Task PublishAsync(Task previous, PendingChunk chunk, BronzeChunk bronze, Dictionary<int, List<RawRecord>> byPartition)
    {
        await previous;
        try
        {
            // Off the coordinator's loop, which reads the next chunk meanwhile.
            await Task.Run(() =>
            {
                if (bronze.Records.Count > 0)
                {
                    // Staged before its records reach their orders, and before the commit's cut (the drain waits for
                    // the publishing): the chunk is in the epoch of the references to it. Encoded at once (a chunk
                    // never changes): the raw lines die young instead of waiting for the commit in memory.
                    storage.StageSharedEncoded(StateKeys.BronzeChunk(chunk.Id), StatePayload.Encode(bronze));
                }

                return Task.WhenAll(byPartition.Select(p =>
                    streams.GetStream<IngestBatch>(StreamId.Create(StreamNames.RawRecords, p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                        .OnNextAsync(new IngestBatch(chunk.Id, ackReference, [.. p.Value]))));
            });
        }
        catch (Exception ex)
        {
            // Nothing after the last commit will be committed; the drain must not wait for acknowledgements that cannot come.
            failure ??= $"publishing chunk {chunk.Id} failed: {ex.Message}";
            LogIngestionFailed(logger, ex);
            lock (gate)
            {
                inFlight.Remove(chunk.Id);
            }

            chunk.Done.TrySetResult();
        }
    }

    private void GiveUp(SourceRuntime source, string file, FileCheckpoint position, string problem)
    {
        lock (gate)
        {
            position.Problem = problem;
            dirty = true;
        }

        LogFileProblem(logger, source.Name, file, problem);
    }

    private const string EpochDocument = "epoch";

    private Control.IPipelineRunsGrain Runs => grainFactory.GetGrain<Control.IPipelineRunsGrain>(0);

    private sealed record EpochInfo(DateTimeOffset CommittedAt, long LastChunk = 0);

    private sealed class PendingChunk(long id, SourceRuntime source, int outstanding)
    {
        public long Id { get; } = id;
        public SourceRuntime Source { get; } = source;
        public int Outstanding { get; set; } = outstanding;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
