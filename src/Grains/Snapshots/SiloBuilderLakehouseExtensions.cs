using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>Registers Gold snapshots to Delta (called by <c>AddSalesPipeline</c>).</summary>
internal static class SiloBuilderLakehouseExtensions
{
    /// <summary>
    /// Binds <see cref="LakehouseOptions"/> from <c>SalesPipeline:Delta</c> and adds the snapshot writer,
    /// reading the committed state from the pipeline's SQLite store at <paramref name="connectionString"/>.
    /// </summary>
    public static ISiloBuilder AddGoldSnapshots(this ISiloBuilder builder, IConfiguration configuration, string dataDirectory, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(LakehouseOptions.Section);
        var settings = section.Get<LakehouseOptions>() ?? new LakehouseOptions();
        var root = Path.GetFullPath(settings.Root ?? Path.Combine(dataDirectory, "delta"));

        var services = builder.Services;
        services.AddOptions<LakehouseOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LakehouseOptions>, LakehouseOptionsValidator>();
        services.AddSingleton(new LakehouseRoot(root));
        services.AddSingleton(sp => new CommittedGoldReader(connectionString, sp.GetRequiredService<Serializer>()));
        services.AddSingleton<GoldSnapshotWriter>();
        services.AddSingleton<SnapshotLifecycle>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SnapshotLifecycle>());
        return builder;
    }
}
