using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace SalesPipeline.Client;

/// <summary>Registers the SalesPipeline SDK.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client connected to the pipeline's gateways and <see cref="ISalesPipelineClient"/>.
    /// The client connects when the host starts.
    /// </summary>
    public static IServiceCollection AddSalesPipelineClient(this IServiceCollection services, Action<SalesPipelineClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new SalesPipelineClientOptions();
        configure?.Invoke(options);
        var gateways = options.Gateways.Select(ParseEndpoint).ToArray();

        services.AddOrleansClient(client =>
        {
            client.UseStaticClustering(gateways);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        });
        services.AddSingleton<ISalesPipelineClient, SalesPipelineClient>();
        return services;
    }

    /// <summary>Parses <c>host:port</c>; a host name is resolved to its first IPv4 address.</summary>
    public static IPEndPoint ParseEndpoint(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{value}' is not host:port.");
        }

        var host = value[..colon];
        if (!IPAddress.TryParse(host, out var address))
        {
            address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                ?? throw new FormatException($"Host '{host}' has no IPv4 address.");
        }

        return new IPEndPoint(address, port);
    }
}
