using Microsoft.Extensions.Hosting;
using SalesPipeline.Silo.Hosting;

// Settings files (appsettings.json, pipeline.yaml) come from the working directory when it has one (a deployment folder), else from
// next to the program, so `dotnet run --project src/Silo` from the repository root finds them too.
// Relative paths inside the settings (DataDirectory, source paths) stay relative to the working directory.
var contentRoot = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
    || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), PipelineYamlExtensions.FileName))
    ? Directory.GetCurrentDirectory()
    : AppContext.BaseDirectory;
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = contentRoot });
builder.AddPipelineYaml();
builder.AddSalesPipelineSilo();
using var host = builder.Build();
await host.RunAsync();
