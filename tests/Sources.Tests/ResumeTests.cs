using System.Globalization;
using System.Text;

namespace SalesPipeline.Sources.Tests;

/// <summary>Reading from any row, or chunk by chunk with a reopen at every boundary, gives exactly one full read.</summary>
public sealed class ResumeTests
{
    internal static string Fingerprint(MappedRow r) =>
        $"{r.RowNumber}|{r.Raw}|{r.OrderId}|{r.Line}|{r.Rejection}|{(r.Rescued is null ? "-" : string.Join(";", r.Rescued.OrderBy(p => p.Key, StringComparer.Ordinal)))}";

    private static string MessyCsv()
    {
        var text = new StringBuilder("Order,Sku,Title,Qty,Price,PlacedAt,Buyer,Note\r\n");
        for (var i = 1; i <= 60; i++)
        {
            var title = (i % 5) switch
            {
                0 => $"\"Line one\r\nline two, {i}\"",
                1 => $"\"He said \"\"{i}\"\"\"",
                _ => $"Title {i}",
            };
            var row = (i % 11) switch
            {
                3 => $"o-{i / 3},p-{i},{title},1,1,2026-03-01",
                7 => "",
                9 => $"o-{i / 3},p-{i},{title},2.5,1,2026-03-01,c,",
                _ => $"o-{i / 3},p-{i},{title},{i},{i}.25,2026-03-{1 + (i % 28):D2} 10:00,c-{i % 4},{(i % 2 == 0 ? "n" + i : "")}",
            };
            text.Append(row).Append(i % 2 == 0 ? "\r\n" : "\n");
        }

        return text.ToString();
    }

    [Fact]
    public async Task Csv_ResumeAtEveryRow_YieldsExactlyTheRowsAfterIt()
    {
        using var dir = new TempDir();
        var path = dir.File("messy.csv", MessyCsv());
        var source = LineSource.Create("s", Sources.Csv());
        var full = (await Sources.ReadAllAsync(source, path)).Select(Fingerprint).ToList();

        // Independent count: 60 data rows, blank ones skipped (i % 11 == 7: rows 7, 18, 29, 40, 51).
        Assert.Equal(55, full.Count);
        Assert.Equal(Enumerable.Range(1, 60).Where(i => i % 11 != 7).Select(i => (long)i), (await Sources.ReadAllAsync(source, path)).Select(r => r.RowNumber));

        for (var start = 0; start <= 62; start++)
        {
            var resumed = (await Sources.ReadAllAsync(source, path, start, chunk: 7)).Select(Fingerprint).ToList();
            var expected = full.Where(f => long.Parse(f[..f.IndexOf('|')], CultureInfo.InvariantCulture) > start).ToList();
            Assert.Equal(expected, resumed);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(54)]
    [InlineData(55)]
    [InlineData(1000)]
    public async Task Csv_ReopenAtEveryChunkBoundary_EqualsOneFullRead(int chunk)
    {
        using var dir = new TempDir();
        var path = dir.File("messy.csv", MessyCsv());
        var source = LineSource.Create("s", Sources.Csv());
        var full = (await Sources.ReadAllAsync(source, path)).Select(Fingerprint).ToList();

        Assert.Equal(full, await ReadWithRestartsAsync(source, path, chunk));
    }

    internal static async Task<List<string>> ReadWithRestartsAsync(LineSource source, string path, int chunk)
    {
        var pieces = new List<string>();
        var position = 0L;
        var opens = 0;
        while (true)
        {
            // A restart after every chunk: only the checkpointed position survives.
            await using var reader = await source.OpenAsync(path, position);
            opens++;
            Assert.Equal(position, reader.Position);
            var next = await reader.ReadChunkAsync(chunk);
            Assert.True(next.Rows.Count <= chunk);
            Assert.True(next.EndOfFile || next.Rows.Count > 0);
            pieces.AddRange(next.Rows.Select(Fingerprint));
            position = next.Position;
            if (next.EndOfFile)
            {
                Assert.True(opens < 200);
                return pieces;
            }
        }
    }

    [Fact]
    public async Task Csv_ChunkEndingAtTheLastRow_SaysEndOfFile()
    {
        using var dir = new TempDir();
        var path = dir.File("two.csv", Sources.Header + "\no-1,p,T,1,1,2026-03-01,c\no-2,p,T,1,1,2026-03-01,c\n");
        await using var reader = await LineSource.Create("s", Sources.Csv()).OpenAsync(path);

        var first = await reader.ReadChunkAsync(1);
        var second = await reader.ReadChunkAsync(1);

        Assert.False(first.EndOfFile);
        Assert.True(second.EndOfFile);
        Assert.Equal(2, second.Position);
        var after = await reader.ReadChunkAsync(5);
        Assert.True(after.EndOfFile);
        Assert.Empty(after.Rows);
    }

    [Fact]
    public async Task Csv_StartPastTheEnd_IsAtTheEnd()
    {
        using var dir = new TempDir();
        var path = dir.File("two.csv", Sources.Header + "\no-1,p,T,1,1,2026-03-01,c\no-2,p,T,1,1,2026-03-01,c\n");
        await using var reader = await LineSource.Create("s", Sources.Csv()).OpenAsync(path, 10);

        var chunk = await reader.ReadChunkAsync(5);

        Assert.True(chunk.EndOfFile);
        Assert.Empty(chunk.Rows);
        Assert.Equal(2, chunk.Position);
    }
}
