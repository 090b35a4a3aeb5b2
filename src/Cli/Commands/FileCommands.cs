using System.CommandLine;
using SalesPipeline.Generator;

namespace SalesPipeline.Cli.Commands;

/// <summary><c>sales ingest</c> and <c>sales generate</c>: putting files where the pipeline reads them.</summary>
internal static class FileCommands
{
    public static Command Ingest()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Files to publish", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string?>("--to") { Description = "Landing folder (default: the running silo's source folder)" };
        var sourceName = new Option<string?>("--source") { Description = "Source whose folder receives the files (default: the first)" };
        var command = new Command("ingest", "Publish files into a landing folder atomically (copy to a temp name, then rename)") { files, to, sourceName };
        command.SetAction(CliContext.Guard(async (parse, ct) =>
        {
            var inputs = parse.GetValue(files)!;
            foreach (var file in inputs.Where(f => !f.Exists))
            {
                throw new CliException($"no such file: {file.FullName}");
            }

            var folder = parse.GetValue(to);
            if (folder is null)
            {
                await CliContext.WithClientAsync(parse, ct, async client =>
                {
                    var status = await client.GetStatusAsync(ct);
                    var wanted = parse.GetValue(sourceName);
                    var source = wanted is null ? status.Sources.FirstOrDefault() : status.Sources.FirstOrDefault(s => s.Name == wanted);
                    folder = source?.Path ?? throw new CliException(wanted is null ? "the silo has no source" : $"the silo has no source '{wanted}'");
                    return 0;
                });
            }

            foreach (var file in inputs)
            {
                var target = Path.Combine(folder!, file.Name);
                if (File.Exists(target))
                {
                    throw new CliException($"{target} already exists; published files are immutable, use another name");
                }

                Abstractions.Files.LandingFiles.PublishCopy(file.FullName, folder!);
                Console.WriteLine($"published {file.Name} → {target}");
            }

            return 0;
        }));
        return command;
    }

    public static Command Generate()
    {
        var orders = new Option<int>("--orders") { Description = "Number of orders", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var dirty = new Option<double>("--dirty") { Description = "Rate of duplicates and bad lines (default 0.05)", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { Description = "Random seed (default 42): same seed, same files", DefaultValueFactory = _ => 42 };
        var fileCount = new Option<int>("--files") { Description = "Number of files (default: one per 20,000 lines, at least 3)" };
        var format = new Option<string>("--format")
        {
            Description = "jsonl (order events, default), csv or parquet (order-line exports with a _mapping.yaml, see docs/sources.md)",
            DefaultValueFactory = _ => "jsonl",
        };
        format.AcceptOnlyFromAmong("jsonl", "csv", "parquet");
        var command = new Command("generate", "Write a deterministic data set of order events or order-line exports") { orders, output, dirty, seed, fileCount, format };
        command.SetAction(CliContext.Guard((parse, ct) =>
        {
            var count = parse.GetValue(orders);
            var rate = parse.GetValue(dirty);
            if (count < 1)
            {
                throw new CliException("--orders must be at least 1");
            }

            if (rate is < 0 or > 1)
            {
                throw new CliException("--dirty must be between 0 and 1");
            }

            var kind = Enum.Parse<GeneratorFormat>(parse.GetValue(format)!, ignoreCase: true);
            var summary = new OrderGenerator(new GeneratorOptions(count, parse.GetValue(output)!, rate, parse.GetValue(seed), parse.GetValue(fileCount), kind)).Write();
            Console.WriteLine(kind == GeneratorFormat.Jsonl
                ? $"{summary.Orders} orders, {summary.Events} events, {summary.Duplicates} duplicates, {summary.BadLines} bad lines: {summary.Lines} lines in {summary.Files.Count} files under {parse.GetValue(output)}"
                : $"{summary.Orders} orders, {summary.Events} lines, {summary.Duplicates} duplicates, {summary.BadLines} bad rows: {summary.Lines} rows in {summary.Files.Count} files under {parse.GetValue(output)} (mapping: {LineExportGenerator.MappingFileName})");
            return Task.FromResult(0);
        }));
        return command;
    }
}
