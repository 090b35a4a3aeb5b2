namespace SalesPipeline.Delta;

/// <summary>Which protocol versions and table features this library reads and writes.</summary>
internal static class ProtocolSupport
{
    // vacuumProtocolCheck only asks VACUUM to check the writer features, which ours does; timestampNtz is read as DateTime (Unspecified).
    private static readonly HashSet<string> ReaderFeatures = new(StringComparer.Ordinal) { "timestampNtz", "vacuumProtocolCheck", "columnMapping" };
    private static readonly HashSet<string> WriterFeatures = new(StringComparer.Ordinal) { "appendOnly", "timestampNtz", "vacuumProtocolCheck" };

    public static void CheckRead(TableState s)
    {
        var p = s.Protocol!;
        if (p.MinReaderVersion > 3)
            throw new DeltaUnsupportedFeatureException($"readerVersion {p.MinReaderVersion}", $"The table needs reader version {p.MinReaderVersion}; this library reads versions 1 to 3.");
        if (p.MinReaderVersion == 3)
        {
            foreach (var f in p.ReaderFeatures ?? [])
            {
                if (!ReaderFeatures.Contains(f))
                    throw new DeltaUnsupportedFeatureException(f, $"The table uses the reader feature '{f}', which this library does not implement.");
            }
        }
        var mode = s.Metadata!.Configuration.GetValueOrDefault("delta.columnMapping.mode");
        if (mode is not null && mode is not ("none" or "name" or "id"))
            throw new DeltaUnsupportedFeatureException("columnMapping", $"The table uses column mapping mode '{mode}', which this library does not know.");
        if (s.Files.Values.Any(a => a.DeletionVector is not null))
            throw new DeltaUnsupportedFeatureException("deletionVectors", "The table has files with deletion vectors, which this library does not implement.");
        _ = DeltaSchema.FromJson(s.Metadata.SchemaString); // unsupported types fail here, naming the type
    }

    public static void CheckWrite(TableState s)
    {
        CheckRead(s);
        var p = s.Protocol!;
        if (p.MinWriterVersion > 7)
            throw new DeltaUnsupportedFeatureException($"writerVersion {p.MinWriterVersion}", $"The table needs writer version {p.MinWriterVersion}; this library writes up to version 2.");
        if (p.MinWriterVersion == 7)
        {
            foreach (var f in p.WriterFeatures ?? [])
            {
                if (!WriterFeatures.Contains(f))
                    throw new DeltaUnsupportedFeatureException(f, $"The table uses the writer feature '{f}', which this library cannot honour when writing.");
            }
        }
        var config = s.Metadata!.Configuration;
        if (config.GetValueOrDefault("delta.columnMapping.mode") is { } mode && mode != "none")
            throw new DeltaUnsupportedFeatureException("columnMapping", $"The table uses column mapping (mode '{mode}'): this library reads such tables but does not write them.");
        if (config.Keys.Any(k => k.StartsWith("delta.constraints.", StringComparison.Ordinal)))
            throw new DeltaUnsupportedFeatureException("checkConstraints", "The table has CHECK constraints, which this library cannot enforce when writing.");
        if (string.Equals(config.GetValueOrDefault("delta.enableChangeDataFeed"), "true", StringComparison.OrdinalIgnoreCase))
            throw new DeltaUnsupportedFeatureException("changeDataFeed", "The table has the change data feed enabled, which this library does not write.");
        foreach (var f in DeltaSchema.FromJson(s.Metadata.SchemaString).Fields)
        {
            if (f.Metadata is null) continue;
            if (f.Metadata.ContainsKey("delta.invariants"))
                throw new DeltaUnsupportedFeatureException("invariants", $"Column '{f.Name}' has an invariant, which this library cannot enforce when writing.");
            if (f.Metadata.ContainsKey("delta.generationExpression"))
                throw new DeltaUnsupportedFeatureException("generatedColumns", $"Column '{f.Name}' is a generated column, which this library cannot compute.");
            if (f.Metadata.Any(kv => kv.Key.StartsWith("delta.identity.", StringComparison.Ordinal)))
                throw new DeltaUnsupportedFeatureException("identityColumns", $"Column '{f.Name}' is an identity column, which this library cannot fill.");
        }
    }

    public static bool IsAppendOnly(TableState s) =>
        string.Equals(s.Metadata!.Configuration.GetValueOrDefault("delta.appendOnly"), "true", StringComparison.OrdinalIgnoreCase);
}
