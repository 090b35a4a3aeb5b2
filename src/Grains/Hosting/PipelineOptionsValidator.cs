using Microsoft.Extensions.Options;

using SalesPipeline.Grains.Ingestion;
using SalesPipeline.Quality;
using SalesPipeline.Sources;

namespace SalesPipeline.Grains.Hosting;

/// <summary>Rejects settings that cannot work, naming the option.</summary>
public sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        if (options.Partitions is < 1 or > 1024)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.Partitions)} must be between 1 and 1024 (is {options.Partitions}).");
        }

        if (options.ChunkLines < 1)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.ChunkLines)} must be positive.");
        }

        if (options.OrderCacheSize < 1)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.OrderCacheSize)} must be positive.");
        }

        if (options.Storage.CheckpointMegabytes < 1)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.Storage)}:{nameof(StorageOptions.CheckpointMegabytes)} must be positive (is {options.Storage.CheckpointMegabytes}).");
        }

        if (options.MaxChunksInFlight < 1)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.MaxChunksInFlight)} must be positive.");
        }

        if (options.CommitInterval <= TimeSpan.Zero || options.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.CommitInterval)} and {nameof(options.PollInterval)} must be positive.");
        }

        if (options.MaxLineBytes < 1024)
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.MaxLineBytes)} must be at least 1024.");
        }

        if (string.IsNullOrWhiteSpace(options.BaseCurrency))
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.BaseCurrency)} must be set.");
        }

        foreach (var (currency, rate) in options.CurrencyRates)
        {
            if (rate <= 0)
            {
                errors.Add($"{PipelineOptions.Section}:{nameof(options.CurrencyRates)}:{currency} must be positive (is {rate}).");
            }
        }

        foreach (var (sourceName, source) in options.Sources)
        {
            if (string.IsNullOrWhiteSpace(source.Path))
            {
                errors.Add($"{PipelineOptions.Section}:{nameof(options.Sources)}:{sourceName}:{nameof(source.Path)} must be set.");
            }

            if (source.Format != LineSourceFormat.Jsonl)
            {
                errors.AddRange(LineSourceOptionsValidator.Validate(sourceName, source.ToLineSourceOptions()));
            }

            try
            {
                SourceExpectations.Compile(options, source);
            }
            catch (ExpectationConfigurationException ex)
            {
                errors.Add($"{PipelineOptions.Section}:{nameof(options.Sources)}:{sourceName}:{nameof(source.Expectations)}: {ex.Message}");
            }
        }

        if (options.Sources.Count == 0)
        {
            try
            {
                SourceExpectations.Compile(options, null);
            }
            catch (ExpectationConfigurationException ex)
            {
                errors.Add($"{PipelineOptions.Section}:{nameof(options.Expectations)}: {ex.Message}");
            }
        }

        if (!string.Equals(options.Storage.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{PipelineOptions.Section}:{nameof(options.Storage)}:{nameof(options.Storage.Provider)} '{options.Storage.Provider}' is not supported (supported: Sqlite).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
