using K4os.Compression.LZ4;

namespace ZipFit.Core.Compression;

/// <summary>LZ4 block length (K4os.Compression.LZ4): level 0 is the fast codec, 3-12 high compression.</summary>
public sealed class Lz4LengthCompressor : ILengthCompressor
{
    private static readonly string Version = typeof(LZ4Codec).Assembly.GetName().Version?.ToString(3) ?? "?";
    private readonly LZ4Level _level;
    private GrowableBuffer _output;

    public Lz4LengthCompressor(int level)
    {
        _level = (LZ4Level)level;
        Identity = IdentityFor(level);
    }

    public static string IdentityFor(int level) => $"lz4-{level}/k4os-{Version}";

    public string Identity { get; }

    public int CompressedLength(ReadOnlySpan<byte> data)
    {
        int written = LZ4Codec.Encode(data, _output.Get(LZ4Codec.MaximumOutputSize(data.Length)), _level);
        if (written < 0)
        {
            throw new InvalidOperationException("LZ4 compression failed.");
        }
        return written;
    }

    public void Dispose() { }
}
