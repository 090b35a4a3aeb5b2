namespace SalesPipeline.Delta;

/// <summary>Checks the schema a write supplies against the table and, when allowed, adds new nullable columns.</summary>
internal static class SchemaEvolution
{
    public static (DeltaSchema Schema, IReadOnlyList<object?[]> Rows, MetadataAction? NewMetadata) Resolve(
        DeltaSchema table, MetadataAction metadata, DeltaWriteOptions options, IReadOnlyList<object?[]> rows)
    {
        var given = options.Schema;
        if (given is null || given.ToJson() == table.ToJson()) return (table, rows, null);
        var merged = new List<DeltaField>(table.Fields);
        foreach (var f in given.Fields)
        {
            var existing = table.Find(f.Name);
            if (existing is not null)
            {
                if (!existing.Type.Equals(f.Type))
                    throw new DeltaSchemaMismatchException($"Column '{f.Name}' is {existing.Type.TypeName} in the table but {f.Type.TypeName} in the data.");
                continue;
            }
            if (!options.MergeSchema)
                throw new DeltaSchemaMismatchException($"Column '{f.Name}' is not in the table schema; set {nameof(DeltaWriteOptions.MergeSchema)} to add it.");
            if (!f.Nullable)
                throw new DeltaSchemaMismatchException($"New column '{f.Name}' must be nullable (existing rows have no value for it).");
            merged.Add(f);
        }
        var mergedSchema = new DeltaSchema(merged);
        var map = mergedSchema.Fields.Select(f => given.IndexOf(f.Name)).ToArray();
        var mapped = new List<object?[]>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Length != given.Fields.Count)
                throw new DeltaSchemaMismatchException($"A row has {row.Length} values but the supplied schema has {given.Fields.Count} columns.");
            var m = new object?[map.Length];
            for (var i = 0; i < map.Length; i++) m[i] = map[i] >= 0 ? row[map[i]] : null;
            mapped.Add(m);
        }
        var changed = merged.Count != table.Fields.Count;
        return (mergedSchema, mapped, changed ? metadata with { SchemaString = mergedSchema.ToJson() } : null);
    }
}
