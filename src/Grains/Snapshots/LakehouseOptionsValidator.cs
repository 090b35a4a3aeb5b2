using Microsoft.Extensions.Options;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>Rejects snapshot settings that cannot work, naming the option.</summary>
public sealed class LakehouseOptionsValidator : IValidateOptions<LakehouseOptions>
{
    public ValidateOptionsResult Validate(string? name, LakehouseOptions options)
    {
        var errors = new List<string>();
        if (options.SnapshotInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{LakehouseOptions.Section}:{nameof(options.SnapshotInterval)} must be at least one second (is {options.SnapshotInterval}).");
        }

        if (options.CustomerBuckets is < 1 or > 4096)
        {
            errors.Add($"{LakehouseOptions.Section}:{nameof(options.CustomerBuckets)} must be between 1 and 4096 (is {options.CustomerBuckets}).");
        }

        if (options.OptimizeEveryCommits < 0)
        {
            errors.Add($"{LakehouseOptions.Section}:{nameof(options.OptimizeEveryCommits)} must not be negative.");
        }

        if (options.VacuumRetention < TimeSpan.Zero)
        {
            errors.Add($"{LakehouseOptions.Section}:{nameof(options.VacuumRetention)} must not be negative.");
        }
        else if (options.VacuumRetention < TimeSpan.FromDays(7) && !options.AllowShortVacuumRetention)
        {
            errors.Add($"{LakehouseOptions.Section}:{nameof(options.VacuumRetention)} under 7 days needs {nameof(options.AllowShortVacuumRetention)}=true.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
