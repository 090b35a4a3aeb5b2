using System.Globalization;
using nietras.SeparatedValues;
using SalesPipeline.Sources.Mapping;

namespace SalesPipeline.Sources.Csv;

/// <summary>
/// Reads a CSV file with Sep, row by row (a quoted field may span lines; rows are counted, not lines).
/// Fields are read as spans, unquoted into one scratch buffer and parsed without intermediate strings.
/// </summary>
internal sealed class CsvLineFileReader : ILineFileReader
{
    private readonly SourceSettings settings;
    private readonly StreamReader text;
    private readonly SepReader sep;
    private readonly LineBuilder builder;
    private ColumnBinding binding = null!;
    private char[] scratch = new char[256];

    // The reader's current row has been read from the file but not yet returned (it belongs to the next chunk).
    private bool pending;
    private bool endOfFile;

    private CsvLineFileReader(string path, SourceSettings settings, StreamReader text, SepReader sep)
    {
        FilePath = path;
        this.settings = settings;
        this.text = text;
        this.sep = sep;
        builder = new LineBuilder(settings);
    }

    public string FilePath { get; }
    public IReadOnlyList<string> Columns => binding.Columns;
    public IReadOnlyList<string> UnmappedColumns => binding.Unmapped;
    public IReadOnlyList<string> MissingColumns => binding.Missing;
    public string? FileRejection => binding.FileRejection;
    public long Position { get; private set; }

    public static async ValueTask<ILineFileReader> OpenAsync(string path, SourceSettings settings, long startRow, CancellationToken ct)
    {
        StreamReader text;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            text = new StreamReader(stream, settings.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LineFileException(path, $"cannot be opened: {ex.Message}", ex);
        }

        CsvLineFileReader? reader = null;
        try
        {
            // Sep reads every row as data; the header is taken and unquoted here like any field.
            var sep = await Sep.New(settings.Delimiter).Reader(o => o with
            {
                HasHeader = false,
                DisableColCountCheck = true,
                DisableQuotesParsing = !settings.Quotes,
                Unescape = false,
                CultureInfo = CultureInfo.InvariantCulture,
            }).FromAsync(text, ct);
            reader = new CsvLineFileReader(path, settings, text, sep);
            await reader.StartAsync(startRow, ct);
            return reader;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or LineFileException))
        {
            Dispose(reader, text);
            throw new LineFileException(path, $"is not readable as CSV: {ex.Message}", ex);
        }
        catch
        {
            Dispose(reader, text);
            throw;
        }
    }

    public async ValueTask<LineChunk> ReadChunkAsync(int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var rows = new List<MappedRow>(Math.Min(maxRows, 1024));
        try
        {
            while (rows.Count < maxRows && !endOfFile)
            {
                if (!pending && !await MoveNextAsync(cancellationToken))
                {
                    break;
                }

                pending = false;
                MapCurrent(rows);
            }

            // Look one row ahead so that the last chunk says it is the last.
            if (!endOfFile && !pending)
            {
                pending = await MoveNextAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or LineFileException))
        {
            throw new LineFileException(FilePath, $"unreadable after data row {Position}: {ex.Message}", ex);
        }

        return new LineChunk(rows, Position, endOfFile);
    }

    public ValueTask DisposeAsync()
    {
        Dispose(this, text);
        return ValueTask.CompletedTask;
    }

    private static void Dispose(CsvLineFileReader? reader, StreamReader text)
    {
        reader?.sep.Dispose();
        text.Dispose();
    }

    private async ValueTask StartAsync(long startRow, CancellationToken ct)
    {
        var hasFirst = await MoveNextAsync(ct);
        if (settings.Header)
        {
            binding = ColumnBinding.Bind(settings, hasFirst ? HeaderNames() : [], positional: false);
            hasFirst = hasFirst && await MoveNextAsync(ct);
        }
        else
        {
            var count = hasFirst ? sep.Current.ColCount : 0;
            binding = ColumnBinding.Bind(settings, [.. Enumerable.Range(1, count).Select(i => i.ToString(CultureInfo.InvariantCulture))], positional: true);
        }

        pending = hasFirst;
        for (var skipped = 0L; skipped < startRow && pending; skipped++)
        {
            Position++;
            pending = await MoveNextAsync(ct);
        }
    }

    private async ValueTask<bool> MoveNextAsync(CancellationToken ct)
    {
        if (await sep.MoveNextAsync(ct))
        {
            return true;
        }

        endOfFile = true;
        return false;
    }

    private string[] HeaderNames()
    {
        var row = sep.Current;
        var names = new string[row.ColCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Clean(row[i].Span).ToString();
        }

        return names;
    }

    private void MapCurrent(List<MappedRow> rows)
    {
        var row = sep.Current;
        var number = ++Position;
        var span = row.Span;
        if (span.IsEmpty || (row.ColCount == 1 && span.IsWhiteSpace()))
        {
            return;
        }

        var raw = new string(span);
        builder.Begin();
        var indexOf = binding.IndexOf;
        var orderIndex = indexOf[(int)Field.OrderId];
        if (orderIndex >= 0 && orderIndex < row.ColCount)
        {
            builder.SetText(Field.OrderId, Clean(row[orderIndex].Span));
        }

        string? rejection = binding.FileRejection;
        if (rejection is null && row.ColCount != binding.Columns.Length)
        {
            rejection = $"expected {binding.Columns.Length} columns, found {row.ColCount}";
        }

        LineRecord? line = null;
        if (rejection is null)
        {
            for (var f = 1; f < indexOf.Length; f++)
            {
                var index = indexOf[f];
                if (index >= 0 && !builder.SetText((Field)f, Clean(row[index].Span)))
                {
                    break;
                }
            }

            line = builder.Finish();
            rejection = builder.Error;
        }

        rows.Add(new MappedRow(number, raw, builder.OrderId, line, rejection, line is null ? null : Rescue(row)));
    }

    private Dictionary<string, string>? Rescue(SepReader.Row row)
    {
        Dictionary<string, string>? rescued = null;
        foreach (var index in binding.UnmappedIndexes)
        {
            var value = Clean(row[index].Span);
            if (!value.IsEmpty)
            {
                rescued ??= new Dictionary<string, string>(StringComparer.Ordinal);
                rescued[binding.Columns[index]] = value.ToString();
            }
        }

        return rescued;
    }

    /// <summary>
    /// The field's value: trimmed, and when it starts with a quote, unquoted ("" inside quotes is one quote).
    /// The result may live in the scratch buffer until the next call.
    /// </summary>
    private ReadOnlySpan<char> Clean(ReadOnlySpan<char> field)
    {
        var value = field.Trim();
        if (!settings.Quotes || value.IsEmpty || value[0] != '"')
        {
            return value;
        }

        if (scratch.Length < value.Length)
        {
            scratch = new char[Math.Max(value.Length, scratch.Length * 2)];
        }

        var n = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c != '"')
            {
                scratch[n++] = c;
            }
            else if (quoted && i + 1 < value.Length && value[i + 1] == '"')
            {
                scratch[n++] = '"';
                i++;
            }
            else
            {
                quoted = !quoted;
            }
        }

        return scratch.AsSpan(0, n).Trim();
    }
}
