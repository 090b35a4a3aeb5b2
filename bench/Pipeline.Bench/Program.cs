using System.Globalization;
using SalesPipeline.Bench;
using SalesPipeline.Generator;

// End-to-end throughput of the pipeline beside a same-run baseline (docs/benchmarks.md).
// Usage: dotnet run -c Release --project bench/Pipeline.Bench -- [--orders 100000] [--seed 42] [--dirty 0.05] [--silo SILO-ARGS…]
var orders = Arg("--orders", 100_000);
var seed = Arg("--seed", 42);
var dirty = Arg("--dirty", 0.05);
var siloArgs = args.SkipWhile(a => a != "--silo").Skip(1).ToArray(); // e.g. --silo --SalesPipeline:Partitions=16
var work = Directory.CreateTempSubdirectory("sp-bench-").FullName;
try
{
    var landing = Path.Combine(work, "landing");
    var summary = new OrderGenerator(new GeneratorOptions(orders, landing, dirty, seed)).Write();
    Console.WriteLine($"data: {summary.Orders:N0} orders, {summary.Lines:N0} lines in {summary.Files.Count} files ({summary.Duplicates:N0} duplicates, {summary.BadLines:N0} bad lines)");

    var baseline = Baseline.Run(landing);
    var pipeline = await EndToEnd.RunAsync(landing, Path.Combine(work, "data"), siloArgs);

    Console.WriteLine();
    Console.WriteLine("| run | orders | lines | seconds | orders/s | ratio to baseline | peak memory |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    Row("baseline: single-threaded loop, same rules, in memory", baseline.Orders, baseline.Lines, baseline.Elapsed, baseline.Orders / baseline.Elapsed.TotalSeconds, Environment.WorkingSet);
    var baselineRate = baseline.Orders / baseline.Elapsed.TotalSeconds;
    Row("pipeline: silo process, durable (from first connect to caughtUp)", baseline.Orders, pipeline.Lines, pipeline.Ingest, baseline.Orders / pipeline.Ingest.TotalSeconds, pipeline.PeakBytes, baselineRate);
    Row("pipeline: silo process, durable (from process start to caughtUp)", baseline.Orders, pipeline.Lines, pipeline.Total, baseline.Orders / pipeline.Total.TotalSeconds, pipeline.PeakBytes, baselineRate);
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Row(string name, long count, long lines, TimeSpan elapsed, double rate, long memory, double? baselineRate = null) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {count:N0} | {lines:N0} | {elapsed.TotalSeconds:F2} | {rate:N0} | {(baselineRate is { } b ? (rate / b).ToString("F3", CultureInfo.InvariantCulture) : "1.000")} | {memory / (1024.0 * 1024):N0} MiB |"));

T Arg<T>(string name, T fallback) where T : IParsable<T>
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? T.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
