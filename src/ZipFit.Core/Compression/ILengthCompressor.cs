namespace ZipFit.Core.Compression;

/// <summary>
/// Computes the compressed length of a byte sequence. Instances keep per-thread native
/// state and scratch buffers: create one per worker thread and never share it.
/// </summary>
public interface ILengthCompressor : IDisposable
{
    /// <summary>Identity of the implementation producing the lengths, e.g. <c>gzip-9/zlib-1.2.13</c>.</summary>
    string Identity { get; }

    int CompressedLength(ReadOnlySpan<byte> data);

    /// <summary>
    /// The compressed length of <paramref name="first"/> followed by <paramref name="second"/>, exactly as
    /// <see cref="CompressedLength(ReadOnlySpan{byte})"/> of their concatenation. <paramref name="scratch"/>
    /// must hold both; compressors that can stream the two parts do not copy them.
    /// </summary>
    int CompressedLength(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> scratch) =>
        Concatenation.CompressCopy(this, first, second, scratch);
}

internal static class Concatenation
{
    /// <summary>Copies the two parts into <paramref name="scratch"/> and compresses that.</summary>
    public static int CompressCopy(ILengthCompressor compressor, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> scratch)
    {
        first.CopyTo(scratch);
        second.CopyTo(scratch[first.Length..]);
        return compressor.CompressedLength(scratch[..(first.Length + second.Length)]);
    }
}
