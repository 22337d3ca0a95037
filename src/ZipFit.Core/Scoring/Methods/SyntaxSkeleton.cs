using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>Syntax skeleton of a text: each maximal run of word bytes ([A-Za-z0-9_] or ≥ 0x80) becomes 'a' (starts with
/// a letter, '_' or a non-ASCII byte) or '0' (starts with a digit); every other byte (punctuation, whitespace, controls)
/// is kept. Language-independent: it keeps what separates formats (comment markers, brackets, operators, layout) and
/// drops the vocabulary.</summary>
public static class SyntaxSkeleton
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool IsWord(byte b) => b >= 0x80 || (b >= (byte)'0' && b <= (byte)'9') || ((b | 0x20) >= (byte)'a' && (b | 0x20) <= (byte)'z') || b == (byte)'_';

    /// <summary>Writes the skeleton of x into dst (dst.Length ≥ x.Length) and returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Map(ReadOnlySpan<byte> x, Span<byte> dst)
    {
        if (dst.Length < x.Length) throw new ArgumentException("The destination is shorter than the text.", nameof(dst));
        // Branch-free form of Step: every byte writes its symbol, and the write position moves on unless the byte
        // continues a word run (word boundaries are too frequent for a branch to predict).
        ref byte symbols = ref MemoryMarshal.GetArrayDataReference(Symbols);
        ref byte words = ref MemoryMarshal.GetArrayDataReference(WordBytes);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        int n = 0, inWord = 0;
        foreach (byte b in x)
        {
            int word = Unsafe.Add(ref words, b);
            Unsafe.Add(ref d, n) = Unsafe.Add(ref symbols, b);
            n += 1 - (word & inWord);
            inWord = word;
        }
        return n;
    }

    private static readonly byte[] WordBytes = Enumerable.Range(0, 256).Select(b => (byte)(IsWord((byte)b) ? 1 : 0)).ToArray();

    private static readonly byte[] Symbols = Enumerable.Range(0, 256).Select(b =>
        !IsWord((byte)b) ? (byte)b : b is >= '0' and <= '9' ? (byte)'0' : (byte)'a').ToArray();

    /// <summary>One byte of the skeleton, for callers that read it as a stream: false inside a word run (the byte adds
    /// nothing), otherwise true with the symbol it emits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Step(byte b, ref bool inWord, out byte symbol)
    {
        if (IsWord(b))
        {
            symbol = b >= (byte)'0' && b <= (byte)'9' ? (byte)'0' : (byte)'a';
            bool starts = !inWord;
            inWord = true;
            return starts;
        }
        symbol = b;
        inWord = false;
        return true;
    }

    public static byte[] Map(byte[] x)
    {
        var d = new byte[x.Length];
        int n = Map(x, d);
        return d.AsSpan(0, n).ToArray();
    }
}
