namespace ZipFit.Core.Scoring.Methods;

/// <summary>
/// Byte-level text normalisation applied before compression-based scoring. Indentation and whitespace runs are
/// cheap to compress and shared by unrelated formats (Python, man pages, Makefiles…), so left alone they dominate
/// byte-level similarity; DSIR's word-punct tokens ignore whitespace entirely.
/// </summary>
internal enum WhitespaceFolding
{
    /// <summary>Bytes as given.</summary>
    None = 0,

    /// <summary>Every run of ASCII whitespace (space, \t, \n, \v, \f, \r) becomes one space.</summary>
    Collapse = 1,

    /// <summary>Runs containing a line break become one '\n' (indentation dropped); other runs become one space.</summary>
    CollapseKeepNewlines = 2,
}

internal static class WhitespaceFolder
{
    /// <summary>Writes the folded form of <paramref name="src"/> into <paramref name="dst"/> (which must be at least as long) and returns its length.</summary>
    public static int Fold(ReadOnlySpan<byte> src, Span<byte> dst, WhitespaceFolding mode)
    {
        if (mode == WhitespaceFolding.None)
        {
            src.CopyTo(dst);
            return src.Length;
        }
        if (dst.Length < src.Length) throw new ArgumentException("destination too small", nameof(dst));
        int n = 0;
        int i = 0;
        while (i < src.Length)
        {
            byte b = src[i];
            if (!IsSpace(b))
            {
                dst[n++] = b;
                i++;
                continue;
            }
            bool newline = false;
            while (i < src.Length && IsSpace(src[i]))
            {
                if (src[i] == (byte)'\n') newline = true;
                i++;
            }
            dst[n++] = mode == WhitespaceFolding.CollapseKeepNewlines && newline ? (byte)'\n' : (byte)' ';
        }
        return n;
    }

    /// <summary>The folded form of <paramref name="src"/> for scoring: <paramref name="src"/> itself without folding, else written into <paramref name="scratch"/> (grown as needed).</summary>
    public static ReadOnlySpan<byte> FoldInto(ReadOnlySpan<byte> src, WhitespaceFolding mode, ref byte[] scratch)
    {
        if (mode == WhitespaceFolding.None) return src;
        byte[] buf = Scratch.Ensure(ref scratch, src.Length);
        return buf.AsSpan(0, Fold(src, buf, mode));
    }

    /// <summary>Folded copy (allocates; for preparation).</summary>
    public static byte[] Fold(byte[] src, WhitespaceFolding mode)
    {
        if (mode == WhitespaceFolding.None) return src;
        var dst = new byte[src.Length];
        int n = Fold(src, dst, mode);
        return dst.AsSpan(0, n).ToArray();
    }

    public static IReadOnlyList<byte[]> FoldAll(IReadOnlyList<byte[]> src, WhitespaceFolding mode) =>
        mode == WhitespaceFolding.None ? src : src.Select(s => Fold(s, mode)).ToArray();

    internal static string Name(WhitespaceFolding m) => m switch
    {
        WhitespaceFolding.None => "none",
        WhitespaceFolding.Collapse => "collapse",
        WhitespaceFolding.CollapseKeepNewlines => "collapse-nl",
        _ => m.ToString(),
    };

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;
}
