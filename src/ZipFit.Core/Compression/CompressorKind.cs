namespace ZipFit.Core.Compression;

public enum CompressorKind
{
    Gzip,
    Zstd,
    Brotli,
    Lz4,
    Lzma,
}
