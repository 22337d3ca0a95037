namespace ZipFit.Core.Compression;

/// <summary>
/// A compressor that can process a shared first part once and then give the length of that part
/// followed by each of many second parts, without redoing the first.
/// </summary>
public interface IPrefixLengthCompressor : ILengthCompressor
{
    /// <summary>Processes <paramref name="prefix"/>; later calls of <see cref="CompressedLengthWithSuffix"/> append to it.</summary>
    void SetPrefix(ReadOnlySpan<byte> prefix);

    /// <summary>Exactly <c>CompressedLength(prefix + suffix)</c>.</summary>
    int CompressedLengthWithSuffix(ReadOnlySpan<byte> suffix);
}
