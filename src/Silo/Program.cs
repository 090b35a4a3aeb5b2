using Microsoft.Extensions.Hosting;
using SalesPipeline.Silo.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddSalesPipelineSilo();
using var host = builder.Build();
await host.RunAsync();
