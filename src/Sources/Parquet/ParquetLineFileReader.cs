using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using SalesPipeline.Sources.Mapping;

namespace SalesPipeline.Sources.Parquet;

/// <summary>
/// Reads a Parquet file row group by row group (Parquet.Net 6). Resuming skips whole row groups by their
/// row counts from the footer, then rows within the group where the start row falls.
/// </summary>
internal sealed class ParquetLineFileReader : ILineFileReader
{
    // Dates as DateOnly: a DATE has no zone, it is midnight in the source's zone (as DateTime it came back as UTC).
    private static readonly ParquetOptions Options = new() { TreatByteArrayAsString = true, UseDateOnlyTypeForDates = true };
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ParquetReader reader;
    private readonly DataField?[] fields;
    private readonly long[] groupRows;
    private readonly long totalRows;
    private readonly ColumnBinding binding;
    private readonly LineBuilder builder;
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private readonly Utf8JsonWriter json;
    private readonly JsonEncodedText[] jsonNames;
    private ColumnValues?[] current = [];

    // The current row's values, boxed once for the raw JSON, the mapping and the rescued data.
    private object?[] values = [];
    private int group = -1;
    private int rowInGroup;
    private int rowsInGroup;

    // Rows of the next group to load that lie before the start row.
    private int pendingSkip;

    private ParquetLineFileReader(string path, SourceSettings settings, ParquetReader reader, long[] groupRows)
    {
        FilePath = path;
        this.reader = reader;
        this.groupRows = groupRows;
        totalRows = groupRows.Sum();
        var top = reader.Schema.Fields;
        fields = [.. top.Select(f => f is DataField { IsArray: false } d && ColumnValues.Supports(d.ClrType) ? d : null)];
        var unusable = top.Select(f => f is DataField { IsArray: false } d
            ? ColumnValues.Supports(d.ClrType) ? null : $"has the unsupported type {d.ClrType.Name}"
            : "is nested (struct, list or map), which cannot be mapped").ToArray();
        binding = ColumnBinding.Bind(settings, [.. top.Select(f => f.Name)], positional: false, unusable);
        builder = new LineBuilder(settings);
        json = new Utf8JsonWriter(buffer, JsonOptions);
        jsonNames = [.. binding.Columns.Select(c => JsonEncodedText.Encode(c, JsonOptions.Encoder))];
    }

    public string FilePath { get; }
    public IReadOnlyList<string> Columns => binding.Columns;
    public IReadOnlyList<string> UnmappedColumns => binding.Unmapped;
    public IReadOnlyList<string> MissingColumns => binding.Missing;
    public string? FileRejection => binding.FileRejection;
    public long Position { get; private set; }

    public static async ValueTask<ILineFileReader> OpenAsync(string path, SourceSettings settings, long startRow, CancellationToken ct)
    {
        ParquetReader? parquet = null;
        try
        {
            parquet = await ParquetReader.CreateAsync(path, Options, ct);
            var groupRows = new long[parquet.RowGroupCount];
            for (var g = 0; g < groupRows.Length; g++)
            {
                using var rowGroup = parquet.OpenRowGroupReader(g);
                groupRows[g] = rowGroup.RowCount;
            }

            var reader = new ParquetLineFileReader(path, settings, parquet, groupRows);
            reader.Skip(startRow);
            return reader;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (parquet is not null)
            {
                await parquet.DisposeAsync();
            }

            throw ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
                ? new LineFileException(path, $"cannot be opened: {ex.Message}", ex)
                : new LineFileException(path, $"is not a readable Parquet file: {ex.Message}", ex);
        }
    }

    public async ValueTask<LineChunk> ReadChunkAsync(int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var rows = new List<MappedRow>((int)Math.Min(maxRows, Math.Max(0, totalRows - Position)));
        try
        {
            while (rows.Count < maxRows && Position < totalRows)
            {
                if (rowInGroup >= rowsInGroup || group < 0)
                {
                    await LoadGroupAsync(group + 1, cancellationToken);
                    continue;
                }

                rows.Add(MapRow(rowInGroup++, ++Position));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new LineFileException(FilePath, $"is not a readable Parquet file after data row {Position}: {ex.Message}", ex);
        }

        return new LineChunk(rows, Position, Position >= totalRows);
    }

    public async ValueTask DisposeAsync()
    {
        await json.DisposeAsync();
        await reader.DisposeAsync();
    }

    /// <summary>Positions after <paramref name="startRow"/> rows without reading the groups before it.</summary>
    private void Skip(long startRow)
    {
        var first = 0L;
        group = -1;
        for (var g = 0; g < groupRows.Length; g++)
        {
            if (startRow < first + groupRows[g])
            {
                // The group is loaded on the first read; the rows before the start are passed over then.
                group = g - 1;
                rowInGroup = rowsInGroup = 0;
                pendingSkip = (int)(startRow - first);
                Position = startRow;
                return;
            }

            first += groupRows[g];
        }

        Position = totalRows;
    }

    private async ValueTask LoadGroupAsync(int g, CancellationToken ct)
    {
        using var rowGroup = reader.OpenRowGroupReader(g);
        var count = checked((int)rowGroup.RowCount);
        var columns = new ColumnValues?[fields.Length];
        for (var c = 0; c < fields.Length; c++)
        {
            if (fields[c] is { } field)
            {
                columns[c] = await ColumnValues.ReadAsync(rowGroup, field, count, ct);
            }
        }

        current = columns;
        values = new object?[columns.Length];
        group = g;
        rowsInGroup = count;
        rowInGroup = pendingSkip;
        pendingSkip = 0;
    }

    private MappedRow MapRow(int row, long number)
    {
        for (var c = 0; c < current.Length; c++)
        {
            values[c] = current[c]?.Get(row);
        }

        var raw = RawJson();
        builder.Begin();
        string? rejection = binding.FileRejection;
        var indexOf = binding.IndexOf;
        LineRecord? line = null;
        for (var f = 0; f < indexOf.Length; f++)
        {
            var index = indexOf[f];
            if (index >= 0 && !Set((Field)f, values[index]))
            {
                break;
            }

            if (f == (int)Field.OrderId && rejection is not null)
            {
                break;
            }
        }

        if (rejection is null)
        {
            line = builder.Finish();
            rejection = builder.Error;
        }

        return new MappedRow(number, raw, builder.OrderId, line, rejection, line is null ? null : Rescue());
    }

    private bool Set(Field field, object? value)
    {
        try
        {
            if (field == Field.OrderTime)
            {
                return value switch
                {
                    null => true,
                    string s => builder.SetText(field, s.AsSpan().Trim()),
                    DateTime dt => builder.SetOrderTime(builder.Time.FromParquet(dt)),
                    DateTimeOffset instant => builder.SetOrderTime(builder.Time.InZone(instant)),
                    DateOnly day => builder.SetOrderTime(builder.Time.FromLocal(day.ToDateTime(TimeOnly.MinValue))),
                    _ => builder.Fail(field, ColumnValues.Text(value), $"is a {TypeName(value)}, not a timestamp"),
                };
            }

            return value switch
            {
                null => true,
                string s => builder.SetText(field, s.AsSpan().Trim()),
                byte[] => builder.Fail(field, "holds binary data"),
                decimal m => builder.SetNumber(field, m),
                double d when !double.IsFinite(d) => builder.Fail(field, ColumnValues.Text(d), "is not a finite number"),
                float x when !float.IsFinite(x) => builder.Fail(field, ColumnValues.Text(x), "is not a finite number"),
                double d => builder.SetNumber(field, (decimal)d),
                float x => builder.SetNumber(field, (decimal)x),
                int i => builder.SetNumber(field, i),
                long l => builder.SetNumber(field, l),
                short or sbyte or byte or ushort or uint or ulong => builder.SetNumber(field, Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
                _ => builder.SetText(field, ColumnValues.Text(value)),
            };
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            return builder.Fail(field, ColumnValues.Text(value!), "is out of range");
        }
    }

    private static string TypeName(object value) => value switch
    {
        int or long or short or sbyte or byte or ushort or uint or ulong or decimal or double or float => "number",
        _ => value.GetType().Name,
    };

    private Dictionary<string, string>? Rescue()
    {
        Dictionary<string, string>? rescued = null;
        foreach (var index in binding.UnmappedIndexes)
        {
            if (values[index] is { } value && ColumnValues.Text(value).Trim() is { Length: > 0 } text)
            {
                rescued ??= new Dictionary<string, string>(StringComparer.Ordinal);
                rescued[binding.Columns[index]] = text;
            }
        }

        return rescued;
    }

    private string RawJson()
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        for (var c = 0; c < current.Length; c++)
        {
            if (current[c] is not null)
            {
                ColumnValues.WriteJson(json, jsonNames[c], values[c]);
            }
        }

        json.WriteEndObject();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
