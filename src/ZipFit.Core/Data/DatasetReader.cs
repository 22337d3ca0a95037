using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ZipFit.Core.Data;

public sealed record DatasetReadOptions
{
    /// <summary>The JSON property holding the text to score.</summary>
    public string TextProperty { get; init; } = "text";

    /// <summary>The JSON property holding the id; when null, <c>id</c> is used if present.</summary>
    public string? IdProperty { get; init; }

    /// <summary>Optional shard filter: keep records whose id hashes to this shard.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Optional: told how many bytes of the file have been read.</summary>
    public ReadProgress? Progress { get; init; }
}

/// <summary>
/// Streams examples from JSONL (optionally .gz/.zst) or plain-text files. Bad records are
/// reported as <see cref="DatasetError"/> items with file:line, and reading goes on.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads a file and reports how far through it the reading is (<see cref="ReadProgress.Fraction"/>).</summary>
    public static IEnumerable<DatasetItem> Read(string path, DatasetReadOptions options, ReadProgress progress)
    {
        DatasetFileKind.TryFromPath(path, out var kind);
        return Read(path, kind, options with { Progress = progress });
    }

    public static IEnumerable<DatasetItem> Read(string path, DatasetReadOptions? options = null)
    {
        options ??= new DatasetReadOptions();
        DatasetFileKind.TryFromPath(path, out var kind);
        return Read(path, kind, options);
    }

    public static IEnumerable<DatasetItem> Read(string path, DatasetFileKind kind, DatasetReadOptions options)
    {
        if (kind.Format == DatasetFormat.Parquet)
        {
            return ParquetDatasetReader.Read(path, options);
        }
        Stream stream;
        try
        {
            stream = OpenDecompressed(path, kind.Compression, options.Progress);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [new DatasetItem(null, new DatasetError(DatasetErrorIds.UnreadableFile, ex.Message, path, 0) { Exception = ex })];
        }
        return ReadStream(stream, path, kind.Format, options);
    }

    public static Stream OpenDecompressed(string path, DatasetCompression compression, ReadProgress? progress = null)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        progress?.Attach(file);
        try
        {
            return compression switch
            {
                DatasetCompression.Gzip => new GzipTrailerCheck(new GZipStream(file, CompressionMode.Decompress), file),
                DatasetCompression.Zstd => new ZstdSharp.DecompressionStream(file),
                _ => file,
            };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static IEnumerable<DatasetItem> ReadStream(Stream stream, string path, DatasetFormat format, DatasetReadOptions options)
    {
        using (stream)
        {
            var lines = new ByteLineReader(stream);
            while (true)
            {
                DatasetItem item;
                bool truncated = false;
                try
                {
                    if (!lines.TryReadLine(out var line))
                    {
                        yield break;
                    }
                    if (IsBlank(line))
                    {
                        continue;
                    }
                    item = format == DatasetFormat.PlainText
                        ? ParseTextLine(line, path, lines.LineNumber)
                        : ParseJsonLine(line, path, lines.LineNumber, options);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or ZstdSharp.ZstdException)
                {
                    item = new DatasetItem(null, new DatasetError(DatasetErrorIds.TruncatedFile,
                        $"The file is truncated or damaged after line {lines.LineNumber}: {ex.Message}", path, lines.LineNumber + 1) { Exception = ex });
                    truncated = true;
                }
                if (truncated)
                {
                    yield return item;
                    yield break;
                }
                if (item.Record is { } record && options.Shard is { } shard && !shard.Contains(record.Id))
                {
                    continue;
                }
                yield return item;
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t'))
            {
                return false;
            }
        }
        return true;
    }

    private static DatasetItem ParseTextLine(ReadOnlySpan<byte> line, string path, long lineNumber)
    {
        if (!Utf8.IsValid(line))
        {
            return Fail(DatasetErrorIds.InvalidUtf8, "The line is not valid UTF-8.", path, lineNumber);
        }
        string text = Encoding.UTF8.GetString(line);
        string location = $"{path}:{lineNumber}";
        return new DatasetItem(new DatasetRecord(location, text, path, lineNumber, null, line.ToArray()), null);
    }

    private static DatasetItem ParseJsonLine(ReadOnlySpan<byte> line, string path, long lineNumber, DatasetReadOptions options)
    {
        if (!Utf8.IsValid(line))
        {
            return Fail(DatasetErrorIds.InvalidUtf8, "The line is not valid UTF-8.", path, lineNumber);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            return Fail(DatasetErrorIds.InvalidJson, $"The line is not valid JSON: {ex.Message}", path, lineNumber);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(DatasetErrorIds.NotAnObject, $"The line is JSON {root.ValueKind}, not an object.", path, lineNumber);
            }
            if (!root.TryGetProperty(options.TextProperty, out var textElement))
            {
                return Fail(DatasetErrorIds.MissingText, $"The record has no '{options.TextProperty}' property.", path, lineNumber);
            }
            if (textElement.ValueKind != JsonValueKind.String)
            {
                return Fail(DatasetErrorIds.TextNotString,
                    $"The record's '{options.TextProperty}' property is {textElement.ValueKind}, not a string.", path, lineNumber);
            }
            string text = textElement.GetString()!;
            string id = ReadId(root, options.IdProperty) ?? $"{path}:{lineNumber}";
            return new DatasetItem(new DatasetRecord(id, text, path, lineNumber, Encoding.UTF8.GetString(line)), null);
        }
    }

    private static string? ReadId(JsonElement root, string? idProperty)
    {
        if (!root.TryGetProperty(idProperty ?? "id", out var id))
        {
            return null;
        }
        return id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        };
    }

    private static DatasetItem Fail(string id, string message, string path, long line) =>
        new(null, new DatasetError(id, message, path, line));
}
