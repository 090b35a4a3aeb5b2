namespace SalesPipeline.Abstractions.Files;

/// <summary>How files enter a landing folder: copied to a hidden temp name, then renamed (atomic on one file system).</summary>
public static class LandingFiles
{
    /// <summary>Publishes a copy of <paramref name="sourceFile"/> into <paramref name="folder"/>; fails if the name is taken.</summary>
    public static string PublishCopy(string sourceFile, string folder)
    {
        Directory.CreateDirectory(folder);
        var name = Path.GetFileName(sourceFile);
        var target = Path.Combine(folder, name);
        var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        File.Copy(sourceFile, temp);
        File.Move(temp, target, overwrite: false);
        return target;
    }
}
