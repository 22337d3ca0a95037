using System.Management.Automation;

namespace ZipFit;

/// <summary>An example with its alignment score, the method and compressor that produced it.</summary>
public sealed class ScoredExample
{
    internal ScoredExample(Example example) => Example = example;

    internal Example Example { get; }

    public string Id => Example.Id;

    public double Score { get; internal init; }

    public string Text => Example.Text;

    public string Source => Example.Source;

    public int Bytes => Example.Bytes;

    public PSObject? Record => Example.Record;

    /// <summary>The scoring identity, e.g. <c>ncd/gzip-9/zlib-1.2.13</c>.</summary>
    public string Method { get; internal init; } = "";

    /// <summary>The compressor identity for the compression-distance method (e.g. <c>gzip-9/managed-zlib-1.2.13</c>); empty for the others.</summary>
    public string Compressor => Method.StartsWith("ncd/", StringComparison.Ordinal) ? Method["ncd/".Length..] : "";

    /// <summary>The target mode the example is matched to (the -TargetGroupProperty value, or <c>target</c>); null unless scored with -Coverage.</summary>
    public string? Mode { get; internal init; }

    /// <summary>That mode's share of the target set; NaN without -Coverage.</summary>
    public double ModeShare { get; internal init; } = double.NaN;

    /// <summary>The key Select-ZipFitTop -Balanced ranks by within the example's mode: ln(coverage weight) + Gumbel noise from the text, lowered by 100 when the score is more than 0.5 robust SDs below the pool sample's median; NaN without -Coverage.</summary>
    public double CoverageKey { get; internal init; } = double.NaN;

    public override string ToString() => $"{Score:F6}  {Id}  {Preview.Of(Text)}";
}
