using ZstdSharp;

namespace ZipFit.Core.Compression;

/// <summary>Zstandard frame length (ZstdSharp.Port). A <see cref="Compressor"/> must never be shared by threads.</summary>
public sealed class ZstdLengthCompressor : ILengthCompressor
{
    private static readonly string Version = typeof(Compressor).Assembly.GetName().Version?.ToString(3) ?? "?";
    private readonly Compressor _compressor;
    private GrowableBuffer _output;

    public ZstdLengthCompressor(int level)
    {
        _compressor = new Compressor(level);
        Identity = IdentityFor(level);
    }

    public static string IdentityFor(int level) => $"zstd-{level}/zstdsharp-{Version}";

    public string Identity { get; }

    public int CompressedLength(ReadOnlySpan<byte> data) =>
        _compressor.Wrap(data, _output.Get(Compressor.GetCompressBound(data.Length)));

    public void Dispose() => _compressor.Dispose();
}
