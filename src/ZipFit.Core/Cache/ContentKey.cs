using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace ZipFit.Core.Cache;

/// <summary>How a cache turns an example's UTF-8 text into its 16-byte key; fixed when the cache file is created.</summary>
public enum ContentKeyHash
{
    /// <summary>The first 16 bytes of SHA-256: caches created before schema version 4.</summary>
    Sha256Prefix,

    /// <summary>XXH3's 128-bit hash (canonical byte order): caches created since version 4. About a tenth of SHA-256's
    /// cost, which a first run over millions of short examples felt. Not collision-resistant against someone who
    /// crafts texts to collide, which could give one text another's cached score.</summary>
    XxHash128,
}

/// <summary>The 16-byte key of an example's rows (its length, pair lengths and scores) in the cache.</summary>
public readonly struct ContentKey : IEquatable<ContentKey>, IComparable<ContentKey>
{
    public const int Size = 16;

    private readonly ulong _high;
    private readonly ulong _low;

    private ContentKey(ulong high, ulong low) => (_high, _low) = (high, low);

    public static ContentKey Of(ReadOnlySpan<byte> utf8, ContentKeyHash hash)
    {
        Span<byte> digest = stackalloc byte[32];
        if (hash == ContentKeyHash.XxHash128)
        {
            XxHash128.Hash(utf8, digest);
        }
        else
        {
            SHA256.HashData(utf8, digest);
        }
        return FromBytes(digest[..Size]);
    }

    public static ContentKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A content key has {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }
        return new ContentKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The key's first 8 bytes, big-endian: its order's most significant part.</summary>
    internal ulong High => _high;

    public bool Equals(ContentKey other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is ContentKey other && Equals(other);

    /// <summary>The order of the key's bytes (big-endian), which is SQLite's order of the blob.</summary>
    public int CompareTo(ContentKey other) => _high != other._high ? _high.CompareTo(other._high) : _low.CompareTo(other._low);

    public override int GetHashCode() => (int)_low ^ (int)(_low >> 32);

    public static bool operator ==(ContentKey a, ContentKey b) => a.Equals(b);

    public static bool operator !=(ContentKey a, ContentKey b) => !a.Equals(b);

    /// <summary>Lower-case hex, as <c>hex(hash)</c> in SQL shows it (upper-case there).</summary>
    public override string ToString() => $"{_high:x16}{_low:x16}";
}
