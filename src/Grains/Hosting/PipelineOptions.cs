using SalesPipeline.Quality;
using SalesPipeline.Sources;

namespace SalesPipeline.Grains.Hosting;

/// <summary>Settings of the pipeline, bound from the <c>SalesPipeline</c> configuration section (docs/configuration.md).</summary>
public sealed class PipelineOptions
{
    public const string Section = "SalesPipeline";

    /// <summary>Folder for the embedded database and the default landing folder. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Named sources. When empty, one source named <c>landing</c> reads <c>{DataDirectory}/landing</c>.</summary>
    public Dictionary<string, SourceOptions> Sources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Copy the bundled samples into the default landing folder on first start (only when no source is configured).</summary>
    public bool SeedSamples { get; set; } = true;

    /// <summary>Where the bundled samples are; default: the <c>samples</c> folder found upwards from the working directory.</summary>
    public string? SamplesDirectory { get; set; }

    /// <summary>Currency every amount is converted to. Default USD.</summary>
    public string BaseCurrency { get; set; } = "USD";

    /// <summary>Units of the base currency per unit of each currency. The base currency itself is always 1.</summary>
    public Dictionary<string, decimal> CurrencyRates { get; set; } = new(StringComparer.Ordinal)
    {
        ["EUR"] = 1.08m,
        ["GBP"] = 1.27m,
        ["JPY"] = 0.0067m,
        ["CAD"] = 0.74m,
        ["AUD"] = 0.66m,
        ["CHF"] = 1.12m,
        ["SEK"] = 0.095m,
    };

    /// <summary>Ingest partitions (raw-records streams). Fixed for the life of a data directory. Default 8.</summary>
    public int Partitions { get; set; } = 8;

    /// <summary>Lines read and published per chunk. Default 2000.</summary>
    public int ChunkLines { get; set; } = 2000;

    /// <summary>Chunks published but not yet acknowledged, at most. Default 4.</summary>
    public int MaxChunksInFlight { get; set; } = 4;

    /// <summary>How often grain states and source positions are committed while data flows. Default 5 s.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often landing folders are listed for new files. Default 500 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Orders each ingest partition keeps in memory; older ones are reloaded from the store when they
    /// change again. Default 50,000.
    /// </summary>
    public int OrderCacheSize { get; set; } = 50_000;

    /// <summary>Longer lines are quarantined (their first KiB kept). Default 1 MiB.</summary>
    public int MaxLineBytes { get; set; } = 1024 * 1024;

    /// <summary>Expectations evaluated for every source, before the source's own.</summary>
    public List<ExpectationOptions> Expectations { get; set; } = [];

    /// <summary>The store of grain states, positions and quarantine.</summary>
    public StorageOptions Storage { get; set; } = new();
}

/// <summary>One landing folder and how to read its files (docs/sources.md).</summary>
public sealed class SourceOptions
{
    /// <summary>Folder watched for files; relative paths are relative to the working directory.</summary>
    public string Path { get; set; } = "";

    /// <summary><c>jsonl</c> (order events, the default), <c>csv</c> or <c>parquet</c> (order lines).</summary>
    public LineSourceFormat Format { get; set; } = LineSourceFormat.Jsonl;

    /// <summary>File name pattern; default <c>*.jsonl</c>, <c>*.csv</c> or <c>*.parquet</c> by format.</summary>
    public string? Pattern { get; set; }

    /// <summary>csv/parquet: pipeline field → the file's column (docs/sources.md).</summary>
    public Dictionary<string, string> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>csv/parquet: .NET format of text timestamps; ISO-8601 when not set.</summary>
    public string? TimestampFormat { get; set; }

    /// <summary>csv/parquet: IANA time zone of timestamps without an offset and of order dates. Default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>csv: delimiter, quote, header, encoding.</summary>
    public CsvSourceOptions Csv { get; set; } = new();

    /// <summary>Expectations of this source, evaluated after the global ones (docs/expectations.md).</summary>
    public List<ExpectationOptions> Expectations { get; set; } = [];

    /// <summary>The pattern in effect.</summary>
    public string EffectivePattern => Pattern ?? Format switch
    {
        LineSourceFormat.Csv => "*.csv",
        LineSourceFormat.Parquet => "*.parquet",
        _ => "*.jsonl",
    };

    /// <summary>The reading options of a csv or parquet source.</summary>
    public LineSourceOptions ToLineSourceOptions() => new()
    {
        Path = Path,
        Format = Format,
        Columns = new Dictionary<string, string>(Columns, StringComparer.OrdinalIgnoreCase),
        TimestampFormat = TimestampFormat,
        TimeZone = TimeZone,
        Csv = Csv,
    };
}

/// <summary>One declared data-quality rule: <c>{ name, condition, action }</c> (docs/expectations.md).</summary>
public sealed class ExpectationOptions
{
    public string Name { get; set; } = "";

    /// <summary>SQL-like boolean condition over the pipeline's fields, e.g. <c>quantity &lt;&gt; 0</c>.</summary>
    public string Condition { get; set; } = "";

    /// <summary><c>warn</c>, <c>drop</c>, <c>quarantine</c> or <c>fail</c>.</summary>
    public string Action { get; set; } = "";

    internal ExpectationDefinition ToDefinition() => new(Name, Condition, Action);
}

/// <summary>Where pipeline state is kept.</summary>
public sealed class StorageOptions
{
    /// <summary><c>Sqlite</c> (embedded default).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Connection string; default <c>Data Source={DataDirectory}/pipeline.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// While data flows, the SQLite write-ahead log is copied into the database file once this many MiB of rows
    /// were committed since the last copy; when ingestion is idle, after its commit. Default 512.
    /// </summary>
    public int CheckpointMegabytes { get; set; } = (int)(Persistence.SqlitePipelineStore.DefaultCheckpointBytes / (1024 * 1024));
}
