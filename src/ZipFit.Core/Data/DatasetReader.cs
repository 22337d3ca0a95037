using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ZipFit.Core.Compression;

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

    /// <summary>
    /// The largest record read: a JSONL/text line (its bytes, without the end of line) or a Parquet
    /// text cell (its UTF-8 bytes). A larger one is reported as <see cref="DatasetErrorIds.RecordTooLarge"/>
    /// and skipped without being held in memory.
    /// </summary>
    public long MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>16 MiB: far above real examples, far below what hurts a machine.</summary>
    public const long DefaultMaxRecordBytes = 16L * 1024 * 1024;

    /// <summary>1 GiB, the most a record may be allowed (a .NET string holds at most about 1 G characters).</summary>
    public const long LargestMaxRecordBytes = 1L << 30;

    /// <summary>Whether JSONL lines go through <see cref="JsonLineScanner"/> first (off only to compare it with the reader).</summary>
    internal bool ScanJsonLines { get; init; } = true;

    internal int EffectiveMaxRecordBytes => (int)Math.Clamp(MaxRecordBytes, 0, LargestMaxRecordBytes);

    /// <summary>The message of a record over the limit.</summary>
    public static string TooLargeMessage(long size, long limit) => string.Format(System.Globalization.CultureInfo.InvariantCulture,
        "The record is {0:N0} bytes, over the limit of {1:N0} bytes; it was skipped.",
        size, limit);
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ZstdSharp.ZstdException)
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
                DatasetCompression.Zstd => SystemZstd.IsAvailable ? new SystemZstdDecompressionStream(file) : new ZstdSharp.DecompressionStream(file),
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
            int limit = options.EffectiveMaxRecordBytes;
            var lines = new ByteLineReader(stream, limit);
            byte[] scratch = [];
            var names = options.ScanJsonLines ? PropertyNames.For(options) : null;
            while (true)
            {
                DatasetItem item;
                bool truncated = false;
                try
                {
                    var kind = lines.Next(out var line);
                    if (kind == LineKind.End)
                    {
                        yield break;
                    }
                    if (kind == LineKind.TooLong)
                    {
                        item = Fail(DatasetErrorIds.RecordTooLarge, DatasetReadOptions.TooLargeMessage(lines.SkippedLength, limit), path, lines.LineNumber);
                    }
                    else if (IsBlank(line.Span))
                    {
                        continue;
                    }
                    else
                    {
                        item = format == DatasetFormat.PlainText
                            ? ParseTextLine(line.Span, path, lines.LineNumber)
                            : ParseJsonLine(line.Span, lines, path, lines.LineNumber, options, names, ref scratch);
                    }
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
        return new DatasetItem(new DatasetRecord($"{path}:{lineNumber}", line.ToArray(), path, lineNumber, null), null);
    }

    /// <summary>
    /// One pass of a JSON reader over the line: checks it all (depth at most 256), finds the text
    /// and id properties at the top level (the last of duplicates, as JsonDocument does), and copies
    /// the text out as UTF-8, unescaping only when it has escapes.
    /// </summary>
    private static DatasetItem ParseJsonLine(ReadOnlySpan<byte> line, ByteLineReader lines, string path, long lineNumber, DatasetReadOptions options,
        PropertyNames? names, ref byte[] scratch)
    {
        if (!Utf8.IsValid(line))
        {
            return Fail(DatasetErrorIds.InvalidUtf8, "The line is not valid UTF-8.", path, lineNumber);
        }
        string idName = options.IdProperty ?? "id";
        JsonTokenType root = JsonTokenType.None;
        JsonTokenType textToken = JsonTokenType.None;
        int textStart = -1, textLength = 0;
        bool textEscaped = false;
        string? id = null;
        var scoreField = ScoreField.Absent;
        double score = double.NaN;
        if (names is not null && ScanJsonLine(line, names) is { } scanned)
        {
            (root, textToken, textStart, textLength, textEscaped, id, scoreField, score) = scanned;
        }
        else
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read())
            {
                return Fail(DatasetErrorIds.InvalidJson, "The line is not valid JSON: it holds no value.", path, lineNumber);
            }
            root = reader.TokenType;
            while (reader.Read())
            {
                if (root != JsonTokenType.StartObject || reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }
                bool isText = reader.ValueTextEquals(options.TextProperty);
                bool isId = reader.ValueTextEquals(idName);
                bool isScore = reader.ValueTextEquals(DatasetWriter.ScoreProperty);
                reader.Read();
                if (isScore)
                {
                    (scoreField, score) = reader.TokenType switch
                    {
                        JsonTokenType.Number when reader.TryGetDouble(out double value) => (ScoreField.Number, value),
                        _ => (ScoreField.Other, double.NaN),
                    };
                }
                if (isText)
                {
                    textToken = reader.TokenType;
                    if (textToken == JsonTokenType.String)
                    {
                        textStart = checked((int)reader.TokenStartIndex);
                        textLength = reader.ValueSpan.Length;
                        textEscaped = reader.ValueIsEscaped;
                    }
                }
                if (isId)
                {
                    id = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                }
            }
        }
        catch (JsonException ex)
        {
            return Fail(DatasetErrorIds.InvalidJson, $"The line is not valid JSON: {ex.Message}", path, lineNumber);
        }
        catch (InvalidOperationException ex)
        {
            return Fail(DatasetErrorIds.InvalidJson, $"The line is not valid JSON: the id {ex.Message}", path, lineNumber);
        }
        if (root != JsonTokenType.StartObject)
        {
            return Fail(DatasetErrorIds.NotAnObject, $"The line is JSON {KindName(root)}, not an object.", path, lineNumber);
        }
        if (textToken == JsonTokenType.None)
        {
            return Fail(DatasetErrorIds.MissingText, $"The record has no '{options.TextProperty}' property.", path, lineNumber);
        }
        if (textToken != JsonTokenType.String)
        {
            return Fail(DatasetErrorIds.TextNotString,
                $"The record's '{options.TextProperty}' property is {KindName(textToken)}, not a string.", path, lineNumber);
        }
        byte[] text;
        if (!textEscaped)
        {
            text = line.Slice(textStart + 1, textLength).ToArray();
        }
        else
        {
            // Unescaped into the reader's scratch buffer, then copied out at its exact length: one allocation a record.
            if (scratch.Length < textLength)
            {
                scratch = new byte[Math.Max(textLength, 2 * scratch.Length)];
            }
            var unescaped = scratch.AsSpan(0, textLength);
            int written = names is null ? -1 : JsonLineScanner.Unescape(line.Slice(textStart + 1, textLength), unescaped);
            if (written < 0)
            {
                // Without the scanner, or a \u escape that is not well-formed UTF-16: the reader's own unescaping (and its error).
                var value = new Utf8JsonReader(line[textStart..], isFinalBlock: false, state: default);
                value.Read();
                try
                {
                    written = value.CopyString(unescaped);
                }
                catch (InvalidOperationException ex)
                {
                    return Fail(DatasetErrorIds.InvalidJson, $"The line is not valid JSON: the text {ex.Message}", path, lineNumber);
                }
            }
            text = unescaped[..written].ToArray();
        }
        if (text.Length > MaxStringBytes)
        {
            return Fail(DatasetErrorIds.RecordTooLarge, $"The text is {text.Length:N0} bytes, more than a .NET string can hold.", path, lineNumber);
        }
        return new DatasetItem(new DatasetRecord(id ?? $"{path}:{lineNumber}", text, path, lineNumber, lines.Detach())
        {
            ScoreField = scoreField,
            Score = score,
        }, null);
    }

    /// <summary>
    /// What the reader's loop in <see cref="ParseJsonLine"/> finds, by <see cref="JsonLineScanner"/>; null when the scanner
    /// declines the line, or the id's escapes are not well-formed (then the reader decides, and words any error).
    /// </summary>
    private static (JsonTokenType Root, JsonTokenType TextToken, int TextStart, int TextLength, bool TextEscaped, string? Id, ScoreField ScoreField, double Score)?
        ScanJsonLine(ReadOnlySpan<byte> line, PropertyNames names)
    {
        if (!JsonLineScanner.TryScan(line, names.Text, names.Id, "zipfit_score"u8,
            out var text, out var idValue, out var scoreValue))
        {
            return null;
        }
        string? id = null;
        if (idValue.Token == JsonTokenType.Number)
        {
            id = Encoding.UTF8.GetString(line.Slice(idValue.Start, idValue.Length));
        }
        else if (idValue.Token == JsonTokenType.String && !idValue.Escaped)
        {
            id = Encoding.UTF8.GetString(line.Slice(idValue.Start + 1, idValue.Length));
        }
        else if (idValue.Token == JsonTokenType.String)
        {
            var reader = new Utf8JsonReader(line[idValue.Start..], isFinalBlock: false, state: default);
            reader.Read();
            try
            {
                id = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
        var scoreField = ScoreField.Absent;
        double score = double.NaN;
        if (scoreValue.Token == JsonTokenType.Number)
        {
            var reader = new Utf8JsonReader(line.Slice(scoreValue.Start, scoreValue.Length));
            reader.Read();
            (scoreField, score) = reader.TryGetDouble(out double value) ? (ScoreField.Number, value) : (ScoreField.Other, double.NaN);
        }
        else if (scoreValue.Token != JsonTokenType.None)
        {
            scoreField = ScoreField.Other;
        }
        return (JsonTokenType.StartObject, text.Token, text.Start, text.Length, text.Escaped, id, scoreField, score);
    }

    /// <summary>The text and id property names as UTF-8, for <see cref="JsonLineScanner"/>.</summary>
    private sealed class PropertyNames
    {
        public required byte[] Text { get; init; }
        public required byte[] Id { get; init; }

        /// <summary>Null when a name is not well-formed UTF-16 (no UTF-8 spelling to compare bytes with).</summary>
        public static PropertyNames? For(DatasetReadOptions options)
        {
            string id = options.IdProperty ?? "id";
            return options.TextProperty.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') || id.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')
                ? null
                : new PropertyNames { Text = Encoding.UTF8.GetBytes(options.TextProperty), Id = Encoding.UTF8.GetBytes(id) };
        }
    }

    /// <summary>The longest text (in UTF-8 bytes) sure to fit a .NET string.</summary>
    private const int MaxStringBytes = 0x3FFFFFDF;

    private static string KindName(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "Object",
        JsonTokenType.StartArray => "Array",
        JsonTokenType.String => "String",
        JsonTokenType.Number => "Number",
        JsonTokenType.True => "True",
        JsonTokenType.False => "False",
        JsonTokenType.Null => "Null",
        _ => token.ToString(),
    };

    private static DatasetItem Fail(string id, string message, string path, long line) =>
        new(null, new DatasetError(id, message, path, line));
}
