namespace ZipFit.Core.Compression;

/// <summary>
/// A compressor that can process a shared first part once and then give the length of that part
/// followed by each of many second parts, without redoing the first.
/// </summary>
public interface IPrefixLengthCompressor : ILengthCompressor
{
    /// <summary>Processes <paramref name="prefix"/>; later calls of <see cref="CompressedLengthWithSuffix(ReadOnlySpan{byte})"/> append to it.</summary>
    void SetPrefix(ReadOnlySpan<byte> prefix);

    /// <summary>Exactly <c>CompressedLength(prefix + suffix)</c>.</summary>
    int CompressedLengthWithSuffix(ReadOnlySpan<byte> suffix);

    /// <summary>
    /// Prepares a second part that will follow many first parts (the targets of a scoring run). The
    /// result is immutable and may be shared by every compressor of the same identity, on any thread.
    /// </summary>
    SuffixPlan PrepareSuffix(ReadOnlySpan<byte> suffix) => new(suffix.ToArray());

    /// <summary>Exactly <c>CompressedLength(prefix + suffix.Bytes)</c>.</summary>
    int CompressedLengthWithSuffix(SuffixPlan suffix) => CompressedLengthWithSuffix(suffix.Bytes.Span);
}

/// <summary>A second part prepared by <see cref="IPrefixLengthCompressor.PrepareSuffix"/>.</summary>
public class SuffixPlan(ReadOnlyMemory<byte> bytes)
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;
}
