namespace SalesPipeline.Sources.Mapping;

/// <summary>
/// Reuses the string of a repeated value (regions, product ids, …) instead of allocating one per row.
/// Bounded: once full, new values are simply allocated. One pool per field and reader; not thread-safe.
/// </summary>
internal sealed class StringPool(int capacity = 16_384, int maxLength = 128, bool lowercase = false)
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;
    private bool initialized;

    public string Get(ReadOnlySpan<char> text)
    {
        if (!initialized)
        {
            lookup = values.GetAlternateLookup<ReadOnlySpan<char>>();
            initialized = true;
        }

        if (lookup.TryGetValue(text, out var value))
        {
            return value;
        }

        var key = text.ToString();
        value = lowercase ? key.ToLowerInvariant() : key;
        if (values.Count < capacity && text.Length <= maxLength)
        {
            values[key] = value;
        }

        return value;
    }
}
