using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace ZipFit.Core.Data;

/// <summary>
/// Streams examples from a Parquet file (e.g. a Hugging Face dataset shard) one row group at a time.
/// The text column is <see cref="DatasetReadOptions.TextProperty"/>; every flat column of a simple type
/// travels with the record as JSON, so exports keep the original fields.
/// </summary>
public static class ParquetDatasetReader
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The most uncompressed column data one row group may hold to be read: Parquet.Net decodes a
    /// row group's columns whole, so this bounds memory whatever the compression ratio. It is
    /// 1 GiB, or four times -MaxRecordBytes when that is more.
    /// </summary>
    public static long RowGroupBudget(DatasetReadOptions options) => Math.Max(1L << 30, 4 * (long)options.EffectiveMaxRecordBytes);

    public static IEnumerable<DatasetItem> Read(string path, DatasetReadOptions options)
    {
        ParquetReader reader;
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new DatasetItem(null, new DatasetError(DatasetErrorIds.UnreadableFile, $"Cannot read the Parquet file: {ex.Message}", path, 0) { Exception = ex })];
        }
        try
        {
            if (ParquetFooterCheck.Problem(file) is { } problem)
            {
                file.Dispose();
                string message = $"Cannot read the Parquet file: {problem}.";
                // An IOException, as Parquet.Net's own refusal of a file that is not Parquet is.
                return [new DatasetItem(null, new DatasetError(DatasetErrorIds.UnreadableFile, message, path, 0) { Exception = new IOException(message) })];
            }
            reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
            // The schema is decoded from the footer on first use; a damaged footer fails here, as a reader error.
            _ = reader.Schema;
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            file.Dispose();
            return [new DatasetItem(null, new DatasetError(DatasetErrorIds.UnreadableFile, $"Cannot read the Parquet file: {ex.Message}", path, 0) { Exception = Cause(ex) })];
        }
        return ReadRows(file, reader, path, options);
    }

    /// <summary>
    /// A damaged or hostile file makes Parquet.Net fail in many ways (its own exceptions, bad
    /// casts, indexes out of range, overflows, allocations it cannot make); every one of them
    /// becomes a reader error. Only a stop is let through.
    /// </summary>
    private static bool IsReadFailure(Exception ex) => ex is not (OperationCanceledException or StackOverflowException or ThreadAbortException);

    /// <summary>
    /// The exception an error keeps as its cause: an I/O or format failure (what a script may catch by
    /// type); Parquet.Net's internal failures on damaged input (casts, indexes, overflows) are not kept.
    /// </summary>
    private static Exception? Cause(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or InvalidDataException or ParquetException ? ex : null;

    private static IEnumerable<DatasetItem> ReadRows(FileStream file, ParquetReader reader, string path, DatasetReadOptions options)
    {
        using (file)
        try
        {
            var fields = reader.Schema.Fields.OfType<DataField>().Where(f => !f.IsArray && IsSimple(f.ClrType)).ToList();
            var textField = fields.FirstOrDefault(f => f.Name == options.TextProperty);
            if (textField is null || !IsString(textField.ClrType))
            {
                yield return new DatasetItem(null, new DatasetError(DatasetErrorIds.MissingText,
                    $"The Parquet file has no string column '{options.TextProperty}'; columns: {string.Join(", ", reader.Schema.GetDataFields().Select(f => f.Name))}.", path, 0));
                yield break;
            }
            string idName = options.IdProperty ?? "id";
            int limit = options.EffectiveMaxRecordBytes;
            long budget = RowGroupBudget(options);
            long row = 0;
            var buffer = new ArrayBufferWriter<byte>();
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            int textIndex = fields.IndexOf(textField);
            int idIndex = fields.FindIndex(f => f.Name == idName);
            using var text = new TextColumn(reader, file, textField, budget);
            var columns = new Array?[fields.Count];
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                options.Progress?.Report(g, reader.RowGroupCount);
                var (count, error) = ReadRowGroup(reader, g, fields, textIndex, columns, text, path, row, budget);
                if (error is not null)
                {
                    yield return new DatasetItem(null, error);
                    if (count < 0)
                    {
                        yield break;
                    }
                    row += count;
                    continue;
                }
                for (int i = 0; i < count; i++)
                {
                    row++;
                    if (text.Next(out var utf8) is { } problem)
                    {
                        yield return new DatasetItem(null, new DatasetError(DatasetErrorIds.TruncatedFile,
                            $"The Parquet file is damaged at row group {g}: {problem.Message}", path, row) { Exception = Cause(problem) });
                        yield break;
                    }
                    if (utf8 is not { } cell)
                    {
                        yield return new DatasetItem(null, new DatasetError(DatasetErrorIds.TextNotString,
                            $"Row {row} has no '{options.TextProperty}' value (null).", path, row));
                        continue;
                    }
                    // A cell that is not valid UTF-8 is decoded as the string column would be (invalid sequences
                    // become U+FFFD), so either way a record holds what Parquet.Net's string would have been.
                    string? decoded = null;
                    if (!System.Text.Unicode.Utf8.IsValid(cell.Span))
                    {
                        decoded = Encoding.UTF8.GetString(cell.Span);
                        cell = Encoding.UTF8.GetBytes(decoded);
                    }
                    if (cell.Length > limit)
                    {
                        yield return new DatasetItem(null, new DatasetError(DatasetErrorIds.RecordTooLarge,
                            DatasetReadOptions.TooLargeMessage(cell.Length, limit), path, row));
                        continue;
                    }
                    string id = idIndex >= 0 && columns[idIndex]?.GetValue(i) is { } idValue
                        ? Convert.ToString(idValue, System.Globalization.CultureInfo.InvariantCulture)!
                        : idIndex == textIndex && idIndex >= 0 ? decoded ?? Encoding.UTF8.GetString(cell.Span) : $"{path}:{row}";
                    if (options.Shard is { } shard && !shard.Contains(id))
                    {
                        continue;
                    }
                    buffer.ResetWrittenCount();
                    writer.Reset(buffer);
                    writer.WriteStartObject();
                    for (int c = 0; c < fields.Count; c++)
                    {
                        if (c == textIndex)
                        {
                            writer.WritePropertyName(fields[c].Name);
                            if (decoded is null) writer.WriteStringValue(cell.Span); else writer.WriteStringValue(decoded);
                        }
                        else
                        {
                            WriteValue(writer, fields[c].Name, columns[c]!.GetValue(i));
                        }
                    }
                    writer.WriteEndObject();
                    writer.Flush();
                    // Kept as UTF-8, as the JSONL reader keeps its records: the bytes scorers read, and the JSON.
                    var record = new DatasetRecord(id, cell.ToArray(), path, row, buffer.WrittenSpan.ToArray());
                    yield return new DatasetItem(record, null);
                }
            }
        }
        finally
        {
            try
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
            }
        }
    }

    /// <summary>
    /// One row group's text cells, in row order. They come from <see cref="ParquetTextPages"/>, page by page, or from
    /// Parquet.Net when the page reader does not read the chunk's codec or encodings (from the row where it found
    /// out, when that is a page into the chunk).
    /// </summary>
    private sealed class TextColumn(ParquetReader reader, Stream file, DataField text, long budget) : IDisposable
    {
        private readonly ParquetTextPages _pages = new(file, budget);
        private readonly DataField _raw = RawTextField(text);
        private int _group, _row;
        private TextCells? _cells;

        /// <summary>Starts on row group <paramref name="g"/>, whose text column chunk is <paramref name="chunk"/>.</summary>
        public void Start(ParquetRowGroupReader group, int g, Parquet.Meta.ColumnChunk? chunk, int count)
        {
            _group = g;
            _row = 0;
            _cells = null;
            if (ParquetTextPages.Unsupported(chunk, text.MaxDefinitionLevel, text.MaxRepetitionLevel) is null)
            {
                _pages.Open(chunk!, text.MaxDefinitionLevel, count);
            }
            else
            {
                _cells = TextCells.Read(group, text, _raw, count);
            }
        }

        /// <summary>The next row's cell (null for a null), or the failure that ends the file.</summary>
        public Exception? Next(out ReadOnlyMemory<byte>? cell)
        {
            cell = null;
            try
            {
                if (_cells is null)
                {
                    try
                    {
                        if (_pages.Next(out var value)) cell = value;
                        _row++;
                        return null;
                    }
                    catch (NotSupportedException)
                    {
                        using var group = reader.OpenRowGroupReader(_group);
                        _cells = TextCells.Read(group, text, _raw, (int)group.RowCount);
                    }
                }
                if (!_cells.IsNull(_row)) cell = _cells.Cell(_row);
                _row++;
                return null;
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                return ex;
            }
        }

        public void Dispose() => _pages.Dispose();
    }

    /// <summary>
    /// The text column as Parquet.Net reads a binary column: the stored UTF-8 bytes of every cell, without the
    /// UTF-16 strings (and their garbage) it makes of a string column. Parquet.Net reads only fields attached to a
    /// schema, hence the one made here.
    /// </summary>
    private static DataField RawTextField(DataField text)
    {
        var raw = new DataField(text.Name, typeof(ReadOnlyMemory<byte>), text.IsNullable);
        _ = new ParquetSchema(raw);
        return raw;
    }

    /// <summary>One row group's text cells as Parquet.Net reads them, for the chunks the page reader does not read.
    /// Nulls are absent from the values (the definition levels say where they were).</summary>
    private sealed class TextCells(ReadOnlyMemory<byte>[] values, int[]? levels, int maxDefinitionLevel)
    {
        private int _row = -1, _value = -1;

        public bool IsNull(int row) => levels is not null && levels[row] < maxDefinitionLevel;

        /// <summary>The cell of a non-null row; rows are asked for in order.</summary>
        public ReadOnlyMemory<byte> Cell(int row)
        {
            while (_row < row)
            {
                _row++;
                if (!IsNull(_row)) _value++;
            }
            return values[_value];
        }

        /// <param name="text">The column as the file's schema declares it: whether it has definition levels.</param>
        public static TextCells Read(ParquetRowGroupReader group, DataField text, DataField raw, int count)
        {
            var values = new ReadOnlyMemory<byte>[count];
            // Parquet.Net wants a levels buffer for a raw read even of a column without definition levels; it is then
            // not looked at.
            var levels = new int[count];
            group.ReadRawAsync(raw, values.AsMemory(), levels, null, default).AsTask().GetAwaiter().GetResult();
            return new TextCells(values, text.MaxDefinitionLevel > 0 ? levels : null, text.MaxDefinitionLevel);
        }
    }

    /// <summary>
    /// Decodes one row group's other columns into <paramref name="columns"/> (arrays reused from group to group) and
    /// starts the text column on it, unless its declared uncompressed size is over the budget (then one error for its
    /// rows, and reading goes on with the next group). A failure to decode ends the file with an error (count -1).
    /// </summary>
    private static (int Count, DatasetError? Error) ReadRowGroup(
        ParquetReader reader, int g, List<DataField> fields, int textIndex, Array?[] columns, TextColumn text, string path, long rowsBefore, long budget)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(g);
            long rows = group.RowCount;
            if (rows < 0 || rows > Array.MaxLength)
            {
                return (-1, new DatasetError(DatasetErrorIds.UnreadableFile,
                    $"Row group {g} claims {rows:N0} rows; the file is damaged.", path, rowsBefore + 1));
            }
            int count = (int)rows;
            long declared = 0;
            foreach (var field in fields)
            {
                declared += Math.Max(0, group.GetMetadata(field)?.MetaData?.TotalUncompressedSize ?? 0);
            }
            if (declared > budget)
            {
                return (count, new DatasetError(DatasetErrorIds.RowGroupTooLarge, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "Rows {0:N0}-{1:N0} (row group {2}) hold {3:N0} bytes of column data once decompressed, over the {4:N0} bytes one row group may take; they were skipped.",
                    rowsBefore + 1, rowsBefore + count, g, declared, budget), path, rowsBefore + 1));
            }
            for (int c = 0; c < fields.Count; c++)
            {
                if (c != textIndex)
                {
                    columns[c] = ReadColumn(group, fields[c], count, columns[c]);
                }
            }
            text.Start(group, g, group.GetMetadata(fields[textIndex]), count);
            return (count, null);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return (-1, new DatasetError(DatasetErrorIds.TruncatedFile,
                $"The Parquet file is damaged at row group {g}: {ex.Message}", path, rowsBefore + 1) { Exception = Cause(ex) });
        }
    }

    // Parquet.Net reports string columns it reads as ReadOnlyMemory<char>.
    private static bool IsString(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private static bool IsSimple(Type type) =>
        IsString(type) || type == typeof(int) || type == typeof(long) || type == typeof(double)
        || type == typeof(float) || type == typeof(bool) || type == typeof(short) || type == typeof(byte);

    /// <summary>Reads a column into <paramref name="reuse"/> when it is of the right type and large enough (arrays of
    /// 10,000 or more references are on the large-object heap), else into a new array.</summary>
    private static Array ReadColumn(ParquetRowGroupReader group, DataField field, int count, Array? reuse)
    {
        if (IsString(field.ClrType))
        {
            var values = Room<string?>(reuse, count);
            group.ReadAsync(field, values.AsMemory(0, count)!, null, default).AsTask().GetAwaiter().GetResult();
            return values;
        }
        return field.ClrType switch
        {
            var t when t == typeof(int) => Read<int>(group, field, count, reuse),
            var t when t == typeof(long) => Read<long>(group, field, count, reuse),
            var t when t == typeof(double) => Read<double>(group, field, count, reuse),
            var t when t == typeof(float) => Read<float>(group, field, count, reuse),
            var t when t == typeof(bool) => Read<bool>(group, field, count, reuse),
            var t when t == typeof(short) => Read<short>(group, field, count, reuse),
            _ => Read<byte>(group, field, count, reuse),
        };
    }

    private static T[] Room<T>(Array? reuse, int count) => reuse is T[] values && values.Length >= count ? values : new T[count];

    private static Array Read<T>(ParquetRowGroupReader group, DataField field, int count, Array? reuse) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = Room<T?>(reuse, count);
            group.ReadAsync(field, nullable.AsMemory(0, count), null, default).AsTask().GetAwaiter().GetResult();
            return nullable;
        }
        var values = Room<T>(reuse, count);
        group.ReadAsync(field, values.AsMemory(0, count), null, default).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        writer.WritePropertyName(name);
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case double or float: writer.WriteNullValue(); break;
            default: writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }
}
