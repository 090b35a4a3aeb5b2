using System.Globalization;

namespace SalesPipeline.Delta.Bench;

/// <summary>Out-of-process writer for the racing-writer and crash tests.</summary>
internal static class Worker
{
    // worker append PATH WRITER_ID COUNT ROWS      → appends COUNT commits of ROWS rows each; prints "ok <version>" per success
    // worker hang-after-data PATH                 → writes a data file, then blocks forever before committing (killed by the test)
    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args[0];
        var path = args[1];
        var table = await DeltaTable.OpenAsync(path);
        if (mode == "append")
        {
            var writer = int.Parse(args[2], CultureInfo.InvariantCulture);
            var count = int.Parse(args[3], CultureInfo.InvariantCulture);
            var rowsPer = int.Parse(args[4], CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                var rows = Enumerable.Range(0, rowsPer).Select(r => new object?[] { (long)(writer * 1_000_000 + i * 1000 + r), $"w{writer}" }).ToList();
                var result = await table.AppendAsync(rows);
                Console.WriteLine($"ok {result.Version}");
            }
            return 0;
        }
        if (mode == "append-slow")
        {
            // Appends forever, one row per commit, so that a kill lands at a random point of a commit.
            for (var i = 0; ; i++)
            {
                var result = await table.AppendAsync([[(long)i, "slow"]]);
                Console.WriteLine($"ok {result.Version}");
            }
        }
        Console.Error.WriteLine($"unknown worker mode {mode}");
        return 2;
    }
}
