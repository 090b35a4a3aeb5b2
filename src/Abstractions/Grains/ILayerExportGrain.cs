namespace SalesPipeline.Abstractions.Grains;

/// <summary>Exports the Bronze or Silver layer of the last committed epoch as a Delta table.</summary>
public interface ILayerExportGrain : IGrainWithStringKey
{
    /// <summary>
    /// Writes <paramref name="layer"/> (<c>bronze</c> or <c>silver</c>) to the Delta table at <paramref name="path"/>
    /// in one overwrite commit: an interrupted export publishes nothing, a rerun replaces it whole.
    /// </summary>
    Task<LayerExportResult> ExportAsync(string layer, string path, DateTimeOffset? since);

    /// <summary>Progress of the running export (answered while <see cref="ExportAsync"/> runs).</summary>
    Task<LayerExportProgress> GetProgressAsync();
}

/// <summary>Where a running export is: reading order states (<see cref="Done"/> of <see cref="Total"/>) or writing the table.</summary>
[GenerateSerializer, Immutable, Alias("sp.LayerExportProgress")]
public sealed record LayerExportProgress(
    [property: Id(0)] string Phase,
    [property: Id(1)] long Done,
    [property: Id(2)] long Total,
    [property: Id(3)] long Records,
    [property: Id(4)] TimeSpan Elapsed);

/// <summary>What an export wrote: the table version, the rows, and the committed epoch they come from.</summary>
[GenerateSerializer, Immutable, Alias("sp.LayerExportResult")]
public sealed record LayerExportResult(
    [property: Id(0)] long Version,
    [property: Id(1)] long Records,
    [property: Id(2)] long Epoch,
    [property: Id(3)] TimeSpan Elapsed);
