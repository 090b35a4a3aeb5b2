namespace SalesPipeline.Grains.Ingestion;

/// <summary>A line read from a file: its 1-based number, bytes (without the line break) and the offset where it starts.</summary>
/// <remarks>When the line is longer than the limit, <see cref="Bytes"/> holds only its first KiB and <see cref="Length"/> the full length.</remarks>
internal readonly record struct LineRead(long Number, byte[] Bytes, long Length, long Start = 0)
{
    public bool TooLong => Length > Bytes.Length;
}

/// <summary>The lines of one read, and where the next read starts.</summary>
internal sealed record ChunkRead(List<LineRead> Lines, long EndOffset, long EndLine, int BlankLines, bool AtEnd);

/// <summary>
/// Reads lines from a byte offset with bounded memory: a line longer than the limit is skipped to its
/// end with only its head kept. Files are published whole (temp name + rename), so a last line without
/// a line break is complete.
/// </summary>
internal static class LineReader
{
    private const int HeadBytes = 1024;

    public static async Task<ChunkRead> ReadAsync(string path, long offset, long lineNumber, int maxLines, int maxLineBytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        stream.Position = offset;

        var lines = new List<LineRead>(Math.Min(maxLines, 4096));
        var buffer = new byte[64 * 1024];
        var current = new MemoryStream();
        long currentLength = 0;
        var position = offset;
        var lineEnd = offset;
        var blank = 0;
        var atEnd = false;

        while (lines.Count < maxLines)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                atEnd = true;
                if (currentLength > 0)
                {
                    Finish(ref blank);
                    lineEnd = position;
                }

                break;
            }

            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                Append(buffer.AsSpan(start, i - start));
                Finish(ref blank);
                start = i + 1;
                lineEnd = position + start;
                if (lines.Count >= maxLines)
                {
                    break;
                }
            }

            if (lines.Count >= maxLines)
            {
                break;
            }

            Append(buffer.AsSpan(start, read - start));
            position += read;
        }

        return new ChunkRead(lines, lineEnd, lineNumber, blank, atEnd && lineEnd == stream.Length);

        void Append(ReadOnlySpan<byte> bytes)
        {
            // Keep at most maxLineBytes + 1 bytes: enough to know the line is too long.
            var room = (int)Math.Max(0, maxLineBytes + 1 - current.Length);
            current.Write(bytes[..Math.Min(room, bytes.Length)]);
            currentLength += bytes.Length;
        }

        void Finish(ref int blankLines)
        {
            lineNumber++;
            var bytes = current.GetBuffer().AsSpan(0, (int)current.Length);
            var length = currentLength;
            if (lineNumber == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
                length -= 3;
            }

            if (bytes.Length > 0 && bytes[^1] == (byte)'\r' && length == bytes.Length)
            {
                bytes = bytes[..^1];
                length--;
            }

            if (length > maxLineBytes)
            {
                lines.Add(new LineRead(lineNumber, bytes[..HeadBytes].ToArray(), length, lineEnd));
            }
            else if (IsBlank(bytes))
            {
                blankLines++;
            }
            else
            {
                lines.Add(new LineRead(lineNumber, bytes.ToArray(), length, lineEnd));
            }

            current.SetLength(0);
            currentLength = 0;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
