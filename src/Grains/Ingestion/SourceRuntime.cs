using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Hosting;
using SalesPipeline.Quality;
using SalesPipeline.Sources;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>A configured source, its compiled expectations and its live (not yet committed) checkpoint.</summary>
internal sealed class SourceRuntime : IAsyncDisposable
{
    private readonly Dictionary<string, OpenFile> readers = new(StringComparer.Ordinal);

    public SourceRuntime(string name, string path, SourceOptions options, ExpectationSet? expectations, SourceCheckpoint checkpoint)
    {
        Name = name;
        Path = path;
        Options = options;
        Expectations = expectations;
        Checkpoint = checkpoint;
        LineSource = options.Format == LineSourceFormat.Jsonl ? null : Sources.LineSource.Create(name, options.ToLineSourceOptions());
        RuleCounts = expectations is null
            ? []
            : [.. expectations.Rules.Select(r => checkpoint.Rules.TryGetValue(r.Name, out var known) ? known : new RuleCounts())];

        // Counters of rules no longer configured are not reported any more.
        checkpoint.Rules = expectations is null
            ? new Dictionary<string, RuleCounts>(StringComparer.OrdinalIgnoreCase)
            : expectations.Rules.Zip(RuleCounts).ToDictionary(p => p.First.Name, p => p.Second, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }
    public string Path { get; }
    public SourceOptions Options { get; }
    public string Pattern => Options.EffectivePattern;
    public ExpectationSet? Expectations { get; }
    public SourceCheckpoint Checkpoint { get; }

    /// <summary>The csv/parquet reader factory; null for jsonl.</summary>
    public LineSource? LineSource { get; }

    /// <summary>Counters per rule, in the order of <see cref="Expectations"/>; the same objects as in the checkpoint.</summary>
    public RuleCounts[] RuleCounts { get; }

    /// <summary>Files of the last listing with their lengths.</summary>
    public Dictionary<string, long> Listing { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Records published and not yet acknowledged.</summary>
    public long InFlight { get; set; }

    /// <summary>Counts one evaluation of every rule.</summary>
    public void Count(in ExpectationOutcome outcome)
    {
        foreach (var counts in RuleCounts)
        {
            counts.Evaluated++;
        }

        foreach (var rule in outcome.FailedRules)
        {
            RuleCounts[rule.Index].Failed++;
        }
    }

    /// <summary>
    /// Reads the chunk of <paramref name="file"/> that starts at data row <paramref name="row"/>, reusing the reader
    /// left there by the previous chunk, and starts reading the chunk after it in the background: the file is
    /// parsed while the coordinator maps, judges and publishes this chunk (the coordinator is the pipeline's
    /// one sequential stage). Returns the reader too (its columns).
    /// </summary>
    public async ValueTask<(ILineFileReader Reader, LineChunk Chunk)> ReadChunkAsync(string file, long row, int maxRows, CancellationToken cancellationToken)
    {
        LineChunk chunk;
        if (readers.TryGetValue(file, out var open) && open.Next is { } next && open.NextRow == row)
        {
            open.Next = null;
            chunk = await next;
        }
        else
        {
            if (open is not null)
            {
                await CloseAsync(file);
            }

            open = new OpenFile(await LineSource!.OpenAsync(System.IO.Path.Combine(Path, file), row, cancellationToken));
            readers[file] = open;
            chunk = await open.Reader.ReadChunkAsync(maxRows, cancellationToken);
        }

        if (!chunk.EndOfFile)
        {
            var reader = open.Reader;
            open.NextRow = chunk.Position;
            open.Next = Task.Run(() => reader.ReadChunkAsync(maxRows, cancellationToken).AsTask(), cancellationToken);
        }

        return (open.Reader, chunk);
    }

    public async ValueTask CloseAsync(string file)
    {
        if (readers.Remove(file, out var open))
        {
            if (open.Next is { } next)
            {
                // The reader is in use until the chunk read ahead is done; what it read is not wanted.
                try
                {
                    await next;
                }
                catch (Exception)
                {
                    // The file is being given up or read again from a committed position: its errors show then.
                }
            }

            await open.Reader.DisposeAsync();
        }
    }

    /// <summary>An open csv/parquet file and the chunk being read ahead from it (starting at <see cref="NextRow"/>).</summary>
    private sealed class OpenFile(ILineFileReader reader)
    {
        public ILineFileReader Reader { get; } = reader;
        public Task<LineChunk>? Next { get; set; }
        public long NextRow { get; set; }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in readers.Keys.ToArray())
        {
            await CloseAsync(file);
        }
    }

    public SourceStatus ToStatus() => new()
    {
        Name = Name,
        Path = Path,
        Format = Options.Format.ToString().ToLowerInvariant(),
        FilesSeen = Listing.Count,
        FilesCompleted = Listing.Count(f => IsComplete(f.Key, f.Value)),
        RecordsRead = Checkpoint.RecordsRead,
        Applied = Checkpoint.Applied,
        Quarantined = Checkpoint.Quarantined,
        Duplicates = Checkpoint.Duplicates,
        Stale = Checkpoint.Stale,
        Dropped = Checkpoint.Dropped,
        Warnings = Checkpoint.Warnings,
        BlankLines = Checkpoint.BlankLines,
        InFlight = InFlight,
        Problems = [.. Checkpoint.Files
            .Where(f => f.Value.Problem is not null)
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new FileProblem(f.Key, f.Value.Lines, f.Value.Problem!))],
        Rules = Expectations is null
            ? []
            : [.. Expectations.Rules.Select(r => new RuleStatus(
                r.Name,
                r.Action.ToString().ToLowerInvariant(),
                RuleCounts[r.Index].Evaluated,
                RuleCounts[r.Index].Evaluated - RuleCounts[r.Index].Failed,
                RuleCounts[r.Index].Failed))],
        NewColumns = [.. Checkpoint.NewColumns],
        Error = Checkpoint.Failure?.Message,
    };

    /// <summary>A file is complete when it was read to its current length or given up with a problem.</summary>
    public bool IsComplete(string file, long length) =>
        Checkpoint.Files.TryGetValue(file, out var state) && (state.Problem is not null || state.Offset >= length);
}
