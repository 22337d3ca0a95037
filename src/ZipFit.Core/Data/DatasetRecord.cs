using System.Text;

namespace ZipFit.Core.Data;

/// <summary>One example read from a dataset file.</summary>
public sealed class DatasetRecord
{
    private byte[]? _utf8;
    private string? _text;
    private string? _json;
    private readonly ReadOnlyMemory<byte>? _jsonUtf8;

    public DatasetRecord(string id, string text, string file, long line, string? json, byte[]? utf8 = null)
    {
        Id = id;
        _text = text;
        File = file;
        Line = line;
        _json = json;
        _utf8 = utf8;
    }

    /// <summary>
    /// A record kept as UTF-8 only: the text and the JSON are decoded to strings when first asked
    /// for, so a large record read for scoring costs its bytes once, not three times.
    /// </summary>
    public DatasetRecord(string id, byte[] utf8, string file, long line, ReadOnlyMemory<byte>? jsonUtf8)
    {
        Id = id;
        _utf8 = utf8;
        File = file;
        Line = line;
        _jsonUtf8 = jsonUtf8;
    }

    public string Id { get; }

    /// <summary>
    /// What the reader found in the record's <c>zipfit_score</c> field (a score exported with -IncludeScore), read in the
    /// same pass as the text so that selecting from a scored file never parses a record twice.
    /// </summary>
    public ScoreField ScoreField { get; init; }

    /// <summary>The <c>zipfit_score</c> number when <see cref="ScoreField"/> is <see cref="ScoreField.Number"/>.</summary>
    public double Score { get; init; } = double.NaN;
    public string Text => _text ??= Encoding.UTF8.GetString(_utf8!);
    public string File { get; }
    public long Line { get; }

    /// <summary>The record's JSON object exactly as read, or null for plain-text lines.</summary>
    public string? Json => _json ??= _jsonUtf8 is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : null;

    /// <summary>The record's JSON object as the UTF-8 bytes read, when the record came from a JSON line or row.</summary>
    public ReadOnlyMemory<byte>? JsonUtf8 => _jsonUtf8;

    /// <summary><c>file:line</c>, the record's place in its file.</summary>
    public string Location => $"{File}:{Line}";

    /// <summary>
    /// Whether the text's UTF-8 form is longer than <paramref name="limit"/> bytes, and then how long;
    /// counted without encoding it, and without counting when its character count settles it.
    /// </summary>
    public bool IsLargerThan(long limit, out long size)
    {
        if (_utf8 is not null)
        {
            size = _utf8.Length;
            return size > limit;
        }
        string text = _text!;
        size = text.Length;
        if (size * 3 <= limit)
        {
            return false;
        }
        size = Encoding.UTF8.GetByteCount(text);
        return size > limit;
    }

    /// <summary>The text's UTF-8 bytes, encoded once and reused by every scorer.</summary>
    public byte[] Utf8 => _utf8 ??= Encoding.UTF8.GetBytes(Text);
}

/// <summary>A record that could not be read, with the reason and where it is.</summary>
/// <summary>What a record's <c>zipfit_score</c> field holds.</summary>
public enum ScoreField
{
    /// <summary>The reader did not look (not JSONL, or a record made in memory).</summary>
    NotRead,
    /// <summary>The record has no such field.</summary>
    Absent,
    /// <summary>A JSON number.</summary>
    Number,
    /// <summary>Something else (null, a string, a boolean, an object…): read from the record itself.</summary>
    Other,
}

public sealed record DatasetError(string ErrorId, string Message, string File, long Line)
{
    /// <summary>The failure behind the error (an <see cref="IOException"/>, <see cref="InvalidDataException"/> …), when there was one.</summary>
    public Exception? Exception { get; init; }

    public string Location => Line > 0 ? $"{File}:{Line}" : File;
}

/// <summary>Either a record or an error: readers report bad records and go on.</summary>
public readonly record struct DatasetItem(DatasetRecord? Record, DatasetError? Error);

/// <summary>Stable ids of per-record problems.</summary>
public static class DatasetErrorIds
{
    public const string InvalidJson = "InvalidJson";
    public const string NotAnObject = "JsonNotAnObject";
    public const string InvalidUtf8 = "InvalidUtf8";
    public const string MissingText = "MissingTextProperty";
    public const string TextNotString = "TextNotString";
    public const string TruncatedFile = "TruncatedFile";
    public const string UnreadableFile = "UnreadableFile";
    public const string RecordTooLarge = "RecordTooLarge";
    public const string RowGroupTooLarge = "RowGroupTooLarge";
}
