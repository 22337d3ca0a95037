namespace ZipFit;

/// <summary>
/// Dataset-level measures against the target: the mean score (for Ncd, the mean of 1 − NCD over every
/// (source, target) pair) and the bits per byte of the target under an order-3 byte model of the dataset.
/// </summary>
public sealed class AlignmentResult
{
    internal AlignmentResult() { }

    /// <summary>The source file, the -GroupBy value, or <c>(input)</c> for examples without a file.</summary>
    public string Dataset { get; internal init; } = "";

    public double Alignment { get; internal init; }

    /// <summary>Bits per byte of the target set under an order-3 Witten-Bell byte model trained on the dataset: lower means the dataset covers the target better. It tracks the fine-tuned loss where the mean score does not (docs/methods.md).</summary>
    public double TargetBitsPerByte { get; internal init; }

    public long ExampleCount { get; internal init; }

    public int TargetCount { get; internal init; }

    public long PairCount => ExampleCount * TargetCount;

    public string Method { get; internal init; } = "";

    public override string ToString() => $"{Dataset}: alignment {Alignment:F6} over {PairCount} pairs, target {TargetBitsPerByte:F3} bits/byte ({Method})";
}
