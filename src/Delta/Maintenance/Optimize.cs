using System.Globalization;

namespace SalesPipeline.Delta;

/// <summary>OPTIMIZE: bin-packs files under the target size within each partition (dataChange=false).</summary>
internal static class Optimize
{
    public static async Task<DeltaCommitResult> RunAsync(DeltaTable table, CancellationToken ct)
    {
        var options = table.Options;
        var state = await table.LoadForWriteAsync(ct);
        var schema = DeltaSchema.FromJson(state.Metadata!.SchemaString);
        var partitionColumns = state.Metadata.PartitionColumns;
        var target = options.OptimizeTargetFileSize;
        var now = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var actions = new List<DeltaAction>();
        var added = 0;
        long rowsRewritten = 0;
        foreach (var partition in state.Files.Values.Where(a => a.Size < target)
                     .GroupBy(a => string.Join('\u0001', partitionColumns.Select(c => a.PartitionValues.GetValueOrDefault(c) ?? "\u0000"))))
        {
            // First-fit over files sorted by size: each bin holds up to the target size.
            var bins = new List<List<AddAction>>();
            var sizes = new List<long>();
            foreach (var file in partition.OrderBy(a => a.Size))
            {
                var i = sizes.FindIndex(s => s + file.Size <= target);
                if (i < 0) { bins.Add([file]); sizes.Add(file.Size); }
                else { bins[i].Add(file); sizes[i] += file.Size; }
            }
            foreach (var bin in bins.Where(b => b.Count > 1))
            {
                var rows = new List<object?[]>();
                foreach (var file in bin) rows.AddRange(await DataFileReader.ReadAsync(table.Store, schema, partitionColumns, file, options.PartitionTimestampTimeZone, ct));
                var adds = await DataFileWriter.WriteAsync(table.Store, schema, partitionColumns, rows, int.MaxValue, now, dataChange: false, ct);
                actions.AddRange(bin.Select(f => DeltaTable.Remove(f, now, dataChange: false)));
                actions.AddRange(adds);
                added += adds.Count;
                rowsRewritten += rows.Count;
            }
        }
        if (actions.Count == 0) return new DeltaCommitResult(state.Version, false, 0, 0, 0);
        var commit = new PendingCommit
        {
            Operation = "OPTIMIZE",
            OperationParameters = new() { ["predicate"] = "[]", ["zOrderBy"] = "[]" },
            Actions = actions,
            DataChange = false,
            Metrics = new()
            {
                ["numAddedFiles"] = added.ToString(CultureInfo.InvariantCulture),
                ["numRemovedFiles"] = actions.OfType<RemoveAction>().Count().ToString(CultureInfo.InvariantCulture),
                ["numRowsRewritten"] = rowsRewritten.ToString(CultureInfo.InvariantCulture),
            },
        };
        return await Transaction.CommitAsync(table.Store, options, state, commit, ct);
    }
}
