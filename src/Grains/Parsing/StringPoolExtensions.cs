using CommunityToolkit.HighPerformance.Buffers;

namespace SalesPipeline.Grains.Parsing;

internal static class StringPoolExtensions
{
    /// <summary>The pool's instance equal to <paramref name="value"/> (added when new); null stays null.</summary>
    public static string? Share(this StringPool pool, string? value) => value is null ? null : pool.GetOrAdd(value);
}
