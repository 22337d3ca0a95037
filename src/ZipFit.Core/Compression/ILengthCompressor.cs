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
}
