using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Hosting;
using SalesPipeline.Quality;
using SalesPipeline.Sources;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>A configured source, its compiled expectations and its live (not yet committed) checkpoint.</summary>
internal sealed class SourceRuntime : IAsyncDisposable
{
    private readonly Dictionary<string, ILineFileReader> readers = new(StringComparer.Ordinal);

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

    /// <summary>The open reader of a csv/parquet file positioned at <paramref name="row"/>, reusing the one left there by the previous chunk.</summary>
    public async ValueTask<ILineFileReader> ReaderAsync(string file, long row, CancellationToken cancellationToken)
    {
        if (readers.TryGetValue(file, out var reader))
        {
            if (reader.Position == row)
            {
                return reader;
            }

            await CloseAsync(file);
        }

        reader = await LineSource!.OpenAsync(System.IO.Path.Combine(Path, file), row, cancellationToken);
        readers[file] = reader;
        return reader;
    }

    public async ValueTask CloseAsync(string file)
    {
        if (readers.Remove(file, out var reader))
        {
            await reader.DisposeAsync();
        }
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
