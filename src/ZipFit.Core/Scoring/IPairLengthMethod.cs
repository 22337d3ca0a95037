using ZipFit.Core.Compression;

namespace ZipFit.Core.Scoring;

/// <summary>
/// A method whose score is built from compressed lengths: C(x) of each example and C(x+y) of its pair with each target
/// member. The score cache then stores those lengths too, and reuses them for a later target set sharing members.
/// </summary>
public interface IPairLengthMethod : IScoringMethod
{
    CompressorSpec Compressor { get; }

    TargetSet Target { get; }

    /// <summary>The score of an example from its C(x) and its pair lengths (one per target member).</summary>
    double Score(int compressedLength, ReadOnlySpan<int> pairLengths);

    IPairLengthScorer CreatePairLengthScorer();
}

/// <summary>A thread's scorer of an <see cref="IPairLengthMethod"/>, with the raw lengths exposed.</summary>
public interface IPairLengthScorer : IExampleScorer
{
    int CompressedLength(ReadOnlySpan<byte> utf8);

    /// <summary>Fills C(x+y) into every entry of <paramref name="pairLengths"/> (one per target) that is negative; returns how many it computed.</summary>
    int ComputeMissingPairLengths(ReadOnlySpan<byte> x, Span<int> pairLengths);
}
