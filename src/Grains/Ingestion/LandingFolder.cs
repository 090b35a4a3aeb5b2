namespace SalesPipeline.Grains.Ingestion;

/// <summary>Lists a landing folder: the files a source may read, skipping names writers use while a file is unfinished.</summary>
internal static class LandingFolder
{
    private static readonly string[] TempSuffixes = [".tmp", ".temp", ".partial", ".part", ".crdownload", ".swp", ".inprogress"];

    /// <summary>Relative file name → length, for every published file matching <paramref name="pattern"/>.</summary>
    public static Dictionary<string, long> List(string folder, string pattern)
    {
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return files;
        }

        foreach (var info in new DirectoryInfo(folder).EnumerateFiles(pattern, new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            MatchCasing = MatchCasing.CaseInsensitive,
        }))
        {
            var relative = Path.GetRelativePath(folder, info.FullName).Replace('\\', '/');
            if (!IsTemporary(relative))
            {
                try
                {
                    files[relative] = info.Length;
                }
                catch (FileNotFoundException)
                {
                    // Gone between listing and stat: it will simply not be listed.
                }
            }
        }

        return files;
    }

    /// <summary>Hidden names (".x", "_x", "~x") and temp suffixes mark a file its writer has not published yet.</summary>
    public static bool IsTemporary(string relativePath)
    {
        foreach (var segment in relativePath.Split('/'))
        {
            if (segment.Length > 0 && segment[0] is '.' or '_' or '~')
            {
                return true;
            }
        }

        return TempSuffixes.Any(s => relativePath.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }
}
