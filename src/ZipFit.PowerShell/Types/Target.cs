using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit;

/// <summary>A reusable target set: its examples, their compressed lengths and a fingerprint.</summary>
public sealed class Target
{
    internal Target(TargetSet set, IReadOnlyList<string> ids, CompressorSpec compressor, IReadOnlyList<int> lengths)
    {
        Set = set;
        Ids = ids;
        CompressorSpec = compressor;
        CompressedLengths = lengths;
    }

    internal TargetSet Set { get; }

    internal CompressorSpec CompressorSpec { get; }

    public int Count => Set.Count;

    public long TotalBytes => Set.TotalBytes;

    public string Fingerprint => Set.Fingerprint;

    public string Compressor => CompressorSpec.Identity;

    public IReadOnlyList<string> Ids { get; }

    public IReadOnlyList<int> CompressedLengths { get; }

    public override string ToString() => $"Target {Fingerprint[..12]}: {Count} examples, {TotalBytes} bytes, {Compressor}";
}
