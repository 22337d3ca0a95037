using System.Security.Cryptography;
using System.Text;

namespace ZipFit.Core.Data;

/// <summary>Shard <c>i</c> of <c>n</c> (0-based): a deterministic part of a pool chosen by a hash of the id.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n) || n < 1 || i < 0 || i >= n)
        {
            throw new FormatException($"'{text}' is not a shard: use <index>/<count> with 0 <= index < count, e.g. 0/4.");
        }
        return new Shard(i, n);
    }

    public bool Contains(string id)
    {
        if (Count == 1)
        {
            return true;
        }
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        ulong h = BitConverter.ToUInt64(digest);
        return (int)(h % (ulong)Count) == Index;
    }

    public override string ToString() => $"{Index}/{Count}";
}
