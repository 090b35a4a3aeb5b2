using System.CommandLine;
using SalesPipeline.Cli.Output;

namespace SalesPipeline.Cli.Commands;

/// <summary><c>sales status</c> and <c>sales quarantine list</c>.</summary>
internal static class StatusCommands
{
    public static Command Status()
    {
        var json = CliContext.JsonOption();
        var command = new Command("status", "Ingestion counters per source, Gold key counts and whether the pipeline has caught up") { json };
        command.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var status = await client.GetStatusAsync(ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json.Serialize(status, Json.CamelCase));
                return 0;
            }

            Console.WriteLine($"caught up: {(status.CaughtUp ? "yes" : "no")}   committed epoch: {status.CommittedEpoch}   last commit: {status.LastCommitTime?.UtcDateTime.ToString("u") ?? "never"}");
            if (status.Error is not null)
            {
                Console.WriteLine($"ERROR: {status.Error}");
            }

            Console.WriteLine($"gold: {status.RegionDayKeys} region-days, {status.Products} products, {status.Customers} customers   bronze records: {status.BronzeRecords}");
            Console.WriteLine();
            Table.Write(Console.Out,
                ["source", "format", "files", "done", "read", "applied", "dropped", "quarantined", "duplicates", "stale", "warnings", "in_flight"],
                status.Sources.Select(s => new object?[] { s.Name, s.Format, s.FilesSeen, s.FilesCompleted, s.RecordsRead, s.Applied, s.Dropped, s.Quarantined, s.Duplicates, s.Stale, s.Warnings, s.InFlight }));
            foreach (var source in status.Sources)
            {
                if (source.Error is not null)
                {
                    Console.WriteLine($"{source.Name}: STOPPED: {source.Error}");
                }

                foreach (var problem in source.Problems)
                {
                    Console.WriteLine($"{source.Name}: {problem.File}: {problem.Reason}");
                }

                if (source.NewColumns.Length > 0)
                {
                    Console.WriteLine($"{source.Name}: new columns kept as rescued data: {string.Join(", ", source.NewColumns)}");
                }
            }

            var rules = status.Sources.SelectMany(s => s.Rules.Select(r => new object?[] { s.Name, r.Name, r.Action, r.Evaluated, r.Passed, r.Failed })).ToList();
            if (rules.Count > 0)
            {
                Console.WriteLine();
                Table.Write(Console.Out, ["source", "expectation", "action", "evaluated", "passed", "failed"], rules);
            }

            return 0;
        })));
        return command;
    }

    public static Command Quarantine()
    {
        var source = new Option<string?>("--source") { Description = "Only this source" };
        var limit = new Option<int>("--limit") { Description = "At most N records (default 1000)", DefaultValueFactory = _ => 1000 };
        var json = CliContext.JsonOption();
        var list = new Command("list", "Quarantined records with their reason") { source, limit, json };
        list.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var records = await client.GetQuarantineAsync(parse.GetValue(source), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(Json.Serialize(records.Select(r => new
                {
                    id = r.Id,
                    source = r.Origin.Source,
                    file = r.Origin.File,
                    line = r.Origin.Line,
                    order_id = r.OrderId,
                    reason = r.Reason,
                    rule = r.Rule,
                    raw = r.Raw,
                    raw_bytes = r.RawBytes,
                    ingest_time = r.IngestTime,
                })));
            }
            else
            {
                Table.Write(Console.Out, ["id", "source", "file", "line", "order_id", "rule", "reason"],
                    records.Select(r => new object?[] { r.Id, r.Origin.Source, r.Origin.File, r.Origin.Line, r.OrderId, r.Rule, r.Reason }));
            }

            return 0;
        })));
        var id = new Argument<long>("id") { Description = "Quarantine record id (from quarantine list)" };
        var show = new Command("show", "One quarantined record's raw text, as received") { id };
        show.SetAction(CliContext.Guard((parse, ct) => CliContext.WithClientAsync(parse, ct, async client =>
        {
            var wanted = parse.GetValue(id);
            var record = (await client.GetQuarantineAsync(null, int.MaxValue, ct)).FirstOrDefault(r => r.Id == wanted)
                ?? throw new CliException($"no committed quarantine record {wanted}");
            Console.Error.WriteLine($"{record.Origin.Source}/{record.Origin.File}:{record.Origin.Line}: {record.Reason}");
            Console.WriteLine(record.Raw);
            return 0;
        })));
        var command = new Command("quarantine", "Records that failed a rule or could not be parsed");
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        return command;
    }
}
