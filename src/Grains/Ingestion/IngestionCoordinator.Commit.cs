using System.Text.Json;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>The coordinator's epoch commit: drain, cut (serialize) at quiescence, write in the background.</summary>
internal sealed partial class IngestionCoordinator
{
    /// <param name="idle">Nothing more to read, or stopping: the store may do its upkeep after this commit.</param>
    /// <param name="cancellationToken">Stops waiting for the drain and the previous write.</param>
    private async Task CommitAsync(bool idle, CancellationToken cancellationToken)
    {
        // Drain: a commit is a consistent cut only when every chunk read is published (its Bronze staged)
        // and every published record is through.
        var paused = time.GetTimestamp();
        Task[] outstanding;
        lock (gate)
        {
            outstanding = [publishing, .. inFlight.Values.Select(c => c.Done.Task)];
        }

        await Task.WhenAll(outstanding).WaitAsync(cancellationToken);
        var drained = time.GetTimestamp();
        if (failure is not null)
        {
            return;
        }

        // One epoch is written at a time: the previous one must be durable before the next is cut.
        await writing.WaitAsync(cancellationToken);
        if (failure is not null)
        {
            return;
        }

        Dictionary<string, string> checkpoints;
        List<QuarantinedRecord> quarantine;
        lock (gate)
        {
            if (!dirty && storage.StagedCount == 0)
            {
                return;
            }

            checkpoints = sources.ToDictionary(s => "source/" + s.Name, s => JsonSerializer.Serialize(s.Checkpoint, JsonOptions), StringComparer.Ordinal);
            checkpoints[EpochDocument] = JsonSerializer.Serialize(new EpochInfo(time.GetUtcNow(), lastChunk), JsonOptions);
            quarantine = pendingQuarantine;
            pendingQuarantine = [];
            dirty = false;
            committing = true; // caught up only once this epoch is durable
        }

        var started = time.GetTimestamp();
        var pause = new CommitPause(time.GetElapsedTime(paused, drained), time.GetElapsedTime(drained, started));
        Task<int> write;
        try
        {
            write = await storage.StartCommitAsync(epoch + 1, checkpoints, quarantine, idle, cancellationToken);
        }
        catch (Exception ex)
        {
            lock (gate)
            {
                pendingQuarantine.InsertRange(0, quarantine);
                dirty = true;
                committing = false;
            }

            LogCommitFailed(logger, ex, epoch + 1);
            throw;
        }

        lock (gate)
        {
            writingQuarantine = quarantine;
        }

        // The states are serialized; ingestion goes on while the database writes them.
        pause = pause with { Cut = time.GetElapsedTime(started) };
        writing = FinishCommitAsync(write, checkpoints, quarantine.Count, started, pause);
    }

    private async Task FinishCommitAsync(Task<int> write, Dictionary<string, string> checkpoints, int quarantined, long started, CommitPause pause)
    {
        try
        {
            var states = await write;
            epoch++;
            lastCommitTime = JsonSerializer.Deserialize<EpochInfo>(checkpoints[EpochDocument], JsonOptions)!.CommittedAt;
            LogCommitted(
                logger,
                epoch,
                states,
                quarantined,
                time.GetElapsedTime(started).TotalMilliseconds,
                (pause.Drain + pause.PreviousWrite + pause.Cut).TotalMilliseconds,
                pause.Drain.TotalMilliseconds,
                pause.PreviousWrite.TotalMilliseconds,
                pause.Cut.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            // Nothing after the last durable epoch counts; a restart replays from it.
            failure ??= $"commit of epoch {epoch + 1} failed: {ex.Message}";
            LogCommitFailed(logger, ex, epoch + 1);
        }
        finally
        {
            lock (gate)
            {
                committing = false;
                writingQuarantine = [];
            }
        }
    }

    /// <summary>How long a commit held ingestion up: draining the in-flight chunks, waiting for the previous epoch's write, cutting (serializing).</summary>
    private readonly record struct CommitPause(TimeSpan Drain, TimeSpan PreviousWrite, TimeSpan Cut = default);
}
