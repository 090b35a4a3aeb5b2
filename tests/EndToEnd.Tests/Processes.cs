using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SalesPipeline.Abstractions.Grains;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Client;

namespace SalesPipeline.EndToEnd.Tests;

/// <summary>Locates the built silo and CLI of this configuration and runs them as real processes on loopback.</summary>
internal static class Build
{
    private static readonly string Root = FindRoot();

    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Output("src/Silo", "SalesPipeline.Silo.dll");

    public static string CliDll => Output("src/Cli", "sales.dll");

    private static string Output(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SalesPipeline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (SalesPipeline.slnx) not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs the CLI to completion; returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>A silo running as its own process, with its log in the data folder.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private SiloProcess(Process process, StreamWriter log, string logPath, int gatewayPort)
    {
        this.process = process;
        this.log = log;
        LogPath = logPath;
        GatewayPort = gatewayPort;
    }

    /// <summary>The file the process's standard output and error go to.</summary>
    public string LogPath { get; }

    public int GatewayPort { get; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts a silo whose one source, <c>gen</c>, reads <paramref name="landing"/>.</summary>
    public static SiloProcess Start(string dataDirectory, string landing, int gatewayPort, params string[] extra) =>
        StartWith(dataDirectory, gatewayPort, [$"--SalesPipeline:Sources:gen:Path={landing}", .. extra]);

    /// <summary>
    /// Starts a silo in <paramref name="dataDirectory"/> (also its working directory, where it finds settings files)
    /// with no source but those the settings files or <paramref name="extra"/> configure.
    /// </summary>
    public static SiloProcess StartWith(string dataDirectory, int gatewayPort, params string[] extra)
    {
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        foreach (var arg in new[]
        {
            Build.SiloDll,
            $"--SalesPipeline:DataDirectory={dataDirectory}",
            "--SalesPipeline:CommitInterval=00:00:01",
            $"--Orleans:SiloPort={Build.FreePort()}",
            $"--Orleans:GatewayPort={gatewayPort}",
        }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        var logPath = Path.Combine(dataDirectory, $"silo-{DateTime.UtcNow:HHmmssfff}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, log, logPath, gatewayPort);
    }

    /// <summary>Waits for a process that is expected to end by itself (a silo that refuses to start); returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        lock (log)
        {
            log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return (process.ExitCode, await reader.ReadToEndAsync(cancel.Token));
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful stop a service manager or Ctrl+C triggers.</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}

/// <summary>An SDK client (the same one applications use) connected to a silo process.</summary>
internal sealed class SdkClient : IAsyncDisposable
{
    private readonly IHost host;

    private SdkClient(IHost host) => this.host = host;

    public ISalesPipelineClient Client => host.Services.GetRequiredService<ISalesPipelineClient>();

    public IGoldQueryGrain Query => host.Services.GetRequiredService<IClusterClient>().GetGrain<IGoldQueryGrain>(0);

    /// <summary>Connects, retrying while the silo starts.</summary>
    public static async Task<SdkClient> ConnectAsync(string gateway, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSalesPipelineClient(o => o.Gateways = [gateway]);
            var host = builder.Build();
            try
            {
                await host.StartAsync();
                return new SdkClient(host);
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                host.Dispose();
                await Task.Delay(500);
            }
        }
    }

    public async Task<PipelineStatus> WaitForCaughtUpAsync(TimeSpan timeout)
    {
        var status = await Client.WaitForCaughtUpAsync(timeout);
        return status.Error is null ? status : throw new InvalidOperationException("ingestion failed: " + status.Error);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The silo may be gone already (killed on purpose).
        }

        host.Dispose();
    }
}
