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
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                options.Progress?.Report(g, reader.RowGroupCount);
                var (columns, count, error) = ReadRowGroup(reader, g, fields, path, row, budget);
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
                var text = (string?[])columns![fields.IndexOf(textField)];
                int idIndex = fields.FindIndex(f => f.Name == idName);
                for (int i = 0; i < count; i++)
                {
                    row++;
                    if (text[i] is not { } t)
                    {
                        yield return new DatasetItem(null, new DatasetError(DatasetErrorIds.TextNotString,
                            $"Row {row} has no '{options.TextProperty}' value (null).", path, row));
                        continue;
                    }
                    if (Utf8Length(t, limit) is long size && size > limit)
                    {
                        text[i] = null;
                        yield return new DatasetItem(null, new DatasetError(DatasetErrorIds.RecordTooLarge,
                            DatasetReadOptions.TooLargeMessage(size, limit), path, row));
                        continue;
                    }
                    string id = idIndex >= 0 && columns[idIndex].GetValue(i) is { } idValue
                        ? Convert.ToString(idValue, System.Globalization.CultureInfo.InvariantCulture)!
                        : $"{path}:{row}";
                    if (options.Shard is { } shard && !shard.Contains(id))
                    {
                        continue;
                    }
                    buffer.ResetWrittenCount();
                    using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                    {
                        writer.WriteStartObject();
                        for (int c = 0; c < fields.Count; c++)
                        {
                            WriteValue(writer, fields[c].Name, columns[c].GetValue(i));
                        }
                        writer.WriteEndObject();
                    }
                    // Kept as UTF-8, as the JSONL reader keeps its records: half the memory of strings, and
                    // the bytes scorers read. The row's string is let go at once.
                    var record = new DatasetRecord(id, Encoding.UTF8.GetBytes(t), path, row, buffer.WrittenSpan.ToArray());
                    text[i] = null;
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

    /// <summary>The text's UTF-8 length when it may exceed <paramref name="limit"/>; null when it surely does not.</summary>
    private static long? Utf8Length(string text, int limit)
    {
        if ((long)text.Length * 3 <= limit)
        {
            return null;
        }
        return Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>
    /// Decodes one row group's columns, unless its declared uncompressed size is over the budget
    /// (then one error for its rows, and reading goes on with the next group). A failure to decode
    /// ends the file with an error (count -1).
    /// </summary>
    private static (List<Array>? Columns, int Count, DatasetError? Error) ReadRowGroup(
        ParquetReader reader, int g, List<DataField> fields, string path, long rowsBefore, long budget)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(g);
            long rows = group.RowCount;
            if (rows < 0 || rows > Array.MaxLength)
            {
                return (null, -1, new DatasetError(DatasetErrorIds.UnreadableFile,
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
                return (null, count, new DatasetError(DatasetErrorIds.RowGroupTooLarge, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "Rows {0:N0}-{1:N0} (row group {2}) hold {3:N0} bytes of column data once decompressed, over the {4:N0} bytes one row group may take; they were skipped.",
                    rowsBefore + 1, rowsBefore + count, g, declared, budget), path, rowsBefore + 1));
            }
            return (fields.Select(f => ReadColumn(group, f, count)).ToList(), count, null);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return (null, -1, new DatasetError(DatasetErrorIds.TruncatedFile,
                $"The Parquet file is damaged at row group {g}: {ex.Message}", path, rowsBefore + 1) { Exception = Cause(ex) });
        }
    }

    // Parquet.Net reports string columns it reads as ReadOnlyMemory<char>.
    private static bool IsString(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private static bool IsSimple(Type type) =>
        IsString(type) || type == typeof(int) || type == typeof(long) || type == typeof(double)
        || type == typeof(float) || type == typeof(bool) || type == typeof(short) || type == typeof(byte);

    private static Array ReadColumn(ParquetRowGroupReader group, DataField field, int count)
    {
        if (IsString(field.ClrType))
        {
            var values = new string?[count];
            group.ReadAsync(field, values.AsMemory()!, null, default).AsTask().GetAwaiter().GetResult();
            return values;
        }
        return field.ClrType switch
        {
            var t when t == typeof(int) => Read<int>(group, field, count),
            var t when t == typeof(long) => Read<long>(group, field, count),
            var t when t == typeof(double) => Read<double>(group, field, count),
            var t when t == typeof(float) => Read<float>(group, field, count),
            var t when t == typeof(bool) => Read<bool>(group, field, count),
            var t when t == typeof(short) => Read<short>(group, field, count),
            _ => Read<byte>(group, field, count),
        };
    }

    private static Array Read<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[count];
            group.ReadAsync(field, nullable.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
            return nullable;
        }
        var values = new T[count];
        group.ReadAsync(field, values.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
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
