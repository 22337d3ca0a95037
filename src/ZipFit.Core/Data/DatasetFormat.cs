namespace ZipFit.Core.Data;

public enum DatasetFormat
{
    /// <summary>One JSON object per line.</summary>
    JsonLines,
    /// <summary>One example per line, the line being the text.</summary>
    PlainText,
    /// <summary>Apache Parquet, one example per row.</summary>
    Parquet,
}

public enum DatasetCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>A dataset file's format and compression, told by its extension.</summary>
public readonly record struct DatasetFileKind(DatasetFormat Format, DatasetCompression Compression)
{
    public static bool TryFromPath(string path, out DatasetFileKind kind)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        var compression = DatasetCompression.None;
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            compression = DatasetCompression.Gzip;
            name = name[..^3];
        }
        else if (name.EndsWith(".zst", StringComparison.Ordinal))
        {
            compression = DatasetCompression.Zstd;
            name = name[..^4];
        }
        string ext = Path.GetExtension(name);
        DatasetFormat? format = ext switch
        {
            ".jsonl" or ".ndjson" or ".json" => DatasetFormat.JsonLines,
            ".txt" or ".text" => DatasetFormat.PlainText,
            ".parquet" or ".pq" when compression == DatasetCompression.None => DatasetFormat.Parquet,
            _ => null,
        };
        kind = new DatasetFileKind(format ?? DatasetFormat.JsonLines, compression);
        return format is not null;
    }
}
