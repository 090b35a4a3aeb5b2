using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Client;

namespace SalesPipeline.Bench;

/// <summary>One timed run of the silo process.</summary>
/// <param name="Lines">Records read, from the silo's status.</param>
/// <param name="Total">Process start to caughtUp.</param>
/// <param name="Ingest">First client connection to caughtUp.</param>
/// <param name="SinceIngestionStart">The silo's ingestion start (its status) to caughtUp: the pipeline's own time.</param>
/// <param name="PeakBytes">Peak resident memory of the silo (VmHWM).</param>
/// <param name="CpuSeconds">CPU time of the silo process until caughtUp.</param>
internal sealed record EndToEndResult(long Lines, TimeSpan Total, TimeSpan Ingest, TimeSpan SinceIngestionStart, long PeakBytes, double CpuSeconds);

/// <summary>Starts the built silo as its own process on the files and times it until status says caughtUp.</summary>
internal static class EndToEnd
{
    public static async Task<EndToEndResult> RunAsync(string landing, string data, IEnumerable<string> siloArgs)
    {
        var gatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in new[]
        {
            SiloDll(),
            $"--SalesPipeline:DataDirectory={data}",
            $"--SalesPipeline:Sources:bench:Path={landing}",
            $"--Orleans:SiloPort={FreePort()}",
            $"--Orleans:GatewayPort={gatewayPort}",
            "--Logging:LogLevel:Default=Warning",
        }.Concat(siloArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using var silo = Process.Start(start)!;
        // SALES_BENCH_SILO_LOG=FILE keeps the silo's log (for example its epoch commits and their durations).
        var log = Environment.GetEnvironmentVariable("SALES_BENCH_SILO_LOG") is { Length: > 0 } logPath ? new StreamWriter(logPath) { AutoFlush = true } : null;
        silo.OutputDataReceived += (_, e) => { if (e.Data is not null && log is not null) { lock (log) { log.WriteLine(e.Data); } } };
        silo.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("silo: " + e.Data); } };
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            using var client = await ConnectAsync($"127.0.0.1:{gatewayPort}");
            var connected = watch.Elapsed;
            var pipeline = client.Services.GetRequiredService<ISalesPipelineClient>();
            var status = Environment.GetEnvironmentVariable("SALES_BENCH_PROGRESS") is "1"
                ? await ProgressAsync(pipeline)
                : await pipeline.WaitForCaughtUpAsync(TimeSpan.FromMinutes(30));
            var total = watch.Elapsed;
            var caughtUpAt = DateTimeOffset.UtcNow;
            if (status.Error is not null)
            {
                throw new InvalidOperationException(status.Error);
            }

            var peak = PeakResidentBytes(silo.Id);
            silo.Refresh();
            var cpu = silo.TotalProcessorTime.TotalSeconds;
            await client.StopAsync();
            var sinceStart = caughtUpAt - (status.IngestionStartedAt ?? throw new InvalidOperationException("status has no ingestion start"));
            return new EndToEndResult(status.Sources.Sum(s => s.RecordsRead), total, total - connected, sinceStart, peak, cpu);
        }
        finally
        {
            using (var term = Process.Start("kill", ["-TERM", silo.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await silo.WaitForExitAsync();
        }
    }

    /// <summary>
    /// SALES_BENCH_PROGRESS=1: polls status every 500 ms and prints, per poll, the seconds since ingestion start, the
    /// records read and applied so far, and the committed epoch (where a run spends its time: start-up, steady state, tail).
    /// </summary>
    private static async Task<PipelineStatus> ProgressAsync(ISalesPipelineClient pipeline)
    {
        while (true)
        {
            var status = await pipeline.GetStatusAsync();
            var since = status.IngestionStartedAt is { } started ? (DateTimeOffset.UtcNow - started).TotalSeconds : 0;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"progress {since,6:F2} s  read {status.Sources.Sum(s => s.RecordsRead),9}  in flight {status.Sources.Sum(s => s.InFlight),7}  epoch {status.CommittedEpoch}"));
            if (status.CaughtUp || status.Error is not null)
            {
                return status;
            }

            await Task.Delay(500);
        }
    }

    private static async Task<IHost> ConnectAsync(string gateway)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSalesPipelineClient(o => o.Gateways = [gateway]);
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return host;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                host.Dispose();
                await Task.Delay(100);
            }
        }
    }

    /// <summary>VmHWM: the peak resident set size of the process.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string SiloDll()
    {
        // A published silo (e.g. ReadyToRun: dotnet publish src/Silo -c Release -r linux-x64 -p:PublishReadyToRun=true -o DIR).
        if (Environment.GetEnvironmentVariable("SALES_BENCH_SILO") is { Length: > 0 } published)
        {
            return published;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Silo", "bin", configuration, "net10.0", "SalesPipeline.Silo.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("build src/Silo in the same configuration first");
    }
}
