using System.CommandLine;
using SalesPipeline.Cli.Commands;

var root = new RootCommand("sales: query and operate a SalesPipeline silo");
root.Options.Add(CliContext.Gateway);
root.Subcommands.Add(StatusCommands.Status());
root.Subcommands.Add(QueryCommands.Create());
root.Subcommands.Add(FileCommands.Ingest());
root.Subcommands.Add(FileCommands.Generate());
root.Subcommands.Add(StatusCommands.Quarantine());
root.Subcommands.Add(SalesPipeline.Cli.Delta.DeltaCommands.Create());
root.Subcommands.Add(SqlCommands.Create());
LakehouseCommands.AddTo(root);
root.Subcommands.Add(ExportCommands.Create());
return await root.Parse(args).InvokeAsync();
