using System.Text;
using System.Text.Json.Nodes;

namespace SalesPipeline.Delta;

/// <summary>What a commit changes and what it read, for conflict checks against commits that won the race.</summary>
internal sealed class PendingCommit
{
    public required string Operation { get; init; }
    public Dictionary<string, string> OperationParameters { get; init; } = [];
    public List<DeltaAction> Actions { get; init; } = [];
    public TxnAction? Txn { get; init; }
    /// <summary>Only adds, read nothing: other writers' adds never conflict.</summary>
    public bool IsBlindAppend { get; init; }
    /// <summary>Partitions this commit read (overwrite/delete scope); null with !IsBlindAppend means the whole table.</summary>
    public Func<IReadOnlyDictionary<string, string?>, bool>? ReadScope { get; init; }
    /// <summary>Data-rearranging commits (OPTIMIZE) only conflict with removal of the files they rewrite.</summary>
    public bool DataChange { get; init; } = true;
    public IReadOnlyDictionary<string, string>? ExtraCommitInfo { get; init; }
    public Dictionary<string, string> Metrics { get; init; } = [];
}

/// <summary>Optimistic commit: put-if-absent of the next version, conflict check and retry when another writer won.</summary>
internal static class Transaction
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "timestamp", "operation", "operationParameters", "readVersion", "isolationLevel", "isBlindAppend", "operationMetrics", "engineInfo", "txnId",
    };

    public static async Task<DeltaCommitResult> CommitAsync(IDeltaLogStore store, DeltaTableOptions options, TableState? read, PendingCommit commit, CancellationToken ct)
    {
        var readVersion = read?.Version ?? -1;
        var removed = commit.Actions.OfType<RemoveAction>().Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        var added = commit.Actions.Count(a => a is AddAction);
        var attempt = readVersion + 1;
        var txnId = Guid.NewGuid().ToString();
        for (var tries = 1; ; tries++)
        {
            var now = options.TimeProvider.GetUtcNow();
            var lines = new StringBuilder();
            lines.Append(ActionJson.ToLine(CommitInfo(commit, options, readVersion, now, txnId))).Append('\n');
            if (commit.Txn is { } txn) lines.Append(ActionJson.ToLine(txn with { LastUpdated = now.ToUnixTimeMilliseconds() })).Append('\n');
            foreach (var a in commit.Actions) lines.Append(ActionJson.ToLine(a)).Append('\n');
            if (await store.PutIfAbsentAsync(LogFiles.Commit(attempt), Encoding.UTF8.GetBytes(lines.ToString()), ct))
            {
                await AfterCommitAsync(store, options, attempt, ct);
                return new DeltaCommitResult(attempt, true, tries, added, removed.Count);
            }
            if (attempt == 0)
                throw new DeltaConcurrencyException($"A Delta table already exists at '{store.Root}'.", 0);
            if (tries >= options.MaxCommitAttempts)
                throw new DeltaConcurrencyException($"Gave up committing to '{store.Root}' after {tries} attempts: other writers keep winning.", attempt);

            // Another writer published this version: check what it did against what we read and wrote.
            var winner = await LogReplay.ReadCommitAsync(store, attempt, ct);
            if (commit.Txn is { } mine && winner.OfType<TxnAction>().Any(t => t.AppId == mine.AppId && t.Version >= mine.Version))
                return new DeltaCommitResult(attempt, false, tries, 0, 0);
            if (Conflict(commit, removed, winner) is { } reason)
                throw new DeltaConcurrencyException($"Concurrent commit {attempt} conflicts with this {commit.Operation}: {reason}. Re-read the table and retry.", attempt);
            attempt++;
        }
    }

    private static string? Conflict(PendingCommit mine, HashSet<string> removed, IReadOnlyList<DeltaAction> winner)
    {
        foreach (var a in winner)
        {
            switch (a)
            {
                case MetadataAction: return "it changed the table metadata (schema or properties)";
                case ProtocolAction: return "it changed the protocol";
                case TxnAction t when mine.Txn is { } m && t.AppId == m.AppId && t.Version < m.Version:
                    return $"it committed transaction '{t.AppId}' version {t.Version} concurrently";
                case RemoveAction r when removed.Contains(r.Path):
                    return $"it also removed '{r.Path}'";
                case AddAction add when add.DataChange && !mine.IsBlindAppend && mine.DataChange && (mine.ReadScope is null || mine.ReadScope(add.PartitionValues)):
                    return $"it added '{add.Path}' to data this commit read";
            }
        }
        return null;
    }

    private static CommitInfoAction CommitInfo(PendingCommit c, DeltaTableOptions options, long readVersion, DateTimeOffset now, string txnId)
    {
        var parameters = new JsonObject();
        foreach (var (k, v) in c.OperationParameters) parameters[k] = v;
        var metrics = new JsonObject();
        foreach (var (k, v) in c.Metrics) metrics[k] = v;
        var o = new JsonObject
        {
            ["timestamp"] = now.ToUnixTimeMilliseconds(),
            ["operation"] = c.Operation,
            ["operationParameters"] = parameters,
            ["isolationLevel"] = "Serializable",
            ["isBlindAppend"] = c.IsBlindAppend,
            ["operationMetrics"] = metrics,
            ["engineInfo"] = options.EngineInfo,
            ["txnId"] = txnId,
        };
        if (readVersion >= 0) o["readVersion"] = readVersion;
        foreach (var (k, v) in c.ExtraCommitInfo ?? new Dictionary<string, string>())
        {
            if (Reserved.Contains(k)) throw new ArgumentException($"commitInfo key '{k}' is reserved by the protocol writer.");
            o[k] = v;
        }
        return new CommitInfoAction(o);
    }

    private static async Task AfterCommitAsync(IDeltaLogStore store, DeltaTableOptions options, long version, CancellationToken ct)
    {
        if (version == 0 || version % options.CheckpointInterval != 0) return;
        var state = await LogReplay.LoadAsync(store, version, ct);
        await Checkpoints.WriteAsync(store, state, options.TimeProvider.GetUtcNow(), options.DeletedFileRetention, ct);
        if (options.EnableExpiredLogCleanup)
            await LogCleanup.RunAsync(store, options.TimeProvider.GetUtcNow() - options.LogRetention, ct);
    }
}
