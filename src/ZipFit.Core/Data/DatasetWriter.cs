using System.Collections;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ZipFit.Core.Data;

/// <summary>
/// Writes JSONL (compressed by extension: .gz, .zst) to a temporary file beside the target and
/// renames it into place on <see cref="Commit"/>; disposing without committing deletes the
/// temporary file, so an interrupted export never leaves a partial output.
/// </summary>
public sealed class DatasetWriter : IDisposable
{
    public const string ScoreProperty = "zipfit_score";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly string _path;
    private readonly string _tempPath;
    private readonly FileStream _file;
    private readonly Stream _output;
    private readonly System.Buffers.ArrayBufferWriter<byte> _line = new(4096);
    private bool _committed;
    private bool _disposed;

    private DatasetWriter(string path, string tempPath, FileStream file, Stream output)
    {
        _path = path;
        _tempPath = tempPath;
        _file = file;
        _output = output;
    }

    public string Path => _path;

    public long RecordsWritten { get; private set; }

    /// <summary>Opens a writer; fails if <paramref name="path"/> exists and <paramref name="overwrite"/> is false.</summary>
    public static DatasetWriter Create(string path, bool overwrite)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"The file '{path}' already exists. Use -Force to overwrite it.");
        }
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a directory.");
        }
        string dir = System.IO.Path.GetDirectoryName(path)!;
        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        DatasetFileKind.TryFromPath(path, out var kind);
        Stream output = kind.Compression switch
        {
            DatasetCompression.Gzip => new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true),
            DatasetCompression.Zstd => new ZstdSharp.CompressionStream(file, 3, leaveOpen: true),
            _ => file,
        };
        return new DatasetWriter(path, temp, file, output);
    }

    /// <summary>Writes a JSON object line as given (its original bytes are kept exactly).</summary>
    public void WriteRawJson(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        _output.Write(bytes);
        _output.WriteByte((byte)'\n');
        RecordsWritten++;
    }

    /// <summary>Writes a JSON object line with every original property, plus the score when given.</summary>
    public void WriteJsonWithScore(string json, double? score)
    {
        if (score is null)
        {
            WriteRawJson(json);
            return;
        }
        using var doc = JsonDocument.Parse(json);
        _line.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_line, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.NameEquals(ScoreProperty))
                {
                    continue;
                }
                property.WriteTo(writer);
            }
            WriteScore(writer, score.Value);
            writer.WriteEndObject();
        }
        EmitLine();
    }

    /// <summary>Writes an object built from name/value pairs (strings, numbers, booleans, nulls, lists, dictionaries).</summary>
    public void WriteProperties(IEnumerable<KeyValuePair<string, object?>> properties, double? score)
    {
        _line.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_line, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                if (score is not null && name == ScoreProperty)
                {
                    continue;
                }
                writer.WritePropertyName(name);
                WriteValue(writer, value, 0);
            }
            if (score is not null)
            {
                WriteScore(writer, score.Value);
            }
            writer.WriteEndObject();
        }
        EmitLine();
    }

    private static void WriteScore(Utf8JsonWriter writer, double score)
    {
        if (double.IsFinite(score))
        {
            writer.WriteNumber(ScoreProperty, score);
        }
        else
        {
            writer.WriteNull(ScoreProperty);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > 64)
        {
            writer.WriteStringValue(value?.ToString());
            return;
        }
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case JsonElement e: e.WriteTo(writer); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case DateTime dt: writer.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset dto: writer.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture)); break;
            case IDictionary dict:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dict)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteValue(writer, entry.Value, depth + 1);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                writer.WriteStartObject();
                foreach (var (k, v) in pairs)
                {
                    writer.WritePropertyName(k);
                    WriteValue(writer, v, depth + 1);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    WriteValue(writer, item, depth + 1);
                }
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private void EmitLine()
    {
        _output.Write(_line.WrittenSpan);
        _output.WriteByte((byte)'\n');
        RecordsWritten++;
    }

    /// <summary>Flushes to disk and atomically replaces the destination with what was written.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ReferenceEquals(_output, _file))
        {
            _output.Dispose();
        }
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        File.Move(_tempPath, _path, overwrite: true);
        _committed = true;
        _disposed = true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            _output.Dispose();
            _file.Dispose();
        }
        finally
        {
            if (!_committed)
            {
                try { File.Delete(_tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
