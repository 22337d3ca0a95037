using System.Text;

namespace ZipFit.Core.Data;

/// <summary>One example read from a dataset file.</summary>
public sealed class DatasetRecord
{
    private byte[]? _utf8;

    public DatasetRecord(string id, string text, string file, long line, string? json, byte[]? utf8 = null)
    {
        Id = id;
        Text = text;
        File = file;
        Line = line;
        Json = json;
        _utf8 = utf8;
    }

    public string Id { get; }
    public string Text { get; }
    public string File { get; }
    public long Line { get; }

    /// <summary>The record's JSON object exactly as read, or null for plain-text lines.</summary>
    public string? Json { get; }

    /// <summary><c>file:line</c>, the record's place in its file.</summary>
    public string Location => $"{File}:{Line}";

    /// <summary>The text's UTF-8 bytes, encoded once and reused by every scorer.</summary>
    public byte[] Utf8 => _utf8 ??= Encoding.UTF8.GetBytes(Text);
}

/// <summary>A record that could not be read, with the reason and where it is.</summary>
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
}
