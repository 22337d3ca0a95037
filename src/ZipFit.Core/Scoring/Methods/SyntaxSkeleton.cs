using System.Runtime.CompilerServices;

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
        int n = 0;
        bool inWord = false;
        foreach (byte b in x)
        {
            if (Step(b, ref inWord, out byte symbol)) dst[n++] = symbol;
        }
        return n;
    }

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
