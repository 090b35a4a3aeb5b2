using System.Diagnostics;

namespace SalesPipeline.Delta.Tests;

public sealed class ConcurrencyTests
{
    private static readonly DeltaSchema Schema = new(new DeltaField("id", DeltaDataType.Long, Nullable: false), new DeltaField("writer", DeltaDataType.String));

    [Fact]
    public async Task Append_RacingThreads_NoCommitLostAndContentsAreSumOfAppends()
    {
        using var dir = new TempDir();
        await DeltaTable.CreateAsync(dir.Path, Schema, options: new DeltaTableOptions { CheckpointInterval = 5 });
        const int writers = 6, commits = 5, rowsPer = 3;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var versions = new System.Collections.Concurrent.ConcurrentBag<long>();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var table = await DeltaTable.OpenAsync(dir.Path, new DeltaTableOptions { CheckpointInterval = 5 });
            await start.Task;
            for (var i = 0; i < commits; i++)
            {
                var rows = Enumerable.Range(0, rowsPer).Select(r => new object?[] { (long)(w * 1000 + i * 10 + r), $"w{w}" }).ToList();
                versions.Add((await table.AppendAsync(rows)).Version);
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);
        Assert.Equal(writers * commits, versions.Distinct().Count());
        var snapshot = await (await DeltaTable.OpenAsync(dir.Path)).GetSnapshotAsync();
        Assert.Equal(writers * commits, snapshot.Version);
        var ids = (await snapshot.ReadAllAsync()).Select(r => (long)r[0]!).Order().ToList();
        Assert.Equal(writers * commits * rowsPer, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Overwrite_ConcurrentAppendToSamePartition_ThrowsConflict()
    {
        using var dir = new TempDir();
        var schema = new DeltaSchema(new DeltaField("id", DeltaDataType.Long), new DeltaField("region", DeltaDataType.String));
        var table = await DeltaTable.CreateAsync(dir.Path, schema, ["region"]);
        await table.AppendAsync([[1L, "EU"], [2L, "US"]]);
        // The overwrite reads version 1; another writer appends to EU (version 2) before it commits.
        var state = await table.LoadForWriteAsync(CancellationToken.None);
        await table.AppendAsync([[3L, "EU"]]);
        var remove = DeltaTable.Remove(state.Files.Values.First(a => a.PartitionValues["region"] == "EU"), 0, dataChange: true);
        var commit = new PendingCommit
        {
            Operation = "WRITE", Actions = [remove], ReadScope = pv => pv.GetValueOrDefault("region") == "EU",
        };
        var ex = await Assert.ThrowsAsync<DeltaConcurrencyException>(() => Transaction.CommitAsync(table.Store, table.Options, state, commit, CancellationToken.None));
        Assert.Equal(2, ex.ConflictingVersion);
        // An overwrite of a partition the other writer did not touch goes through on retry.
        var usCommit = new PendingCommit
        {
            Operation = "WRITE", Actions = [DeltaTable.Remove(state.Files.Values.First(a => a.PartitionValues["region"] == "US"), 0, true)],
            ReadScope = pv => pv.GetValueOrDefault("region") == "US",
        };
        var ok = await Transaction.CommitAsync(table.Store, table.Options, state, usCommit, CancellationToken.None);
        Assert.Equal(3, ok.Version);
        Assert.Equal(2, ok.Attempts);
    }

    [Fact]
    public async Task Append_SameTxnRacingAgainstItself_RecordedOnce()
    {
        using var dir = new TempDir();
        await DeltaTable.CreateAsync(dir.Path, Schema);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var table = await DeltaTable.OpenAsync(dir.Path);
            await start.Task;
            return await table.AppendAsync([[1L, "x"]], new DeltaWriteOptions { Transaction = new("snap", 1) });
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        Assert.Single(results, r => r.Committed);
        Assert.Single(await (await (await DeltaTable.OpenAsync(dir.Path)).GetSnapshotAsync()).ReadAllAsync());
    }

    [Fact]
    public async Task Append_RacingProcesses_NoCommitLostAndContentsAreSumOfAppends()
    {
        using var dir = new TempDir();
        await DeltaTable.CreateAsync(dir.Path, Schema);
        const int processes = 3, commits = 8, rowsPer = 2;
        var procs = Enumerable.Range(0, processes).Select(w => Start("append", dir.Path, w.ToString(), commits.ToString(), rowsPer.ToString())).ToList();
        var outputs = await Task.WhenAll(procs.Select(async p =>
        {
            var stdout = await p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, stderr);
            return stdout;
        }));
        var committed = outputs.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Where(l => l.StartsWith("ok ", StringComparison.Ordinal))
            .Select(l => long.Parse(l[3..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(processes * commits, committed.Count);
        Assert.Equal(committed.Count, committed.Distinct().Count());
        var snapshot = await (await DeltaTable.OpenAsync(dir.Path)).GetSnapshotAsync();
        Assert.Equal(processes * commits, snapshot.Version);
        var ids = (await snapshot.ReadAllAsync()).Select(r => (long)r[0]!).ToList();
        Assert.Equal(processes * commits * rowsPer, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Append_WriterKilledMidCommit_TableStaysReadable()
    {
        using var dir = new TempDir();
        var table = await DeltaTable.CreateAsync(dir.Path, Schema, options: new DeltaTableOptions { CheckpointInterval = 3 });
        for (var round = 0; round < 3; round++)
        {
            var p = Start("append-slow", dir.Path);
            // Let it commit a few times, then kill it wherever it is (writing data, writing the temp entry, linking, checkpointing).
            var seen = 0;
            while (seen < 3 + round && await p.StandardOutput.ReadLineAsync() is { } line)
                if (line.StartsWith("ok ", StringComparison.Ordinal)) seen++;
            await Task.Delay(7 * round);
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            var snapshot = await table.GetSnapshotAsync();
            var rows = await snapshot.ReadAllAsync();
            Assert.Equal(snapshot.Version, rows.Count);
        }
        // And the table still accepts writes.
        var after = await table.AppendAsync([[-1L, "after"]]);
        Assert.True(after.Committed);
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(TestPaths.BenchDll());
        psi.ArgumentList.Add("worker");
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the worker process");
    }
}
