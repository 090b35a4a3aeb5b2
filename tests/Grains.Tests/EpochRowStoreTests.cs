using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Bronze;
using SalesPipeline.Grains.Orders;
using SalesPipeline.Grains.Persistence;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>Staging and epoch commits against a real SQLite file: rows read the same before, during and after their commit.</summary>
public sealed class EpochRowStoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sp-rows-").FullName;

    private readonly Serializer serializer = TestSerializer.Create();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<EpochRowStore> OpenAsync() => new(await OpenSqliteAsync(), serializer);

    private async Task<SqlitePipelineStore> OpenSqliteAsync(long checkpointBytes = SqlitePipelineStore.DefaultCheckpointBytes)
    {
        var store = new SqlitePipelineStore($"Data Source={DatabaseFile};Pooling=True", NullLogger<SqlitePipelineStore>.Instance, checkpointBytes);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private string DatabaseFile => Path.Combine(directory, "pipeline.db");

    [Fact]
    public async Task KeysUnderAPrefix_AreTheCommittedStagedAndPendingOnes_AndNoOthers()
    {
        var rows = await OpenAsync();
        var staging = rows.StagingFor("gold-shard/0");
        foreach (var key in new[] { "gold/a_1", "gold/a_2", "gold/ab", "golden/x", "gold/a", "order/sp.order/1" })
        {
            rows.StageSharedEncoded(key, [1, 2, 3]);
        }

        await await rows.StartCommitAsync(1, new Dictionary<string, string> { ["epoch"] = "{}" }, [], idle: false, CancellationToken.None);
        staging.StageEncoded("gold/a_3", [4]);

        // '_' is no wildcard; "golden/x" shares the letters but not the prefix.
        Assert.Equal(["gold/a_1", "gold/a_2", "gold/a_3"], (await staging.KeysAsync("gold/a_")).Order(StringComparer.Ordinal));
        Assert.Equal(["gold/a", "gold/a_1", "gold/a_2", "gold/a_3", "gold/ab"], (await staging.KeysAsync("gold/")).Order(StringComparer.Ordinal));

        // A fresh store (restarted silo) knows which keys exist without holding them: new keys need no read.
        var restarted = await OpenAsync();
        Assert.NotNull(await restarted.ReadCommittedPayloadAsync("gold/ab"));
        Assert.Null(await restarted.ReadCommittedPayloadAsync("gold/ac"));
        Assert.Equal(["order/sp.order/1"], await restarted.CommittedKeysAsync("order/"));
    }

    [Fact]
    public async Task CommittedRows_AreCopiedIntoTheDatabaseFile_AfterAnIdleCommit()
    {
        var sqlite = await OpenSqliteAsync();
        var rows = new EpochRowStore(sqlite, serializer);
        var payloads = StageRandomChunks(rows, 0, 300, seed: 7);

        var before = new FileInfo(DatabaseFile).Length;
        Assert.Equal(payloads.Length, await await rows.StartCommitAsync(1, new Dictionary<string, string> { ["epoch"] = "{}" }, [], idle: true, CancellationToken.None));

        // The commit is durable in the WAL; the checkpoint after it copies its 1.2 MB into the database file.
        await sqlite.CheckpointCompletion;
        Assert.True(new FileInfo(DatabaseFile).Length > before + (payloads.Length * 4096L), $"database file {new FileInfo(DatabaseFile).Length} bytes, {before} before the commit");

        var restarted = await OpenAsync();
        for (var i = 0; i < payloads.Length; i += 37)
        {
            Assert.Equal(payloads[i], await restarted.ReadCommittedPayloadAsync(StateKeys.BronzeChunk(i)));
        }
    }

    [Fact]
    public async Task CommitsWhileDataFlows_AreCopiedIntoTheDatabaseFile_OnlyPastTheCheckpointSize()
    {
        var sqlite = await OpenSqliteAsync(checkpointBytes: 2 * 1024 * 1024);
        var rows = new EpochRowStore(sqlite, serializer);
        var empty = new FileInfo(DatabaseFile).Length;

        // 1.2 MB of rows: under the 2 MiB size, they stay in the WAL only (durable there, and read through it).
        var first = StageRandomChunks(rows, 0, 300, seed: 8);
        Assert.Equal(first.Length, await await rows.StartCommitAsync(1, new Dictionary<string, string> { ["epoch"] = "{}" }, [], idle: false, CancellationToken.None));
        await sqlite.CheckpointCompletion;
        Assert.Equal(empty, new FileInfo(DatabaseFile).Length);
        Assert.True(new FileInfo(DatabaseFile + "-wal").Length > first.Length * 4096L);
        Assert.Equal(first[123], await (await OpenAsync()).ReadCommittedPayloadAsync(StateKeys.BronzeChunk(123)));

        // 2.4 MB since the last copy: past the size, the commit is followed by a checkpoint.
        var second = StageRandomChunks(rows, 300, 300, seed: 9);
        Assert.Equal(second.Length, await await rows.StartCommitAsync(2, new Dictionary<string, string> { ["epoch"] = "{}" }, [], idle: false, CancellationToken.None));
        await sqlite.CheckpointCompletion;
        Assert.True(new FileInfo(DatabaseFile).Length > empty + ((first.Length + second.Length) * 4096L), $"database file {new FileInfo(DatabaseFile).Length} bytes, {empty} before the commits");

        var restarted = await OpenAsync();
        Assert.Equal(first[5], await restarted.ReadCommittedPayloadAsync(StateKeys.BronzeChunk(5)));
        Assert.Equal(second[299], await restarted.ReadCommittedPayloadAsync(StateKeys.BronzeChunk(599)));
    }

    /// <summary>Stages <paramref name="count"/> shared rows of 4 KiB of random bytes as Bronze chunks from <paramref name="first"/> on.</summary>
    private static byte[][] StageRandomChunks(EpochRowStore rows, int first, int count, int seed)
    {
        var random = new Random(seed);
        var payloads = Enumerable.Range(0, count).Select(_ => { var bytes = new byte[4096]; random.NextBytes(bytes); return bytes; }).ToArray();
        for (var i = 0; i < count; i++)
        {
            rows.StageSharedEncoded(StateKeys.BronzeChunk(first + i), payloads[i]);
        }

        return payloads;
    }

    [Fact]
    public async Task StagedRows_ReadBackBeforeAndAfterCommit_AndFromAFreshStore()
    {
        var rows = await OpenAsync();
        var staging = rows.StagingFor("order-partition/0");
        var order = new OrderState { OrderId = "o-1", CurrentEvent = null };
        order.BronzeRefs.Add(new BronzeRef(1, 0, RecordOutcome.Quarantined));
        staging.Stage(StateKeys.Order("o-1"), order);
        var chunk = new BronzeChunk { Source = "landing", File = "a.jsonl", IngestTime = DateTimeOffset.UnixEpoch };
        chunk.Records.Add(new BronzeRecord(1, "not json", "o-1", RecordOutcome.Quarantined, "not valid JSON"));
        rows.StageSharedEncoded(StateKeys.BronzeChunk(1), StatePayload.Encode(chunk));

        // Staged: the owner gets its very instance back; the chunk decodes from its stored form.
        Assert.Same(order, await staging.ReadAsync<OrderState>(StateKeys.Order("o-1")));
        Assert.Equal(chunk.Records, (await rows.ReadSharedAsync<BronzeChunk>(StateKeys.BronzeChunk(1)))!.Records);
        Assert.Equal(2, rows.StagedCount);

        var write = await rows.StartCommitAsync(1, new Dictionary<string, string> { ["epoch"] = "{}" }, [], idle: false, CancellationToken.None);
        Assert.Equal(0, rows.StagedCount);
        Assert.Equal(order.BronzeRefs, (await staging.ReadAsync<OrderState>(StateKeys.Order("o-1")))!.BronzeRefs); // being written or written
        Assert.Equal(2, await write);

        // Written: a fresh store (a restarted silo) reads both rows from SQLite.
        var restarted = await OpenAsync();
        var stored = await restarted.StagingFor("order-partition/0").ReadAsync<OrderState>(StateKeys.Order("o-1"));
        Assert.Equal(order.BronzeRefs, stored!.BronzeRefs);
        var entries = await BronzeLog.ReadAsync(restarted, stored);
        Assert.Equal(("a.jsonl", 1L, "not json", RecordOutcome.Quarantined, "not valid JSON"), (entries[0].Origin.File, entries[0].Origin.Line, entries[0].Raw, entries[0].Outcome, entries[0].Reason));
        Assert.Null(await restarted.StagingFor("order-partition/0").ReadAsync<OrderState>(StateKeys.Order("o-2")));
    }

    [Fact]
    public async Task RowChangedAfterTheCut_IsWrittenByTheNextCommit()
    {
        var rows = await OpenAsync();
        var staging = rows.StagingFor("customer-shard/3");
        var order = new OrderState { OrderId = "o-9" };
        staging.Stage(StateKeys.Order("o-9"), order);
        await await rows.StartCommitAsync(1, new Dictionary<string, string>(), [], idle: false, CancellationToken.None);

        order.BronzeRefs.Add(new BronzeRef(4, 2, RecordOutcome.Applied));
        staging.Stage(StateKeys.Order("o-9"), order);
        Assert.Equal(1, await await rows.StartCommitAsync(2, new Dictionary<string, string>(), [], idle: false, CancellationToken.None));

        var stored = await (await OpenAsync()).StagingFor("customer-shard/3").ReadAsync<OrderState>(StateKeys.Order("o-9"));
        Assert.Equal([new BronzeRef(4, 2, RecordOutcome.Applied)], stored!.BronzeRefs);
    }

    [Fact]
    public async Task CachedRows_AreKeptInStoredForm_AndReadTheSameStagedCommittedAndAfterEviction()
    {
        var rows = await OpenAsync();
        var staging = rows.StagingFor("order-partition/1");
        var cache = new RowCache<OrderState>(staging, StateKeys.Order, capacity: 2);
        var order = await cache.GetOrCreateAsync("o-1", static () => new OrderState { OrderId = "o-1" });
        order.BronzeRefs.Add(new BronzeRef(7, 3, RecordOutcome.Applied));
        cache.Stage("o-1", order);

        // A change after staging is not kept: the cache and the staging hold the row as encoded.
        order.BronzeRefs.Add(new BronzeRef(8, 0, RecordOutcome.Duplicate));
        var cached = await cache.FindAsync("o-1");
        Assert.NotSame(order, cached);
        Assert.Equal([new BronzeRef(7, 3, RecordOutcome.Applied)], cached!.BronzeRefs);
        Assert.Equal(cached.BronzeRefs, (await staging.ReadAsync<OrderState>(StateKeys.Order("o-1")))!.BronzeRefs);

        // The commit writes the staged bytes; evicted (two more rows in a cache of two), the row comes back from SQLite.
        Assert.Equal(1, await await rows.StartCommitAsync(1, new Dictionary<string, string>(), [], idle: false, CancellationToken.None));
        foreach (var id in new[] { "o-2", "o-3" })
        {
            cache.Stage(id, new OrderState { OrderId = id });
        }

        Assert.Equal(2, cache.Count);
        Assert.Equal([new BronzeRef(7, 3, RecordOutcome.Applied)], (await cache.FindAsync("o-1"))!.BronzeRefs);
        Assert.Null(await cache.FindAsync("o-4"));
    }

    [Fact]
    public async Task CachedRows_ReadBackWhole_AcrossGenerationsReusedSegmentsAndCommits()
    {
        var rows = await OpenAsync();
        var staging = rows.StagingFor("order-partition/2");
        var cache = new RowCache<OrderState>(staging, StateKeys.Order, capacity: 4);
        OrderState Row(int id, int version) => new() { OrderId = $"o-{id}", BronzeRefs = [.. Enumerable.Range(0, 40 + id).Select(i => new BronzeRef(version, i, RecordOutcome.Applied))] };
        var versions = new Dictionary<int, int>();

        // Generations of two rows: every few stagings one generation is dropped and its segments go back to the
        // pool, to be reused by the next; rows hit in the old generation are copied out of it first.
        for (var step = 0; step < 200; step++)
        {
            var id = (step * 7) % 11;
            var found = await cache.FindAsync($"o-{id}");
            Assert.Equal(versions.TryGetValue(id, out var version) ? Row(id, version).BronzeRefs : null, found?.BronzeRefs);
            versions[id] = step;
            cache.Stage($"o-{id}", Row(id, step));
            if (step % 50 == 49)
            {
                await await rows.StartCommitAsync(step / 50 + 1, new Dictionary<string, string>(), [], idle: false, CancellationToken.None);
            }
        }

        // What the last commit wrote and what is still staged read the same from a fresh cache and after a restart.
        var fresh = new RowCache<OrderState>(staging, StateKeys.Order, capacity: 4);
        foreach (var (id, version) in versions)
        {
            Assert.Equal(Row(id, version).BronzeRefs, (await fresh.FindAsync($"o-{id}"))!.BronzeRefs);
        }

        await await rows.StartCommitAsync(5, new Dictionary<string, string>(), [], idle: false, CancellationToken.None);
        var restarted = (await OpenAsync()).StagingFor("order-partition/2");
        foreach (var (id, version) in versions)
        {
            Assert.Equal(Row(id, version).BronzeRefs, (await restarted.ReadAsync<OrderState>(StateKeys.Order($"o-{id}")))!.BronzeRefs);
        }
    }
}
