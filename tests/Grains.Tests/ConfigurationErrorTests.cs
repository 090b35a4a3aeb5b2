using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SalesPipeline.Grains.Hosting;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>
/// Settings that cannot work stop a silo at start, with a message naming the rule or the option. The host is
/// built like the silo program builds it: a generic host, UseOrleans and the production AddSalesPipeline.
/// </summary>
public sealed class ConfigurationErrorTests
{
    private const string Csv = "SalesPipeline:Sources:shop:";

    [Theory]
    [InlineData("bad_syntax", "quantity >", "drop", "expectation 'bad_syntax': expected a value")]
    [InlineData("typo_field", "unit_prce > 0", "drop", "expectation 'typo_field': unknown field 'unit_prce'")]
    [InlineData("bad_action", "quantity > 0", "dorp", "expectation 'bad_action': unknown action 'dorp'")]
    public async Task Silo_BadSourceExpectation_FailsAtStartNamingTheRule(string name, string condition, string action, string message)
    {
        var settings = CsvSource();
        settings[Csv + "Expectations:0:Name"] = "fine";
        settings[Csv + "Expectations:0:Condition"] = "quantity <> 0";
        settings[Csv + "Expectations:0:Action"] = "warn";
        settings[Csv + "Expectations:1:Name"] = name;
        settings[Csv + "Expectations:1:Condition"] = condition;
        settings[Csv + "Expectations:1:Action"] = action;

        var error = await StartFailsAsync(settings);

        Assert.Contains("SalesPipeline:Sources:shop:Expectations: " + message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("'fine'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_BadGlobalExpectationWithoutSources_FailsAtStartNamingTheRule()
    {
        var error = await StartFailsAsync(new Dictionary<string, string?>
        {
            ["SalesPipeline:Expectations:0:Name"] = "known_region",
            ["SalesPipeline:Expectations:0:Condition"] = "regoin IN ('EMEA', 'NA')",
            ["SalesPipeline:Expectations:0:Action"] = "quarantine",
        });

        Assert.Contains("SalesPipeline:Expectations: expectation 'known_region': unknown field 'regoin'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_BadGlobalExpectation_FailsAtStartForEverySource()
    {
        var settings = CsvSource();
        settings["SalesPipeline:Sources:events:Path"] = "landing-events";
        settings["SalesPipeline:Expectations:0:Name"] = "positive";
        settings["SalesPipeline:Expectations:0:Condition"] = "quantity > 'x'";
        settings["SalesPipeline:Expectations:0:Action"] = "drop";

        var error = await StartFailsAsync(settings);

        Assert.Contains("SalesPipeline:Sources:shop:Expectations: expectation 'positive': operator '>' cannot compare number with text", error, StringComparison.Ordinal);
        Assert.Contains("SalesPipeline:Sources:events:Expectations: expectation 'positive'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_CsvSourceWithoutOrderIdMapping_FailsAtStartNamingTheOption()
    {
        var settings = CsvSource();
        settings.Remove(Csv + "Columns:order_id");

        var error = await StartFailsAsync(settings);

        Assert.Contains("SalesPipeline:Sources:shop:Columns:order_id: required for a csv source", error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> CsvSource()
    {
        var settings = new Dictionary<string, string?>
        {
            [Csv + "Path"] = "landing-shop",
            [Csv + "Format"] = "csv",
        };
        foreach (var (field, column) in TestLanding.Mapping)
        {
            settings[$"{Csv}Columns:{field}"] = column;
        }

        return settings;
    }

    /// <summary>Starts a silo host with <paramref name="settings"/>; returns the messages of the exception it fails with.</summary>
    private static async Task<string> StartFailsAsync(Dictionary<string, string?> settings)
    {
        using var temp = new TempFolder();
        settings["SalesPipeline:DataDirectory"] = Path.Combine(temp.Path, "data");
        settings["SalesPipeline:SeedSamples"] = "false";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = temp.Path, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort(), serviceId: "config-errors", clusterId: "config-errors")
            .AddSalesPipeline(builder.Configuration));
        using var host = builder.Build();

        // Validation runs before any hosted service (the silo) starts: nothing to stop, disposing is enough.
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(Environment.NewLine, messages);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
