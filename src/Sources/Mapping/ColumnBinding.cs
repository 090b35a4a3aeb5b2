using System.Globalization;

namespace SalesPipeline.Sources.Mapping;

/// <summary>Where a file holds each mapped field, and what the file has beyond or lacks of the mapping.</summary>
internal sealed class ColumnBinding
{
    private ColumnBinding(string[] columns, int[] indexOf, int[] unmappedIndexes, string[] missing, string? fileRejection)
    {
        Columns = columns;
        IndexOf = indexOf;
        UnmappedIndexes = unmappedIndexes;
        Unmapped = [.. unmappedIndexes.Select(i => columns[i])];
        Missing = missing;
        FileRejection = fileRejection;
    }

    public string[] Columns { get; }

    /// <summary>Column index per field (index = <see cref="Field"/>); -1 when unmapped or missing in the file.</summary>
    public int[] IndexOf { get; }

    public int[] UnmappedIndexes { get; }
    public string[] Unmapped { get; }
    public string[] Missing { get; }
    public string? FileRejection { get; }

    /// <summary>
    /// Binds the mapping to a file's columns. Names match exactly, else ignoring case; without a header the
    /// columns are named 1, 2, … and "columnN" names column N too. <paramref name="unusable"/> gives, per
    /// column, why a mapped field cannot be read from it (a nested Parquet column), or null.
    /// </summary>
    public static ColumnBinding Bind(SourceSettings settings, IReadOnlyList<string> fileColumns, bool positional, string?[]? unusable = null)
    {
        var columns = UniqueNames(fileColumns);
        var indexOf = new int[settings.ColumnOf.Length];
        var used = new bool[columns.Length];
        var missing = new List<string>();
        var rejections = new List<string>();
        for (var f = 0; f < indexOf.Length; f++)
        {
            indexOf[f] = -1;
            if (settings.ColumnOf[f] is not { } name)
            {
                continue;
            }

            var index = Find(columns, name, positional);
            if (index < 0)
            {
                if (!missing.Contains(name, StringComparer.Ordinal))
                {
                    missing.Add(name);
                }

                if (LineFields.IsRequired((Field)f))
                {
                    rejections.Add($"column '{name}' ({LineFields.Name((Field)f)}) is missing in this file");
                }

                continue;
            }

            used[index] = true;
            if (unusable?[index] is { } reason)
            {
                rejections.Add($"column '{name}' ({LineFields.Name((Field)f)}) {reason}");
                continue;
            }

            indexOf[f] = index;
        }

        var unmapped = Enumerable.Range(0, columns.Length).Where(i => !used[i]).ToArray();
        var rejection = rejections.Count == 0 ? null : string.Join("; ", rejections);
        return new ColumnBinding(columns, indexOf, unmapped, [.. missing], rejection);
    }

    /// <summary>Names as written, trimmed; an empty name becomes its 1-based position, a repeated one gets "_2", "_3", ….</summary>
    private static string[] UniqueNames(IReadOnlyList<string> names)
    {
        var result = new string[names.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Trim();
            if (name.Length == 0)
            {
                name = (i + 1).ToString(CultureInfo.InvariantCulture);
            }

            var unique = name;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = $"{name}_{n}";
            }

            result[i] = unique;
        }

        return result;
    }

    private static int Find(string[] columns, string name, bool positional)
    {
        var exact = Array.IndexOf(columns, name);
        if (exact >= 0)
        {
            return exact;
        }

        var ignoringCase = Array.FindIndex(columns, c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        if (ignoringCase >= 0 || !positional)
        {
            return ignoringCase;
        }

        return name.StartsWith("column", StringComparison.OrdinalIgnoreCase) &&
            int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var position) &&
            position >= 1 && position <= columns.Length
            ? position - 1
            : -1;
    }
}
