using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// Reads committed pipeline rows under a key prefix from the SQLite store, inside a caller's read transaction
/// (readers of a consistent cut: Gold snapshots, layer exports). A range on the primary key rather than LIKE:
/// '_' in a prefix would be a wildcard, and the range uses the index.
/// </summary>
internal static class StateRows
{
    /// <summary>The condition on state_key for keys under a prefix; <see cref="BindPrefix"/> gives its parameters.</summary>
    public const string UnderPrefix = "state_key >= $from AND state_key < $to";

    /// <summary>Binds <see cref="UnderPrefix"/>'s parameters for keys that start with <paramref name="prefix"/>.</summary>
    public static void BindPrefix(SqliteCommand command, string prefix)
    {
        command.Parameters.AddWithValue("$from", prefix);
        command.Parameters.AddWithValue("$to", PrefixEnd(prefix));
    }

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>.</summary>
    private static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    public static async Task<long> CountAsync(SqliteConnection connection, SqliteTransaction transaction, string prefix, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT COUNT(*) FROM sp_grain_state WHERE {UnderPrefix}";
        BindPrefix(command, prefix);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The rows under <paramref name="prefix"/> written after epoch <paramref name="afterEpoch"/>, in key order: key
    /// without the prefix, payload. With <paramref name="keep"/>, only the rows whose key (without the prefix) it
    /// accepts; the others' payloads are not read.
    /// </summary>
    public static async IAsyncEnumerable<(string Key, byte[] Payload)> ReadAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        long afterEpoch = 0,
        Func<string, bool>? keep = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT state_key, payload FROM sp_grain_state WHERE {UnderPrefix} AND epoch > $after ORDER BY state_key";
        command.Parameters.AddWithValue("$after", afterEpoch);
        BindPrefix(command, prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0)[prefix.Length..];
            if (keep is null || keep(key))
            {
                yield return (key, (byte[])reader.GetValue(1));
            }
        }
    }
}
