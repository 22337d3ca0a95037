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

    public static IEnumerable<DatasetItem> Read(string path, DatasetReadOptions options)
    {
        ParquetReader reader;
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ParquetException)
        {
            return [new DatasetItem(null, new DatasetError(DatasetErrorIds.UnreadableFile, $"Cannot read the Parquet file: {ex.Message}", path, 0) { Exception = ex })];
        }
        return ReadRows(file, reader, path, options);
    }

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
            long row = 0;
            var buffer = new ArrayBufferWriter<byte>();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                options.Progress?.Report(g, reader.RowGroupCount);
                using var group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                var columns = fields.Select(f => ReadColumn(group, f, count)).ToList();
                var text = (string?[])columns[fields.IndexOf(textField)];
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
                    yield return new DatasetItem(new DatasetRecord(id, t, path, row, Encoding.UTF8.GetString(buffer.WrittenSpan)), null);
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
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
