using System.Globalization;
using System.Text.Json.Nodes;

namespace SalesPipeline.Delta.Tests;

/// <summary>A fresh directory under the temp folder, deleted at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "delta-tests-" + Guid.NewGuid().ToString("N")[..12]));
    public string Path { get; }
    public string Sub(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal static class TestPaths
{
    /// <summary>The repo root: the directory holding SalesPipeline.slnx, found by walking up from the test binaries.</summary>
    public static string? RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "SalesPipeline.slnx"))) return d.FullName;
        return null;
    }

    /// <summary>../shared/conformance/delta/golden next to the repo, or null when the project was cloned alone.</summary>
    public static string? Golden()
    {
        var root = RepoRoot();
        if (root is null) return null;
        var golden = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "conformance", "delta", "golden"));
        return Directory.Exists(golden) ? golden : null;
    }

    public static string BenchDll() => System.IO.Path.Combine(AppContext.BaseDirectory, "SalesPipeline.Delta.Bench.dll");
}

internal static class Rows
{
    /// <summary>Canonical text of a value, for order-insensitive exact comparison.</summary>
    public static string Canon(object? v) => v switch
    {
        null => "null",
        string s => "s:" + s,
        byte[] b => "b:" + Convert.ToHexString(b),
        decimal m => "d:" + m.ToString(CultureInfo.InvariantCulture),
        double d => "f:" + d.ToString("R", CultureInfo.InvariantCulture),
        float f => "f:" + ((double)f).ToString("R", CultureInfo.InvariantCulture),
        DateTime dt => "t:" + dt.Ticks.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset dto => "t:" + dto.UtcTicks.ToString(CultureInfo.InvariantCulture),
        DateOnly d => "date:" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        sbyte or byte or short or ushort or int or uint or long => "i:" + Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        Dictionary<string, object?> d => "{" + string.Join(",", d.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => kv.Key.ToLowerInvariant() + "=" + Canon(kv.Value))) + "}",
        List<KeyValuePair<object, object?>> m => "map{" + string.Join(",", m.Select(kv => Canon(kv.Key) + "=>" + Canon(kv.Value)).OrderBy(x => x, StringComparer.Ordinal)) + "}",
        List<object?> l => "[" + string.Join(",", l.Select(Canon)) + "]",
        _ => v.GetType().Name + ":" + v,
    };

    public static List<string> CanonRows(IEnumerable<object?[]> rows) => rows.Select(r => string.Join("|", r.Select(Canon))).OrderBy(x => x, StringComparer.Ordinal).ToList();

    /// <summary>Log line shapes from PROTOCOL.md "Actions": required fields and their JSON kinds.</summary>
    public static void AssertValidLogLine(string line)
    {
        var o = JsonNode.Parse(line)!.AsObject();
        Assert.Single(o);
        var (kind, node) = o.First();
        var v = node!.AsObject();
        void Req(string name, System.Text.Json.JsonValueKind k)
        {
            Assert.True(v.ContainsKey(name), $"{kind} lacks '{name}': {line}");
            Assert.Equal(k, v[name]!.GetValueKind());
        }
        void Opt(string name, params System.Text.Json.JsonValueKind[] k)
        {
            if (v.ContainsKey(name) && v[name] is not null) Assert.Contains(v[name]!.GetValueKind(), k);
        }
        const System.Text.Json.JsonValueKind S = System.Text.Json.JsonValueKind.String, N = System.Text.Json.JsonValueKind.Number,
            O = System.Text.Json.JsonValueKind.Object, A = System.Text.Json.JsonValueKind.Array, T = System.Text.Json.JsonValueKind.True, F = System.Text.Json.JsonValueKind.False;
        switch (kind)
        {
            case "protocol":
                Req("minReaderVersion", N); Req("minWriterVersion", N);
                break;
            case "metaData":
                Req("id", S); Req("format", O); Req("schemaString", S); Req("partitionColumns", A); Req("configuration", O); Opt("createdTime", N);
                Assert.Equal("parquet", (string?)v["format"]!["provider"]);
                _ = DeltaSchema.FromJson((string)v["schemaString"]!);
                break;
            case "add":
                Req("path", S); Req("partitionValues", O); Req("size", N); Req("modificationTime", N); Opt("dataChange", T, F); Assert.True(v.ContainsKey("dataChange"));
                Opt("stats", S);
                foreach (var (_, pv) in v["partitionValues"]!.AsObject()) Assert.True(pv is null || pv.GetValueKind() == S);
                if (v["stats"] is not null)
                {
                    var stats = JsonNode.Parse((string)v["stats"]!)!.AsObject();
                    Assert.Equal(N, stats["numRecords"]!.GetValueKind());
                    foreach (var k in new[] { "minValues", "maxValues", "nullCount" }) Assert.Equal(O, stats[k]!.GetValueKind());
                }
                break;
            case "remove":
                Req("path", S); Opt("deletionTimestamp", N); Assert.True(v.ContainsKey("dataChange")); Opt("dataChange", T, F);
                Opt("extendedFileMetadata", T, F); Opt("partitionValues", O); Opt("size", N);
                break;
            case "txn":
                Req("appId", S); Req("version", N); Opt("lastUpdated", N);
                break;
            case "commitInfo":
                Req("timestamp", N); Req("operation", S); Req("operationParameters", O); Req("engineInfo", S);
                foreach (var (_, p) in v["operationParameters"]!.AsObject()) Assert.Equal(S, p!.GetValueKind());
                break;
            default:
                Assert.Fail($"unexpected action '{kind}'");
                break;
        }
    }
}
