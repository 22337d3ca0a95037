using System.IO.Compression;

namespace ZipFit.Core.Compression;

/// <summary>Brotli stream length from the runtime's brotli (quality 0-11, 4 MiB window).</summary>
public sealed class BrotliLengthCompressor : ILengthCompressor
{
    private const int Window = 22;
    private readonly int _quality;
    private GrowableBuffer _output;

    public BrotliLengthCompressor(int quality)
    {
        _quality = quality;
        Identity = IdentityFor(quality);
    }

    public static string IdentityFor(int quality) => $"brotli-{quality}/dotnet-{Environment.Version.ToString(2)}";

    public string Identity { get; }

    public int CompressedLength(ReadOnlySpan<byte> data)
    {
        var output = _output.Get(BrotliEncoder.GetMaxCompressedLength(data.Length));
        if (!BrotliEncoder.TryCompress(data, output, out int written, _quality, Window))
        {
            throw new InvalidOperationException("Brotli compression failed.");
        }
        return written;
    }

    public void Dispose() { }
}
