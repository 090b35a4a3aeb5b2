using System.Text;
using SalesPipeline.Grains.Ingestion;
using Xunit;

namespace SalesPipeline.Grains.Tests;

public sealed class LineReaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sp-lines-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(byte[] content)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task Read_InChunks_ResumesAtOffsetWithLineNumbers()
    {
        var path = Write(Encoding.UTF8.GetBytes("\uFEFFa\r\nbb\n\n  \nccc\nlast-without-break"));

        var first = await LineReader.ReadAsync(path, 0, 0, 2, 100, CancellationToken.None);
        Assert.Equal(["a", "bb"], first.Lines.Select(l => Encoding.UTF8.GetString(l.Bytes)));
        Assert.Equal([1L, 2L], first.Lines.Select(l => l.Number));
        Assert.False(first.AtEnd);

        var rest = await LineReader.ReadAsync(path, first.EndOffset, first.EndLine, 100, 100, CancellationToken.None);
        Assert.Equal(["ccc", "last-without-break"], rest.Lines.Select(l => Encoding.UTF8.GetString(l.Bytes)));
        Assert.Equal([5L, 6L], rest.Lines.Select(l => l.Number));
        Assert.Equal(2, rest.BlankLines);
        Assert.True(rest.AtEnd);
        Assert.Equal(new FileInfo(path).Length, rest.EndOffset);
    }

    [Fact]
    public async Task Read_LineOverLimit_KeepsHeadAndLength_AndGoesOn()
    {
        var huge = new byte[10 * 1024 * 1024];
        Array.Fill(huge, (byte)'x');
        var path = Write([.. "first\n"u8, .. huge, .. "\nnext\n"u8]);

        var chunk = await LineReader.ReadAsync(path, 0, 0, 100, 1024 * 1024, CancellationToken.None);

        Assert.Equal(3, chunk.Lines.Count);
        Assert.True(chunk.Lines[1].TooLong);
        Assert.Equal(huge.Length, chunk.Lines[1].Length);
        Assert.Equal(1024, chunk.Lines[1].Bytes.Length);
        Assert.Equal("next", Encoding.UTF8.GetString(chunk.Lines[2].Bytes));
    }

    [Fact]
    public async Task Read_EmptyFile_ReadsNothingAndIsAtEnd()
    {
        var chunk = await LineReader.ReadAsync(Write([]), 0, 0, 100, 100, CancellationToken.None);
        Assert.Empty(chunk.Lines);
        Assert.True(chunk.AtEnd);
    }
}
