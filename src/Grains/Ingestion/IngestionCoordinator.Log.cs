using Microsoft.Extensions.Logging;

namespace SalesPipeline.Grains.Ingestion;

internal sealed partial class IngestionCoordinator
{
    [LoggerMessage(100, LogLevel.Information, "Ingestion starting after epoch {Epoch}; sources: {Sources}")]
    private static partial void LogStarting(ILogger logger, long epoch, string sources);

    [LoggerMessage(101, LogLevel.Information, "Source {Source}: new file {File}")]
    private static partial void LogNewFile(ILogger logger, string source, string file);

    [LoggerMessage(102, LogLevel.Information, "Committed epoch {Epoch}: {States} grain states, {Quarantined} quarantined records in {ElapsedMs:F0} ms (ingestion paused {PausedMs:F0} ms: drain {DrainMs:F0}, previous write {WaitMs:F0}, cut {CutMs:F0})")]
    private static partial void LogCommitted(ILogger logger, long epoch, int states, int quarantined, double elapsedMs, double pausedMs, double drainMs, double waitMs, double cutMs);

    [LoggerMessage(103, LogLevel.Warning, "Source {Source}: file {File} left unfinished: {Problem}")]
    private static partial void LogFileProblem(ILogger logger, string source, string file, string problem);

    [LoggerMessage(104, LogLevel.Error, "Commit of epoch {Epoch} failed; it will be retried")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, long epoch);

    [LoggerMessage(105, LogLevel.Critical, "Ingestion failed; nothing after the last commit will be committed. Restart the silo to replay from it")]
    private static partial void LogIngestionFailed(ILogger logger, Exception exception);

    [LoggerMessage(106, LogLevel.Information, "Ingestion stopped after committing epoch {Epoch}")]
    private static partial void LogStopped(ILogger logger, long epoch);

    [LoggerMessage(107, LogLevel.Critical, "Ingestion stopped without committing ({Failure}); the last committed epoch is {Epoch}")]
    private static partial void LogStoppedOnFailure(ILogger logger, string failure, long epoch);

    [LoggerMessage(110, LogLevel.Warning, "The run started at {StartedAt} ended without a graceful stop; replaying from the last committed epoch {Epoch}")]
    private static partial void LogUncleanStop(ILogger logger, DateTimeOffset startedAt, long epoch);

    [LoggerMessage(111, LogLevel.Error, "Source {Source} stopped: {Reason}")]
    private static partial void LogSourceFailed(ILogger logger, string source, string reason);

    [LoggerMessage(112, LogLevel.Information, "Source {Source} resumes: {File} was replaced or removed")]
    private static partial void LogSourceResumed(ILogger logger, string source, string file);

    [LoggerMessage(108, LogLevel.Warning, "No samples folder found to seed the landing folder; set SalesPipeline:SamplesDirectory")]
    private static partial void LogNoSamples(ILogger logger);

    [LoggerMessage(109, LogLevel.Information, "Seeded {Count} sample files from {Samples} into {Landing}")]
    private static partial void LogSeeded(ILogger logger, int count, string samples, string landing);
}
