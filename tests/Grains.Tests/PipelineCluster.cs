using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Hosting;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// An in-process TestCluster running the production configuration (AddSalesPipeline)
/// on a real SQLite file in <see cref="DataDirectory"/>. Tests that need their own data get their own cluster.
/// </summary>
internal sealed class PipelineCluster : IAsyncDisposable
{
    private PipelineCluster(string dataDirectory, InProcessTestCluster cluster)
    {
        DataDirectory = dataDirectory;
        Cluster = cluster;
    }

    public string DataDirectory { get; }

    public InProcessTestCluster Cluster { get; }

    public IGoldQueryGrain Query => Cluster.Client.GetGrain<IGoldQueryGrain>(0);

    public static async Task<PipelineCluster> StartAsync(string dataDirectory, IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["SalesPipeline:DataDirectory"] = dataDirectory,
                ["SalesPipeline:SeedSamples"] = "false",
                ["SalesPipeline:CommitInterval"] = "00:00:00.500",
                ["SalesPipeline:PollInterval"] = "00:00:00.100",
            })
            .Build();
        var builder = new InProcessTestClusterBuilder(1);

        // Like production, every run over one data directory is the same service (ADO.NET rows are keyed by it).
        builder.Options.ServiceId = "sales-pipeline-tests";
        builder.ConfigureSilo((_, silo) => silo.AddSalesPipeline(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PipelineCluster(dataDirectory, cluster);
    }

    public static Task<PipelineCluster> StartWithSourceAsync(string dataDirectory, string landing, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["SalesPipeline:Sources:test:Path"] = landing,
        };
        return StartAsync(dataDirectory, settings);
    }

    public async Task<PipelineStatus> WaitForCaughtUpAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await Query.GetStatusAsync();
            if (status.Error is not null)
            {
                throw new InvalidOperationException($"ingestion failed: {status.Error}");
            }

            if (status.CaughtUp)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not caught up after {timeout}: {System.Text.Json.JsonSerializer.Serialize(status)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until a source stopped by a <c>fail</c> expectation has settled: its error is set, nothing is in flight and
    /// the epoch holding the stop is durable. A stopped source is never caught up, so the commit is recognised by the
    /// committed epoch and the counters staying put for several commit intervals: with nothing left to read, the
    /// coordinator commits right away and then has nothing more to commit.
    /// </summary>
    public async Task<PipelineStatus> WaitForSourceStoppedAsync(string source, TimeSpan timeout)
    {
        var quiet = TimeSpan.FromSeconds(1.5);
        var deadline = DateTime.UtcNow + timeout;
        string? settled = null;
        var settledSince = DateTime.UtcNow;
        while (true)
        {
            var status = await Query.GetStatusAsync();
            if (status.Error is not null)
            {
                throw new InvalidOperationException($"ingestion failed: {status.Error}");
            }

            var stopped = status.Sources.Single(s => s.Name == source);
            string? state = stopped.Error is not null && status.Sources.All(s => s.InFlight == 0) && status.LastCommitTime is not null
                ? System.Text.Json.JsonSerializer.Serialize(new { status.CommittedEpoch, status.Sources })
                : null;
            if (state is null || state != settled)
            {
                settled = state;
                settledSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - settledSince >= quiet)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"source {source} not stopped after {timeout}: {System.Text.Json.JsonSerializer.Serialize(status)}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
