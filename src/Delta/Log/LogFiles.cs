using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesPipeline.Delta;

/// <summary>Names of the files in <c>_delta_log</c> (PROTOCOL.md "Delta Log Entries", "Checkpoints").</summary>
internal static partial class LogFiles
{
    public const string LogDir = "_delta_log";
    public const string LastCheckpoint = LogDir + "/_last_checkpoint";

    public static string Commit(long version) => $"{LogDir}/{version:D20}.json";
    public static string ClassicCheckpoint(long version) => $"{LogDir}/{version:D20}.checkpoint.parquet";

    internal enum Kind { Commit, ClassicCheckpoint, MultiPartCheckpoint, UuidCheckpoint, Other }

    internal readonly record struct Parsed(Kind Kind, long Version, int Part, int Parts, DeltaStoreEntry Entry);

    public static Parsed Parse(DeltaStoreEntry entry)
    {
        var name = entry.Path[(entry.Path.LastIndexOf('/') + 1)..];
        var m = CommitRegex().Match(name);
        if (m.Success) return new(Kind.Commit, V(m), 0, 0, entry);
        m = ClassicRegex().Match(name);
        if (m.Success) return new(Kind.ClassicCheckpoint, V(m), 1, 1, entry);
        m = MultiRegex().Match(name);
        if (m.Success)
            return new(Kind.MultiPartCheckpoint, V(m), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), entry);
        m = UuidRegex().Match(name);
        if (m.Success) return new(Kind.UuidCheckpoint, V(m), 1, 1, entry);
        return new(Kind.Other, -1, 0, 0, entry);
    }

    private static long V(Match m) => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{20})\.json$")]
    private static partial Regex CommitRegex();

    [GeneratedRegex(@"^(\d{20})\.checkpoint\.parquet$")]
    private static partial Regex ClassicRegex();

    [GeneratedRegex(@"^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$")]
    private static partial Regex MultiRegex();

    [GeneratedRegex(@"^(\d{20})\.checkpoint\.[0-9a-fA-F-]{36}\.(json|parquet)$")]
    private static partial Regex UuidRegex();
}
