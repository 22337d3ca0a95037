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

    // As deep as the reader accepts, so every record read can be written back.
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 256 };

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

    /// <summary>Temporaries of earlier, killed exports to the same path that <see cref="Create"/> removed.</summary>
    public IReadOnlyList<string> RemovedLeftovers { get; private init; } = [];

    /// <summary>Opens a writer; fails if <paramref name="path"/> exists and <paramref name="overwrite"/> is false.</summary>
    public static DatasetWriter Create(string path, bool overwrite)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"The file '{path}' already exists.");
        }
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a directory.");
        }
        string dir = System.IO.Path.GetDirectoryName(path)!;
        var removed = RemoveLeftovers(path);
        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        DatasetFileKind.TryFromPath(path, out var kind);
        Stream output = kind.Compression switch
        {
            DatasetCompression.Gzip => new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true),
            DatasetCompression.Zstd => new ZstdSharp.CompressionStream(file, 3, leaveOpen: true),
            _ => file,
        };
        return new DatasetWriter(path, temp, file, output) { RemovedLeftovers = removed };
    }

    /// <summary>
    /// Deletes the hidden temporaries (<c>.name.&lt;32 hex&gt;.partial</c>) that exports to
    /// <paramref name="path"/> killed before their end left beside it. A temporary still being
    /// written is left alone: its writer holds it open exclusively (a lock on Unix, a sharing mode
    /// on Windows), so it cannot be opened here; a file we can open exclusively belongs to nobody.
    /// With .NET's file locking turned off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING) nothing is removed,
    /// as a live export could not be told from a dead one.
    /// </summary>
    public static IReadOnlyList<string> RemoveLeftovers(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        string? dir = System.IO.Path.GetDirectoryName(path);
        string name = System.IO.Path.GetFileName(path);
        string? noLocks = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        if (dir is null || !Directory.Exists(dir) || noLocks is "1" || string.Equals(noLocks, "true", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        var removed = new List<string>();
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(dir, "." + name + ".*.partial").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        foreach (string candidate in candidates)
        {
            string file = System.IO.Path.GetFileName(candidate);
            string middle = file.Substring(name.Length + 2, file.Length - name.Length - 2 - ".partial".Length);
            if (middle.Length != 32 || !middle.All(Uri.IsHexDigit))
            {
                continue;
            }
            try
            {
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
                removed.Add(candidate);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // In use by a live export, or not ours to delete.
            }
        }
        return removed;
    }

    /// <summary>Writes a JSON object line as given (its original bytes are kept exactly).</summary>
    public void WriteRawJson(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        _output.Write(bytes);
        _output.WriteByte((byte)'\n');
        RecordsWritten++;
    }

    /// <summary>Writes a JSON object line given as UTF-8, as it is.</summary>
    public void WriteRawJson(ReadOnlySpan<byte> json)
    {
        _output.Write(json);
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
        using var doc = JsonDocument.Parse(json, ReadOptions);
        WriteWithScore(doc, score.Value);
    }

    /// <summary>Writes a JSON object line given as UTF-8 with every original property, plus the score when given.</summary>
    public void WriteJsonWithScore(ReadOnlyMemory<byte> json, double? score)
    {
        if (score is null)
        {
            WriteRawJson(json.Span);
            return;
        }
        using var doc = JsonDocument.Parse(json, ReadOptions);
        WriteWithScore(doc, score.Value);
    }

    private void WriteWithScore(JsonDocument doc, double score)
    {
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
            WriteScore(writer, score);
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
