using System.Management.Automation;

namespace ZipFit;

/// <summary>An example with its alignment score, the method and compressor that produced it.</summary>
public sealed class ScoredExample
{
    internal ScoredExample(Example example, double score, string method)
    {
        Example = example;
        Score = score;
        Method = method;
    }

    internal Example Example { get; }

    public string Id => Example.Id;

    public double Score { get; }

    public string Text => Example.Text;

    public string Source => Example.Source;

    public int Bytes => Example.Bytes;

    public PSObject? Record => Example.Record;

    /// <summary>The scoring identity, e.g. <c>ncd/gzip-9/zlib-1.2.13</c>.</summary>
    public string Method { get; }

    /// <summary>The compressor identity for the compression-distance method (e.g. <c>gzip-9/managed-zlib-1.2.13</c>); empty for the others.</summary>
    public string Compressor => Method.StartsWith("ncd/", StringComparison.Ordinal) ? Method["ncd/".Length..] : "";

    public override string ToString() => $"{Score:F6}  {Id}  {Preview.Of(Text)}";
}
