using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ZipFit.Core.Scoring.Methods;

internal interface IBucketSink
{
    void Add(int bucket);
}

/// <summary>
/// Word-punct tokeniser + n-gram bucket hashing over UTF-8, allocation-free after warm-up (scratch buffers grow
/// only for tokens longer than any seen before). Not thread-safe: one per thread.
/// </summary>
public sealed class DsirFeaturizer
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly int _buckets;
    private readonly FastModulus _modulus;
    private readonly bool _bigrams;
    private readonly DsirHash _hash;
    private byte[] _cur = new byte[256];
    private byte[] _prev = new byte[256];
    private byte[] _joined = new byte[513];
    private readonly byte[] _digest = new byte[32];
    // The ASCII path's per-chunk token ends: each token's unigram hash and bigram hash, in order.
    private const int AsciiChunk = 1024;
    private readonly ulong[] _tokenEnds = new ulong[2 * (AsciiChunk + 1)]; // unigram hash, bigram hash, ...

    /// <summary>Whether ASCII text takes <see cref="RunFnvAscii{TSink}"/> (off only to compare the paths: tests, bench).</summary>
    internal bool AsciiPath { get; set; } = true;

    public DsirFeaturizer(DsirOptions options)
    {
        _buckets = options.NumBuckets;
        _modulus = new FastModulus((uint)options.NumBuckets);
        _bigrams = options.NGrams >= 2;
        _hash = options.Hash;
    }

    /// <summary>Collects the bucket ids of every n-gram in order (unigram of token i, then bigram (i−1,i)). For tests and tools.</summary>
    public List<int> Buckets(ReadOnlySpan<byte> utf8)
    {
        var list = new List<int>();
        var sink = new ListSink(list);
        Run(utf8, ref sink);
        return list;
    }

    /// <summary>The word-punct tokens of the lowercased text (for tests and tools; allocates).</summary>
    public static List<string> Tokenize(string text)
    {
        var result = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var f = new DsirFeaturizer(DsirOptions.Default);
        var sink = new TokenSink(result, f);
        f.Run(bytes, ref sink);
        return result;
    }

    /// <summary>Bucket of a single n-gram string (bigram = "w1 w2"), for tests.</summary>
    public static int BucketOf(string ngram, int buckets, DsirHash hash)
    {
        var b = Encoding.UTF8.GetBytes(ngram);
        return hash == DsirHash.Sha256 ? Sha256Bucket(b, buckets, new byte[32]) : FnvBucket(Fnv(FnvOffset, b), buckets);
    }

    internal (int Tokens, int Ngrams) Run<TSink>(ReadOnlySpan<byte> s, ref TSink sink) where TSink : struct, IBucketSink =>
        _hash == DsirHash.Fnv1a64 && typeof(TSink) != typeof(TokenSink) ? RunFnv(s, ref sink) : RunGeneric(s, ref sink);

    /// <summary>The buckets as the general path finds them (tokens copied, then hashed); the tests hold the FNV path to it.</summary>
    internal List<int> BucketsByGeneralPath(ReadOnlySpan<byte> utf8)
    {
        var list = new List<int>();
        var sink = new ListSink(list);
        RunGeneric(utf8, ref sink);
        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Tokens, int Ngrams) RunGeneric<TSink>(ReadOnlySpan<byte> s, ref TSink sink) where TSink : struct, IBucketSink
    {
        int tokens = 0, ngrams = 0;
        int curLen = 0, prevLen = 0;
        int curClass = 0; // 0 none, 1 word, 2 punct
        ulong prevFnv = 0; // un-finalised FNV state of the previous token (for bigrams)
        int i = 0;
        while (true)
        {
            int cls = Classify(s, i, out Rune r, out int consumed);

            if (cls != curClass && curClass != 0)
            {
                // emit the finished token
                tokens++;
                var cur = _cur.AsSpan(0, curLen);
                if (typeof(TSink) == typeof(TokenSink)) Unsafe.As<TSink, TokenSink>(ref sink).Emit(cur);
                if (_hash == DsirHash.Fnv1a64)
                {
                    ulong u = Fnv(FnvOffset, cur);
                    sink.Add(FnvBucket(u, _buckets)); ngrams++;
                    if (_bigrams && tokens > 1)
                    {
                        ulong v = Fnv((prevFnv ^ (byte)' ') * FnvPrime, cur);
                        sink.Add(FnvBucket(v, _buckets)); ngrams++;
                    }
                    prevFnv = u;
                }
                else
                {
                    sink.Add(Sha256Bucket(cur, _buckets, _digest)); ngrams++;
                    if (_bigrams && tokens > 1)
                    {
                        int jl = prevLen + 1 + curLen;
                        Scratch.Ensure(ref _joined, jl);
                        _prev.AsSpan(0, prevLen).CopyTo(_joined);
                        _joined[prevLen] = (byte)' ';
                        cur.CopyTo(_joined.AsSpan(prevLen + 1));
                        sink.Add(Sha256Bucket(_joined.AsSpan(0, jl), _buckets, _digest)); ngrams++;
                    }
                    if (_bigrams)
                    {
                        (_prev, _cur) = (_cur, _prev);
                        prevLen = curLen;
                    }
                }
                curLen = 0;
            }
            if (i >= s.Length) break;
            curClass = cls;
            if (cls != 0)
            {
                if (_cur.Length - curLen < 4) Array.Resize(ref _cur, _cur.Length * 2);
                if (r.Value < 0x80) _cur[curLen++] = (byte)r.Value;
                else curLen += r.EncodeToUtf8(_cur.AsSpan(curLen));
            }
            i += consumed;
        }
        return (tokens, ngrams);
    }

    /// <summary>
    /// The FNV form of <see cref="Run{TSink}"/> in one pass: the unigram hash of the current token and its bigram hash
    /// (seeded with the previous token's) advance byte by byte, so no token is copied or hashed twice. Same tokens,
    /// same buckets, same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Tokens, int Ngrams) RunFnv<TSink>(ReadOnlySpan<byte> s, ref TSink sink) where TSink : struct, IBucketSink
    {
        if (AsciiPath && System.Text.Ascii.IsValid(s)) return RunFnvAscii(s, ref sink);
        int tokens = 0, ngrams = 0, curClass = 0, i = 0;
        ulong unigram = FnvOffset, bigram = 0, prevFnv = 0;
        Span<byte> encoded = stackalloc byte[4];
        while (true)
        {
            int cls = Classify(s, i, out Rune r, out int consumed);
            if (cls != curClass && curClass != 0)
            {
                tokens++;
                sink.Add(_modulus.Of(Mix(unigram))); ngrams++;
                if (_bigrams && tokens > 1)
                {
                    sink.Add(_modulus.Of(Mix(bigram))); ngrams++;
                }
                prevFnv = unigram;
            }
            if (i >= s.Length) break;
            if (cls != 0)
            {
                if (cls != curClass)
                {
                    unigram = FnvOffset;
                    bigram = (prevFnv ^ (byte)' ') * FnvPrime;
                }
                if (r.Value < 0x80)
                {
                    unigram = (unigram ^ (byte)r.Value) * FnvPrime;
                    bigram = (bigram ^ (byte)r.Value) * FnvPrime;
                }
                else
                {
                    int n = r.EncodeToUtf8(encoded);
                    for (int j = 0; j < n; j++)
                    {
                        unigram = (unigram ^ encoded[j]) * FnvPrime;
                        bigram = (bigram ^ encoded[j]) * FnvPrime;
                    }
                }
            }
            curClass = cls;
            i += consumed;
        }
        return (tokens, ngrams);
    }

    /// <summary>
    /// <see cref="RunFnv{TSink}"/> for ASCII text, without a branch per byte: in code, tokens are a few bytes long, so the
    /// per-byte "did the class change" branches of the general loop mispredicted at most token edges. Each chunk is
    /// hashed first (both hashes advance on every byte and are reset by masks where a token starts; whitespace bytes
    /// advance them too, harmlessly, since a token's hashes are taken before the byte that ends it), recording every
    /// finished token's two hashes; then the chunk's tokens are emitted in order. Same buckets in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Tokens, int Ngrams) RunFnvAscii<TSink>(ReadOnlySpan<byte> s, ref TSink sink) where TSink : struct, IBucketSink
    {
        int tokens = 0, ngrams = 0, cur = 0;
        ulong unigram = FnvOffset, bigram = 0, prevFnv = 0;
        ref ushort classAndLower = ref MemoryMarshal.GetArrayDataReference(AsciiClassAndLower);
        ref ulong tokenEnds = ref MemoryMarshal.GetArrayDataReference(_tokenEnds);
        for (int start = 0; start < s.Length; start += AsciiChunk)
        {
            int ends = 0;
            foreach (byte b in s.Slice(start, Math.Min(AsciiChunk, s.Length - start)))
            {
                int entry = Unsafe.Add(ref classAndLower, b);
                int cls = entry >> 8;
                // All ones where the class changes / where a token ends, by arithmetic: the JIT turns "? :" into branches.
                ulong changed = (ulong)-(long)((uint)-(cls ^ cur) >> 31);
                ulong ended = changed & (ulong)-(long)((uint)-cur >> 31);
                Unsafe.Add(ref tokenEnds, ends) = unigram;
                Unsafe.Add(ref tokenEnds, ends + 1) = bigram;
                ends += (int)(ended & 2);
                prevFnv = (unigram & ended) | (prevFnv & ~ended);
                unigram = (FnvOffset & changed) | (unigram & ~changed);
                bigram = (((prevFnv ^ (byte)' ') * FnvPrime) & changed) | (bigram & ~changed);
                ulong lb = (uint)entry & 0xFF;
                unigram = (unigram ^ lb) * FnvPrime;
                bigram = (bigram ^ lb) * FnvPrime;
                cur = cls;
            }
            for (int e = 0; e < ends; e += 2)
            {
                tokens++;
                sink.Add(_modulus.Of(Mix(Unsafe.Add(ref tokenEnds, e)))); ngrams++;
                if (_bigrams && tokens > 1)
                {
                    sink.Add(_modulus.Of(Mix(Unsafe.Add(ref tokenEnds, e + 1)))); ngrams++;
                }
            }
        }
        if (cur != 0)
        {
            tokens++;
            sink.Add(_modulus.Of(Mix(unigram))); ngrams++;
            if (_bigrams && tokens > 1)
            {
                sink.Add(_modulus.Of(Mix(bigram))); ngrams++;
            }
        }
        return (tokens, ngrams);
    }

    /// <summary>The class of the character at <paramref name="i"/> (0 past the end), the character lower-cased if it is a
    /// word character, and how many bytes it takes (an invalid sequence counts one byte, as U+FFFD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Classify(ReadOnlySpan<byte> s, int i, out Rune r, out int consumed)
    {
        if (i >= s.Length)
        {
            r = default;
            consumed = 0;
            return 0;
        }
        byte b = s[i];
        int cls;
        if (b < 0x80)
        {
            consumed = 1;
            cls = AsciiClass[b];
            if (cls == 1 && (uint)(b - 'A') <= 'Z' - 'A') b = (byte)(b + 32);
            r = new Rune(b);
            return cls;
        }
        Rune.DecodeFromUtf8(s[i..], out r, out consumed);
        if (consumed <= 0) consumed = 1;
        cls = ClassOf(r);
        if (cls == 1) r = Rune.ToLowerInvariant(r);
        return cls;
    }

    // 0 = whitespace, 1 = word (\w), 2 = other (punctuation, symbols, controls)
    private static readonly byte[] AsciiClass = BuildAsciiClass();

    // ASCII lower-cased as the tokeniser lower-cases word characters (A-Z are the only ASCII letters that change).
    // For the ASCII path, one load a byte: class << 8 | the byte lower-cased.
    private static readonly ushort[] AsciiClassAndLower = Enumerable.Range(0, 128).Select(c => (ushort)(AsciiClass[c] << 8 | (c is >= 'A' and <= 'Z' ? c + 32 : c))).ToArray();

    private static byte[] BuildAsciiClass()
    {
        var t = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            bool word = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
            // Python str.isspace(): \t \n \v \f \r, 0x1C-0x1F, space
            bool space = c is >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20;
            t[c] = (byte)(word ? 1 : space ? 0 : 2);
        }
        return t;
    }

    private static int ClassOf(Rune r)
    {
        // Python: \w = str.isalnum() or '_' (letters L*, numbers N*); \s = str.isspace().
        switch (Rune.GetUnicodeCategory(r))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return 1;
            default:
                return Rune.IsWhiteSpace(r) ? 0 : 2;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fnv(ulong h, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) h = (h ^ b) * FnvPrime;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FnvBucket(ulong h, int buckets) => (int)(Mix(h) % (ulong)buckets);

    /// <summary>murmur3's fmix64, so that all bits matter before the modulo.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    private static int Sha256Bucket(ReadOnlySpan<byte> data, int buckets, byte[] digest)
    {
        SHA256.HashData(data, digest);
        // int(hexdigest, 16) % buckets: big-endian 256-bit integer modulo
        ulong r = 0;
        foreach (byte b in digest) r = ((r << 8) | b) % (ulong)buckets;
        return (int)r;
    }

    private struct ListSink : IBucketSink
    {
        private readonly List<int> _list;
        public ListSink(List<int> list) => _list = list;
        public void Add(int bucket) => _list.Add(bucket);
    }

    private struct TokenSink : IBucketSink
    {
        private readonly List<string> _tokens;
        public TokenSink(List<string> tokens, DsirFeaturizer _) => _tokens = tokens;
        public void Add(int bucket) { }
        public void Emit(ReadOnlySpan<byte> token) => _tokens.Add(Encoding.UTF8.GetString(token));
    }
}
