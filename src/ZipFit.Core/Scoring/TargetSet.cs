using System.Security.Cryptography;
using System.Text;

namespace ZipFit.Core.Scoring;

/// <summary>
/// The examples of the task, as UTF-8, in their given order, with a fingerprint of the content
/// (order included) that identifies the set in caches and results.
/// </summary>
public sealed class TargetSet
{
    private readonly byte[][] _examples;

    public TargetSet(IEnumerable<byte[]> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _examples = examples.ToArray();
        if (_examples.Length == 0)
        {
            throw new ArgumentException("The target set is empty: give at least one target example.", nameof(examples));
        }
        ExampleHashes = _examples.Select(ContentHash.Of).ToArray();
        Fingerprint = ComputeFingerprint(ExampleHashes);
        TotalBytes = _examples.Sum(e => (long)e.Length);
    }

    public TargetSet(IEnumerable<string> texts) : this(texts.Select(t => Encoding.UTF8.GetBytes(t))) { }

    public IReadOnlyList<byte[]> Examples => _examples;

    /// <summary>SHA-256 prefix of each example's bytes, as used by the cache.</summary>
    public IReadOnlyList<string> ExampleHashes { get; }

    public int Count => _examples.Length;

    public long TotalBytes { get; }

    /// <summary>Hex digest over the examples' hashes, in order.</summary>
    public string Fingerprint { get; }

    private static string ComputeFingerprint(IEnumerable<string> hashes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string h in hashes)
        {
            sha.AppendData(Encoding.ASCII.GetBytes(h));
            sha.AppendData("\n"u8);
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant()[..32];
    }
}

/// <summary>Content hashes of example bytes.</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(data, digest);
        return Convert.ToHexString(digest[..16]).ToLowerInvariant();
    }

    public static string Of(byte[] data) => Of(data.AsSpan());
}
