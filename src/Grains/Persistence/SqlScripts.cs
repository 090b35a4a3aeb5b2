namespace SalesPipeline.Grains.Persistence;

/// <summary>The SQL scripts of infra/, embedded in this assembly so the schema is created on first start.</summary>
internal static class SqlScripts
{
    public static string Read(string dialect, string fileName)
    {
        var resource = $"SalesPipeline.Grains.Sql.{dialect}.{fileName}";
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded SQL script '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
