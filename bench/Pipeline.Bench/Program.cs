using System.Globalization;
using SalesPipeline.Bench;
using SalesPipeline.Generator;

// End-to-end throughput of the pipeline beside a same-run baseline (docs/benchmarks.md).
// Usage: dotnet run -c Release --project bench/Pipeline.Bench -- [--orders 100000 | --format csv --lines 1000000] [--seed 42] [--dirty 0.05] [--silo SILO-ARGS…]
var format = Arg("--format", "jsonl");
var csv = format == "csv";

// The generator writes about 2.77 csv rows per requested order.
var orders = csv ? (int)(Arg("--lines", 1_000_000) / 2.77) : Arg("--orders", 100_000);
var seed = Arg("--seed", 42);
var dirty = Arg("--dirty", 0.05);
var benchRules = BenchRulesOf();
var siloArgs = args.SkipWhile(a => a != "--silo").Skip(1).ToArray(); // e.g. --silo --SalesPipeline:Partitions=16
var work = Directory.CreateTempSubdirectory("sp-bench-").FullName;
try
{
    // --landing DIR reuses a generated data set (sales generate …) instead of writing a new one.
    var landing = Arg("--landing", "");
    if (landing.Length == 0)
    {
        landing = Path.Combine(work, "landing");
        var summary = new OrderGenerator(new GeneratorOptions(orders, landing, dirty, seed, Format: csv ? GeneratorFormat.Csv : GeneratorFormat.Jsonl)).Write();
        Console.WriteLine($"data: {format}, {summary.Orders:N0} orders, {summary.Lines:N0} lines in {summary.Files.Count} files ({summary.Duplicates:N0} duplicates, {summary.BadLines:N0} bad lines)");
    }

    var baseline = csv ? CsvBaseline.Run(landing, LineExportGenerator.TimestampFormat) : Baseline.Run(landing);
    string[] sourceArgs = csv
        ? [
            "--SalesPipeline:Sources:bench:Format=csv",
            $"--SalesPipeline:Sources:bench:TimestampFormat={LineExportGenerator.TimestampFormat}",
            .. LineExportGenerator.Mapping.Select(m => $"--SalesPipeline:Sources:bench:Columns:{m.Key}={m.Value}"),
            .. benchRules.Select((r, i) => $"--SalesPipeline:Sources:bench:Expectations:{i}:Name={r.Name}")
                .Concat(benchRules.Select((r, i) => $"--SalesPipeline:Sources:bench:Expectations:{i}:Condition={r.Condition}"))
                .Concat(benchRules.Select((r, i) => $"--SalesPipeline:Sources:bench:Expectations:{i}:Action={r.Action}")),
        ]
        : [];
    var pipeline = await EndToEnd.RunAsync(landing, Path.Combine(work, "data"), [.. sourceArgs, .. siloArgs]);

    // Orders for order events, lines for line sources: what each issue's target counts.
    var unit = csv ? "lines" : "orders";
    double Count(BaselineResult b) => csv ? b.Lines : b.Orders;
    Console.WriteLine();
    Console.WriteLine($"| run | orders | lines | seconds | {unit}/s | ratio to baseline | peak memory |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    Row(csv ? "baseline: single-threaded Sep loop, parse and aggregate in memory" : "baseline: single-threaded loop, same rules, in memory",
        baseline.Orders, baseline.Lines, baseline.Elapsed, Count(baseline) / baseline.Elapsed.TotalSeconds, Environment.WorkingSet);
    var baselineRate = Count(baseline) / baseline.Elapsed.TotalSeconds;
    Row("pipeline: silo process, durable (from ingestion start to caughtUp)", baseline.Orders, pipeline.Lines, pipeline.SinceIngestionStart, Count(baseline) / pipeline.SinceIngestionStart.TotalSeconds, pipeline.PeakBytes, baselineRate);
    Row("pipeline: silo process, durable (from first connect to caughtUp)", baseline.Orders, pipeline.Lines, pipeline.Ingest, Count(baseline) / pipeline.Ingest.TotalSeconds, pipeline.PeakBytes, baselineRate);
    Row("pipeline: silo process, durable (from process start to caughtUp)", baseline.Orders, pipeline.Lines, pipeline.Total, Count(baseline) / pipeline.Total.TotalSeconds, pipeline.PeakBytes, baselineRate);
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"silo CPU time until caughtUp: {pipeline.CpuSeconds:F1} s ({pipeline.CpuSeconds / pipeline.Total.TotalSeconds:F2} cores on average; {pipeline.CpuSeconds * 1e6 / Count(baseline):F0} µs per {unit[..^1]}); baseline {baseline.Elapsed.TotalSeconds * 1e6 / Count(baseline):F1} µs per {unit[..^1]}"));
}
finally
{
    // SALES_BENCH_KEEP=1 keeps the data set and the silo's data folder (its SQLite file) for a look afterwards.
    if (Environment.GetEnvironmentVariable("SALES_BENCH_KEEP") == "1")
    {
        Console.WriteLine($"kept: {work}");
    }
    else
    {
        Directory.Delete(work, recursive: true);
    }
}

// Expectations of the csv run: the example rules.
static (string Name, string Condition, string Action)[] BenchRulesOf() =>
[
    ("nonzero_quantity", "quantity <> 0", "drop"),
    ("price_not_negative", "unit_price >= 0", "quarantine"),
    ("has_customer", "customer_id IS NOT NULL", "warn"),
];

void Row(string name, long count, long lines, TimeSpan elapsed, double rate, long memory, double? baselineRate = null) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {count:N0} | {lines:N0} | {elapsed.TotalSeconds:F2} | {rate:N0} | {(baselineRate is { } b ? (rate / b).ToString("F3", CultureInfo.InvariantCulture) : "1.000")} | {memory / (1024.0 * 1024):N0} MiB |"));

T Arg<T>(string name, T fallback) where T : IParsable<T>
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? T.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
