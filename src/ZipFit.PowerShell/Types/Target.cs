using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit;

/// <summary>A reusable target set: its examples, their compressed lengths and a fingerprint.</summary>
public sealed class Target
{
    internal Target(TargetSet set, CompressorSpec compressor)
    {
        Set = set;
        CompressorSpec = compressor;
    }

    internal TargetSet Set { get; }

    internal CompressorSpec CompressorSpec { get; }

    public int Count => Set.Count;

    public long TotalBytes => Set.TotalBytes;

    public string Fingerprint => Set.Fingerprint;

    public string Compressor => CompressorSpec.Identity;

    public IReadOnlyList<string> Ids { get; internal init; } = [];

    public IReadOnlyList<int> CompressedLengths { get; internal init; } = [];

    public override string ToString() => $"Target {Fingerprint[..12]}: {Count} examples, {TotalBytes} bytes, {Compressor}";
}
