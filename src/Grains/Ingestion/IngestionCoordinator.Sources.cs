using SalesPipeline.Grains.Hosting;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>The coordinator's landing folders: listing, releasing a source stopped by a fail expectation, resolving and seeding.</summary>
internal sealed partial class IngestionCoordinator
{
    private void RefreshListings()
    {
        foreach (var source in sources)
        {
            var listing = LandingFolder.List(source.Path, source.Pattern);
            lock (gate)
            {
                if (source.Checkpoint.Failure is { } failed)
                {
                    ReleaseIfResolved(source, failed, listing);
                }

                // A file that vanished before it was read to the end must not be silently short.
                foreach (var (file, length) in source.Listing.Where(f => !listing.ContainsKey(f.Key) && !source.IsComplete(f.Key, f.Value)))
                {
                    var position = source.Checkpoint.Files.TryGetValue(file, out var known) ? known : source.Checkpoint.Files[file] = new FileCheckpoint();
                    position.Problem = $"file disappeared after {position.Lines} lines ({position.Offset} of {length} bytes read)";
                    dirty = true;
                    LogFileProblem(logger, source.Name, file, position.Problem);
                }

                source.Listing = listing;
            }
        }

        lastListing = time.GetUtcNow();
    }

    /// <summary>
    /// A source stopped by a fail expectation goes on once the file is removed (what it applied before the
    /// bad record stays) or replaced (read again from its start; its records keep their identity, so the
    /// rows read before are not counted twice in Gold).
    /// </summary>
    private void ReleaseIfResolved(SourceRuntime source, SourceFailure failed, Dictionary<string, long> listing)
    {
        if (!listing.ContainsKey(failed.File))
        {
            // Forget the file: one published again under the same name is read from its start (its records
            // keep their identity, so what was applied before the stop is not counted twice).
            source.Checkpoint.Files.Remove(failed.File);
            source.Listing.Remove(failed.File);
            LogFileProblem(logger, source.Name, failed.File, $"removed after expectation '{failed.Rule}' (fail) stopped it at record {failed.Row}");
        }
        else
        {
            var info = new FileInfo(Path.Combine(source.Path, failed.File));
            if (info.Length == failed.Length && info.LastWriteTimeUtc == failed.LastWriteUtc)
            {
                return;
            }

            source.Checkpoint.Files[failed.File] = new FileCheckpoint();
        }

        source.Checkpoint.Failure = null;
        dirty = true;
        LogSourceResumed(logger, source.Name, failed.File);
    }

    private IEnumerable<(string Name, string Path, SourceOptions Options)> ResolveSources()
    {
        if (settings.Sources.Count > 0)
        {
            foreach (var (name, source) in settings.Sources)
            {
                yield return (name, Path.GetFullPath(source.Path), source);
            }

            yield break;
        }

        var landing = Path.GetFullPath(Path.Combine(settings.DataDirectory, "landing"));
        if (settings.SeedSamples && !Directory.Exists(landing))
        {
            SeedSamples(landing);
        }

        Directory.CreateDirectory(landing);
        yield return ("landing", landing, new SourceOptions { Path = landing });
    }

    private void SeedSamples(string landing)
    {
        var samples = settings.SamplesDirectory ?? FindSamples();
        if (samples is null || !Directory.Exists(samples))
        {
            LogNoSamples(logger);
            return;
        }

        var files = Directory.GetFiles(samples, "*.jsonl");
        foreach (var file in files)
        {
            Abstractions.Files.LandingFiles.PublishCopy(file, landing);
        }

        LogSeeded(logger, files.Length, samples, landing);
    }

    private static string? FindSamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples");
                if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.jsonl").Any())
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
