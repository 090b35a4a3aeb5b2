using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Net;
using Orleans.Configuration;
using SalesPipeline.Grains.Hosting;

namespace SalesPipeline.Silo.Hosting;

/// <summary>Turns a generic host into a SalesPipeline silo from configuration (docs/configuration.md).</summary>
internal static class HostBuilderExtensions
{
    public static HostApplicationBuilder AddSalesPipelineSilo(this HostApplicationBuilder builder)
    {
        var orleans = builder.Configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "sales-pipeline";
        var serviceId = orleans["ServiceId"] ?? "sales-pipeline";
        var siloPort = orleans.GetValue("SiloPort", 11111);
        var gatewayPort = orleans.GetValue("GatewayPort", 30000);

        // Draining the in-flight records and committing them must fit in the graceful-stop window.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.UseOrleans(silo =>
        {
            // One silo on loopback: the embedded default needs no membership store.
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
            silo.AddSalesPipeline(builder.Configuration);
        });
        return builder;
    }
}
