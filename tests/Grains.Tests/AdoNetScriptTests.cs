using Microsoft.Data.Sqlite;
using SalesPipeline.Grains.Control;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>The project's SQLite scripts for Orleans' ADO.NET grain storage, exercised through the real provider.</summary>
public sealed class AdoNetScriptTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sp-adonet-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ControlStorage_WrittenThroughAdoNetProvider_SurvivesSiloRestart()
    {
        var data = Path.Combine(root, "data");
        var landing = Path.Combine(root, "landing");
        Directory.CreateDirectory(landing);

        await using (var first = await PipelineCluster.StartWithSourceAsync(data, landing))
        {
            await first.WaitForCaughtUpAsync(TimeSpan.FromSeconds(30));
        }

        await using var second = await PipelineCluster.StartWithSourceAsync(data, landing);
        var runs = await second.Cluster.Client.GetGrain<IPipelineRunsGrain>(0).GetRunsAsync();

        Assert.Equal(2, runs.Length);
        Assert.NotNull(runs[0].StoppedAt); // graceful stop recorded by the first silo
        Assert.Null(runs[1].StoppedAt);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "pipeline.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MAX(Version) FROM OrleansStorage WHERE GrainTypeString LIKE '%PipelineRunsGrain%' OR GrainTypeString LIKE '%runs%'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0)); // one row per grain, updated in place
        Assert.Equal(3L, reader.GetInt64(1)); // start, stop, start
    }

    [Fact]
    public async Task WriteToStorageQuery_StaleVersion_ChangesNothingAndReportsConflict()
    {
        var data = Path.Combine(root, "data");
        await using (var cluster = await PipelineCluster.StartAsync(data, new Dictionary<string, string?>
        {
            ["SalesPipeline:Sources:test:Path"] = Path.Combine(root, "landing"),
        }))
        {
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "pipeline.db")}");
        await connection.OpenAsync();
        var write = await QueryTextAsync(connection, "WriteToStorageKey");

        async Task<long?> WriteAsync(long? version, byte[] payload)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = write;
            command.Parameters.AddWithValue("GrainIdHash", 1);
            command.Parameters.AddWithValue("GrainIdN0", 2L);
            command.Parameters.AddWithValue("GrainIdN1", 3L);
            command.Parameters.AddWithValue("GrainTypeHash", 4);
            command.Parameters.AddWithValue("GrainTypeString", "probe");
            command.Parameters.AddWithValue("GrainIdExtensionString", DBNull.Value);
            command.Parameters.AddWithValue("ServiceId", "svc");
            command.Parameters.AddWithValue("GrainStateVersion", (object?)version ?? DBNull.Value);
            command.Parameters.AddWithValue("PayloadBinary", payload);
            var result = await command.ExecuteScalarAsync();
            return result is DBNull or null ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(1L, await WriteAsync(null, [1]));    // first write
        Assert.Null(await WriteAsync(null, [9]));         // a second "first" write (double activation) conflicts
        Assert.Equal(2L, await WriteAsync(1, [2]));       // update from the version read
        Assert.Equal(1L, await WriteAsync(1, [9]));       // stale version: returned unchanged = conflict

        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT PayloadBinary, Version FROM OrleansStorage WHERE GrainTypeString = 'probe'";
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(new byte[] { 2 }, (byte[])reader[0]);
        Assert.Equal(2L, reader.GetInt64(1));
        Assert.False(await reader.ReadAsync());
    }

    private static async Task<string> QueryTextAsync(SqliteConnection connection, string key)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key";
        command.Parameters.AddWithValue("$key", key);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
