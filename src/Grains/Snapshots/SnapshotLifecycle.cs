using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesPipeline.Abstractions.Grains;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>
/// Ties snapshots to the silo's life: once the silo is active it keeps the snapshot grain activated
/// (a ping every interval, so it moves to a surviving silo); on a graceful stop, after ingestion has
/// committed its last epoch, it writes a final snapshot.
/// </summary>
internal sealed partial class SnapshotLifecycle(
    IGrainFactory grainFactory,
    GoldSnapshotWriter writer,
    IOptions<LakehouseOptions> options,
    TimeProvider time,
    ILogger<SnapshotLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource stopping = new();
    private Task pinger = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // After the coordinator (Active) has started; stopped before it stops.
        lifecycle.Subscribe(nameof(SnapshotLifecycle), ServiceLifecycleStage.Active + 1, StartAsync, StopPingingAsync);

        // Stops after Active and BecomeActive: the coordinator's final epoch is committed by then.
        lifecycle.Subscribe(nameof(SnapshotLifecycle) + ".Final", ServiceLifecycleStage.ApplicationServices, _ => Task.CompletedTask, FinalSnapshotAsync);
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        pinger = Task.Run(PingAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task PingAsync()
    {
        var interval = options.Value.SnapshotInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await grainFactory.GetGrain<IGoldSnapshotGrain>(0).EnsureRunningAsync();
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogPingFailed(logger, ex);
            }

            try
            {
                await Task.Delay(interval, time, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StopPingingAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();

        // A ping in flight when messaging stops would wait for the response timeout: do not hold the stop for it.
        await Task.WhenAny(pinger, Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken));
    }

    private async Task FinalSnapshotAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SnapshotOnShutdown)
        {
            return;
        }

        try
        {
            var result = await writer.SnapshotAsync("shutdown", cancellationToken);
            LogFinalSnapshot(logger, result.Epoch);
        }
        catch (Exception ex)
        {
            LogFinalSnapshotFailed(logger, ex);
        }
    }

    [LoggerMessage(320, LogLevel.Warning, "Could not reach the Gold snapshot grain; retrying at the next interval")]
    private static partial void LogPingFailed(ILogger logger, Exception exception);

    [LoggerMessage(321, LogLevel.Information, "Final Gold snapshot at shutdown holds epoch {Epoch}")]
    private static partial void LogFinalSnapshot(ILogger logger, long epoch);

    [LoggerMessage(322, LogLevel.Error, "Final Gold snapshot at shutdown failed; the tables hold the previous snapshot")]
    private static partial void LogFinalSnapshotFailed(ILogger logger, Exception exception);
}
