using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;
using SalesPipeline.Abstractions.Model;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Reads use pooled connections; commits run
/// one transaction with synchronous=FULL, so a committed epoch survives a crash of the process or the machine.
/// A commit is durable once its transaction is in the WAL. Copying the WAL into the database file (the
/// checkpoint) runs in the background, after a commit made while ingestion is idle, or once the rows committed
/// since the last copy exceed <paramref name="checkpointBytes"/>: not after every commit, where it competed
/// with ingestion for the CPU (a tenth of a csv run), nor inside the commit as SQLite's automatic checkpoint
/// would (a third of the last epoch's write, which a run waits for before it reports caught up).
/// </summary>
internal sealed partial class SqlitePipelineStore(string connectionString, ILogger<SqlitePipelineStore> logger, long checkpointBytes = SqlitePipelineStore.DefaultCheckpointBytes) : IPipelineStore
{
    /// <summary>Rows committed between two checkpoints while data flows, at most (about as much WAL): 512 MiB.</summary>
    public const long DefaultCheckpointBytes = 512L * 1024 * 1024;

    private readonly SemaphoreSlim writeLock = new(1, 1);

    /// <summary>The latest checkpoint; one at a time.</summary>
    private Task checkpointing = Task.CompletedTask;

    /// <summary>Bytes of rows committed since the latest checkpoint started.</summary>
    private long uncheckpointed;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var script in new[] { "pipeline-schema.sql", "orleans-persistence.sql" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = SqlScripts.Read("sqlite", script);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyCollection<string>> ReadStateKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        if (prefix.Length == 0)
        {
            command.CommandText = "SELECT state_key FROM sp_grain_state";
        }
        else
        {
            command.CommandText = $"SELECT state_key FROM sp_grain_state WHERE {StateRows.UnderPrefix}";
            StateRows.BindPrefix(command, prefix);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async IAsyncEnumerable<(string Key, byte[] Payload)> ReadStatesAsync(string prefix, Func<string, bool> keep, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await foreach (var row in StateRows.ReadAsync(connection, transaction, prefix, cancellationToken, keep: keep))
        {
            yield return row;
        }
    }

    public async Task<byte[]?> ReadStateAsync(string stateKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM sp_grain_state WHERE state_key = $key";
        command.Parameters.AddWithValue("$key", stateKey);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<StoredCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, epoch, payload FROM sp_checkpoint";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long epoch = 0;
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            documents[reader.GetString(0)] = reader.GetString(2);
            epoch = Math.Max(epoch, reader.GetInt64(1));
        }

        return new StoredCheckpoint(epoch, documents);
    }

    public async Task CommitAsync(EpochCommit commit, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                // A page cache that holds a whole epoch's pages: with the default 2 MB, pages of a big epoch
                // are evicted and written to the WAL again and again within one transaction.
                pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 0;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            WriteStates(connection, commit, cancellationToken);
            await WriteCheckpointsAsync(connection, transaction, commit, cancellationToken);
            WriteQuarantine(connection, commit, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            uncheckpointed += commit.States.Sum(s => (long)s.Payload.Length) + commit.Quarantine.Sum(q => (long)q.Raw.Length);
            if ((commit.Idle || uncheckpointed >= checkpointBytes) && checkpointing.IsCompleted)
            {
                uncheckpointed = 0;
                checkpointing = Task.Run(CheckpointAsync, CancellationToken.None);
            }
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// Copies committed WAL frames into the database file without waiting for readers or blocking writers
    /// (PASSIVE); what a reader still uses is copied by the next one. A failure loses nothing: the frames stay in
    /// the WAL, which SQLite reads through, and the next checkpoint copies them.
    /// </summary>
    private async Task CheckpointAsync()
    {
        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex)
        {
            LogCheckpointFailed(logger, ex);
        }
    }

    /// <summary>The checkpoint in progress, or the last one (tests wait for it).</summary>
    public Task CheckpointCompletion => checkpointing;

    [LoggerMessage(110, LogLevel.Warning, "Checkpoint of the SQLite WAL failed; the next commit's checkpoint retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);

    public async Task<QuarantinedRecord[]> ListQuarantineAsync(string? source, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT id, source, file, line, order_id, reason, rule, raw, raw_bytes, ingest_time
            FROM sp_quarantine
            WHERE id > $after AND ($source IS NULL OR source = $source)
            ORDER BY id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$source", (object?)source ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<QuarantinedRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new QuarantinedRecord
            {
                Id = reader.GetInt64(0),
                Origin = new RecordOrigin(reader.GetString(1), reader.GetString(2), reader.GetInt64(3)),
                OrderId = reader.IsDBNull(4) ? null : reader.GetString(4),
                Reason = reader.GetString(5),
                Rule = reader.IsDBNull(6) ? null : reader.GetString(6),
                Raw = reader.GetString(7),
                RawBytes = reader.GetInt64(8),
                IngestTime = DateTimeOffset.Parse(reader.GetString(9), CultureInfo.InvariantCulture),
            });
        }

        return [.. records];
    }

    /// <summary>
    /// Writes the epoch's rows through SQLite's own statement API on the transaction's connection: one prepared
    /// upsert bound by position. Through ADO.NET every execution looks its parameters up by name and goes
    /// through a data reader, which was a third of the write's CPU for a hundred thousand rows. The statement
    /// runs inside the caller's transaction: same connection, after its BEGIN.
    /// </summary>
    private static void WriteStates(SqliteConnection connection, EpochCommit commit, CancellationToken cancellationToken)
    {
        var db = Handle(connection);
        using var upsert = Prepare(db,
            """
            INSERT INTO sp_grain_state (state_key, epoch, payload) VALUES (?1, ?2, ?3)
            ON CONFLICT (state_key) DO UPDATE SET epoch = excluded.epoch, payload = excluded.payload
            """);

        // In key order: consecutive inserts land on the same B-tree pages (unsorted, the inserts took twice as
        // long). The keys are sorted as the UTF-8 bytes they are bound as, SQLite's own order for them.
        var keys = SortedKeys.Of(commit.States);
        for (var i = 0; i < keys.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Check(db, raw.sqlite3_bind_text(upsert, 1, keys.KeyAt(i)));
            Check(db, raw.sqlite3_bind_int64(upsert, 2, commit.Epoch));
            Check(db, raw.sqlite3_bind_blob(upsert, 3, keys.StateAt(i).Payload.Span));
            Execute(db, upsert);
        }
    }

    private static sqlite3 Handle(SqliteConnection connection) =>
        connection.Handle ?? throw new InvalidOperationException("The connection is not open.");

    /// <summary>Runs a bound statement that returns no rows and resets it for the next bindings.</summary>
    private static void Execute(sqlite3 db, sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(db, result);
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", result);
        }
    }

    private static async Task WriteCheckpointsAsync(SqliteConnection connection, SqliteTransaction transaction, EpochCommit commit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO sp_checkpoint (name, epoch, payload) VALUES ($name, $epoch, $payload)
            ON CONFLICT (name) DO UPDATE SET epoch = excluded.epoch, payload = excluded.payload
            """;
        var name = command.Parameters.Add("$name", SqliteType.Text);
        command.Parameters.AddWithValue("$epoch", commit.Epoch);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        foreach (var (documentName, json) in commit.Checkpoints)
        {
            name.Value = documentName;
            payload.Value = json;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The epoch's quarantined records, through one prepared statement bound by position (as <see cref="WriteStates"/>).</summary>
    private static void WriteQuarantine(SqliteConnection connection, EpochCommit commit, CancellationToken cancellationToken)
    {
        if (commit.Quarantine.Count == 0)
        {
            return;
        }

        var db = Handle(connection);
        using var insert = Prepare(db,
            """
            INSERT INTO sp_quarantine (epoch, source, file, line, order_id, reason, rule, raw, raw_bytes, ingest_time)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """);
        foreach (var record in commit.Quarantine)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Check(db, raw.sqlite3_bind_int64(insert, 1, commit.Epoch));
            Check(db, raw.sqlite3_bind_text(insert, 2, record.Origin.Source));
            Check(db, raw.sqlite3_bind_text(insert, 3, record.Origin.File));
            Check(db, raw.sqlite3_bind_int64(insert, 4, record.Origin.Line));
            Check(db, record.OrderId is { } orderId ? raw.sqlite3_bind_text(insert, 5, orderId) : raw.sqlite3_bind_null(insert, 5));
            Check(db, raw.sqlite3_bind_text(insert, 6, record.Reason));
            Check(db, record.Rule is { } rule ? raw.sqlite3_bind_text(insert, 7, rule) : raw.sqlite3_bind_null(insert, 7));
            Check(db, raw.sqlite3_bind_text(insert, 8, record.Raw));
            Check(db, raw.sqlite3_bind_int64(insert, 9, record.RawBytes));
            Check(db, raw.sqlite3_bind_text(insert, 10, record.IngestTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
            Execute(db, insert);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
