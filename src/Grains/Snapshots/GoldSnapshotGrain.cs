using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>
/// The single snapshot writer of the cluster (one activation of key 0). A grain timer kept alive with
/// the activation drives the snapshots; every silo pings <see cref="EnsureRunningAsync"/> each interval
/// (<see cref="SnapshotLifecycle"/>), so when the silo hosting it goes away the next ping activates it
/// on another silo. The timer interleaves so status calls are answered during a long snapshot;
/// <see cref="GoldSnapshotWriter"/> runs one snapshot at a time.
/// </summary>
[GrainType("sp.lakehouse.snapshots")]
internal sealed partial class GoldSnapshotGrain(
    GoldSnapshotWriter writer,
    IOptions<LakehouseOptions> options,
    ILogger<GoldSnapshotGrain> logger) : Grain, IGoldSnapshotGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Enabled)
        {
            this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(settings.SnapshotInterval, settings.SnapshotInterval)
            {
                Interleave = true,
                KeepAlive = true,
            });
        }

        return Task.CompletedTask;
    }

    public Task EnsureRunningAsync() => Task.CompletedTask;

    public Task<GoldSnapshotResult> SnapshotNowAsync() => writer.SnapshotAsync("request", CancellationToken.None);

    public Task<LakehouseStatus> GetLakehouseStatusAsync() => writer.GetStatusAsync(CancellationToken.None);

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await writer.SnapshotAsync("interval", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick retries: the txn version makes a partly written snapshot safe to repeat.
            LogSnapshotFailed(logger, ex);
        }
    }

    [LoggerMessage(310, LogLevel.Warning, "Gold snapshot failed; retrying at the next interval")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception);
}
