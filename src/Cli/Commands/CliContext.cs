using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SalesPipeline.Client;

namespace SalesPipeline.Cli.Commands;

/// <summary>A failure to report as one line on stderr with a non-zero exit code.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Options every command shares, and the connection to the silo.</summary>
internal static class CliContext
{
    public static readonly Option<string> Gateway = new("--gateway")
    {
        Description = "Silo gateway as host:port (default: $SALES_GATEWAY or 127.0.0.1:30000)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SALES_GATEWAY") is { Length: > 0 } g ? g : "127.0.0.1:30000",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>Runs <paramref name="action"/> with a connected SDK client; connection problems become one clear line.</summary>
    public static Task<int> WithClientAsync(ParseResult parse, CancellationToken cancellationToken, Func<ISalesPipelineClient, Task<int>> action) =>
        WithServicesAsync(parse, cancellationToken, services => action(services.GetRequiredService<ISalesPipelineClient>()));

    /// <summary>Runs <paramref name="action"/> with the services of a host whose Orleans client is connected to the gateway.</summary>
    public static async Task<int> WithServicesAsync(ParseResult parse, CancellationToken cancellationToken, Func<IServiceProvider, Task<int>> action, TimeSpan? responseTimeout = null)
    {
        var gateway = parse.GetValue(Gateway)!;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSalesPipelineClient(o =>
        {
            o.Gateways = [gateway];
            o.ResponseTimeout = responseTimeout ?? o.ResponseTimeout;
        });
        using var host = builder.Build();
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(TimeSpan.FromSeconds(15));
            await host.StartAsync(connect.Token);
        }
        catch (Exception ex) when (ex is not CliException)
        {
            throw new CliException($"cannot reach a SalesPipeline silo at {gateway}: {FirstLine(ex.Message)}", 2);
        }

        try
        {
            return await action(host.Services);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Wraps a command body so that failures print one line and set the exit code.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guard(Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (CliException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ex.ExitCode;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"error: {FirstLine(ex.Message)}");
                return 1;
            }
        };

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
