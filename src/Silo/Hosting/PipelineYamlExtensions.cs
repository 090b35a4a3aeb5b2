using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Hosting;
using NetEscapades.Configuration.Yaml;

namespace SalesPipeline.Silo.Hosting;

/// <summary>Reads <c>pipeline.yaml</c> next to <c>appsettings.json</c> (docs/configuration.md).</summary>
internal static class PipelineYamlExtensions
{
    public const string FileName = "pipeline.yaml";

    /// <summary>
    /// Adds <c>pipeline.yaml</c> (optional) right after the JSON settings files, so it overrides them while
    /// environment variables and command-line arguments still override it.
    /// </summary>
    public static HostApplicationBuilder AddPipelineYaml(this HostApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        var yaml = new YamlConfigurationSource { Path = FileName, Optional = true, ReloadOnChange = false };
        yaml.ResolveFileProvider();
        if (yaml.FileProvider is null)
        {
            yaml.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(builder.Environment.ContentRootPath);
        }

        var lastJson = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                lastJson = i;
            }
        }

        sources.Insert(lastJson + 1, yaml);
        return builder;
    }
}
